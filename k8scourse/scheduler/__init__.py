"""kube-scheduler: filter -> score -> bind, with one small module per plugin.

    Scheduler(cluster)      watches Pods and Nodes and binds pending pods (scheduler.py)
    framework.schedule_pod  one attempt, node by node (framework.py); fastpath.py does the same
                            with arrays for large clusters
    queue.py                activeQ, backoffQ and unschedulablePods
    preemption.py           DefaultPreemption: the `preemption: ...` half of FitError
    plugins/                NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
                            NodeResourcesFit, PodTopologySpread, BalancedAllocation, ImageLocality

Importing this package does not import numpy; the fast path loads it on first use.
"""

from k8scourse.scheduler.scheduler import Scheduler

__all__ = ["Scheduler"]
