"""The cluster's network: pod IPs reachable from everywhere, Services through kube-proxy, CoreDNS,
node ports, and traffic from the learner's laptop.

    cluster.network = PodNetwork(cluster)          # the Cluster does this
    cluster.network.requests[-1]                   # who answered the last connection
    from k8scourse.network.laptop import curl      # curl(cluster, "http://192.168.56.11:30004/")
"""

from __future__ import annotations

from k8scourse.network.podnet import Client, DnsTimeout, PodNet, PodNetwork, Request

__all__ = ["Client", "DnsTimeout", "PodNet", "PodNetwork", "Request"]
