"""`kubectl describe`: the text kubectl v1.32 prints, checked against real kubectl output.

The expected texts are real `kubectl describe` outputs (v1.32 clusters), with two adjustments:
times are in UTC (kubectl prints them in its machine's zone), and padding that Go's tabwriter
writes before an empty last cell is kept (some of the sources had trimmed it).
"""

from datetime import datetime, timezone

from k8scourse.kubectl.describe import Quantity, describe


class Ctx:
    """What describe may ask about the cluster: the time, events, other objects."""

    def __init__(self, now, objects=(), events=()):
        self.now = now
        self.objects = list(objects)
        self.events = list(events)

    def events_for(self, obj):
        uid = obj["metadata"].get("uid")
        return [e for e in self.events if e["involvedObject"].get("uid") == uid]

    def list(self, kind, namespace):
        return [o for o in self.objects if o.get("kind") == kind and
                (namespace is None or o["metadata"].get("namespace") == namespace)]


def ev(obj, type_, reason, message, source, first, last=None, count=1):
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{obj['metadata']['name']}.{first}",
                         "namespace": obj["metadata"].get("namespace", "default")},
            "involvedObject": {"kind": obj["kind"], "name": obj["metadata"]["name"],
                               "uid": obj["metadata"]["uid"]},
            "type": type_, "reason": reason, "message": message, "count": count,
            "firstTimestamp": first, "lastTimestamp": last or first, "eventTime": None,
            "source": {"component": source}}


# --- Node --------------------------------------------------------------------------------------

NODE_TEXT = (
    'Name:               node01\n'
    'Roles:              <none>\n'
    'Labels:             beta.kubernetes.io/arch=amd64\n'
    '                    beta.kubernetes.io/os=linux\n'
    '                    kubernetes.io/arch=amd64\n'
    '                    kubernetes.io/hostname=node01\n'
    '                    kubernetes.io/os=linux\n'
    'Annotations:        flannel.alpha.coreos.com/backend-data: {"VNI":1,"VtepMAC":"6e:24:b2:f2:86:4f"}\n'
    '                    flannel.alpha.coreos.com/backend-type: vxlan\n'
    '                    flannel.alpha.coreos.com/kube-subnet-manager: true\n'
    '                    flannel.alpha.coreos.com/public-ip: 192.168.129.238\n'
    '                    kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/containerd/containerd.sock\n'
    '                    node.alpha.kubernetes.io/ttl: 0\n'
    '                    volumes.kubernetes.io/controller-managed-attach-detach: true\n'
    'CreationTimestamp:  Wed, 21 May 2025 20:37:47 +0000\n'
    'Taints:             <none>\n'
    'Unschedulable:      false\n'
    'Lease:\n'
    '  HolderIdentity:  node01\n'
    '  AcquireTime:     <unset>\n'
    '  RenewTime:       Wed, 21 May 2025 20:51:03 +0000\n'
    'Conditions:\n'
    '  Type                 Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n'
    '  ----                 ------  -----------------                 ------------------                ------                       -------\n'
    '  NetworkUnavailable   False   Wed, 21 May 2025 20:37:53 +0000   Wed, 21 May 2025 20:37:53 +0000   FlannelIsUp                  Flannel is running on this node\n'
    '  MemoryPressure       False   Wed, 21 May 2025 20:47:49 +0000   Wed, 21 May 2025 20:37:47 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available\n'
    '  DiskPressure         False   Wed, 21 May 2025 20:47:49 +0000   Wed, 21 May 2025 20:37:47 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure\n'
    '  PIDPressure          False   Wed, 21 May 2025 20:47:49 +0000   Wed, 21 May 2025 20:37:47 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available\n'
    '  Ready                True    Wed, 21 May 2025 20:47:49 +0000   Wed, 21 May 2025 20:37:51 +0000   KubeletReady                 kubelet is posting ready status\n'
    'Addresses:\n'
    '  InternalIP:  192.168.129.238\n'
    '  Hostname:    node01\n'
    'Capacity:\n'
    '  cpu:                16\n'
    '  ephemeral-storage:  772706776Ki\n'
    '  hugepages-1Gi:      0\n'
    '  hugepages-2Mi:      0\n'
    '  memory:             65838272Ki\n'
    '  pods:               110\n'
    'Allocatable:\n'
    '  cpu:                16\n'
    '  ephemeral-storage:  712126563583\n'
    '  hugepages-1Gi:      0\n'
    '  hugepages-2Mi:      0\n'
    '  memory:             65735872Ki\n'
    '  pods:               110\n'
    'System Info:\n'
    '  Machine ID:                 132e3d2451f947fe9214456160254717\n'
    '  System UUID:                b142c4a6-6155-37b9-1183-1a3b031a9dde\n'
    '  Boot ID:                    49b8e54a-4c75-4a41-97ae-1d42bda304ca\n'
    '  Kernel Version:             5.15.0-1083-gcp\n'
    '  OS Image:                   Ubuntu 22.04.4 LTS\n'
    '  Operating System:           linux\n'
    '  Architecture:               amd64\n'
    '  Container Runtime Version:  containerd://1.6.26\n'
    '  Kubelet Version:            v1.32.0\n'
    '  Kube-Proxy Version:         v1.32.0\n'
    'PodCIDR:                      172.17.1.0/24\n'
    'PodCIDRs:                     172.17.1.0/24\n'
    'Non-terminated Pods:          (2 in total)\n'
    '  Namespace                   Name                     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n'
    '  ---------                   ----                     ------------  ----------  ---------------  -------------  ---\n'
    '  kube-flannel                kube-flannel-ds-2nsqf    100m (0%)     0 (0%)      50Mi (0%)        0 (0%)         13m\n'
    '  kube-system                 kube-proxy-m49qp         0 (0%)        0 (0%)      0 (0%)           0 (0%)         13m\n'
    'Allocated resources:\n'
    '  (Total limits may be over 100 percent, i.e., overcommitted.)\n'
    '  Resource           Requests   Limits\n'
    '  --------           --------   ------\n'
    '  cpu                100m (0%)  0 (0%)\n'
    '  memory             50Mi (0%)  0 (0%)\n'
    '  ephemeral-storage  0 (0%)     0 (0%)\n'
    '  hugepages-1Gi      0 (0%)     0 (0%)\n'
    '  hugepages-2Mi      0 (0%)     0 (0%)\n'
    'Events:\n'
    '  Type     Reason                   Age                From             Message\n'
    '  ----     ------                   ----               ----             -------\n'
    '  Normal   Starting                 13m                kube-proxy       \n'
    '  Normal   Starting                 13m                kubelet          Starting kubelet.\n'
    '  Warning  InvalidDiskCapacity      13m                kubelet          invalid capacity 0 on image filesystem\n'
    '  Warning  CgroupV1                 13m                kubelet          cgroup v1 support is in maintenance mode, please migrate to cgroup v2\n'
    '  Normal   RegisteredNode           13m                node-controller  Node node01 event: Registered Node node01 in Controller\n'
    '  Normal   NodeHasSufficientMemory  13m (x2 over 13m)  kubelet          Node node01 status is now: NodeHasSufficientMemory\n'
    '  Normal   NodeHasNoDiskPressure    13m (x2 over 13m)  kubelet          Node node01 status is now: NodeHasNoDiskPressure\n'
    '  Normal   NodeHasSufficientPID     13m (x2 over 13m)  kubelet          Node node01 status is now: NodeHasSufficientPID\n'
    '  Normal   NodeAllocatableEnforced  13m                kubelet          Updated Node Allocatable limit across pods\n'
    '  Normal   NodeReady                13m                kubelet          Node node01 status is now: NodeReady\n'
)


def node01():
    def cond(type_, status, heartbeat, transition, reason, message):
        return {"type": type_, "status": status, "lastHeartbeatTime": heartbeat,
                "lastTransitionTime": transition, "reason": reason, "message": message}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "name": "node01", "uid": "node01-uid", "creationTimestamp": "2025-05-21T20:37:47Z",
            "labels": {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                       "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "node01",
                       "kubernetes.io/os": "linux"},
            "annotations": {
                "flannel.alpha.coreos.com/backend-data": '{"VNI":1,"VtepMAC":"6e:24:b2:f2:86:4f"}',
                "flannel.alpha.coreos.com/backend-type": "vxlan",
                "flannel.alpha.coreos.com/kube-subnet-manager": "true",
                "flannel.alpha.coreos.com/public-ip": "192.168.129.238",
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": {"podCIDR": "172.17.1.0/24", "podCIDRs": ["172.17.1.0/24"]},
        "status": {
            "conditions": [
                cond("NetworkUnavailable", "False", "2025-05-21T20:37:53Z", "2025-05-21T20:37:53Z",
                     "FlannelIsUp", "Flannel is running on this node"),
                cond("MemoryPressure", "False", "2025-05-21T20:47:49Z", "2025-05-21T20:37:47Z",
                     "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "2025-05-21T20:47:49Z", "2025-05-21T20:37:47Z",
                     "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "2025-05-21T20:47:49Z", "2025-05-21T20:37:47Z",
                     "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "2025-05-21T20:47:49Z", "2025-05-21T20:37:51Z",
                     "KubeletReady", "kubelet is posting ready status")],
            "addresses": [{"type": "InternalIP", "address": "192.168.129.238"},
                          {"type": "Hostname", "address": "node01"}],
            "capacity": {"cpu": "16", "ephemeral-storage": "772706776Ki", "hugepages-1Gi": "0",
                         "hugepages-2Mi": "0", "memory": "65838272Ki", "pods": "110"},
            "allocatable": {"cpu": "16", "ephemeral-storage": "712126563583",
                            "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                            "memory": "65735872Ki", "pods": "110"},
            "nodeInfo": {"machineID": "132e3d2451f947fe9214456160254717",
                         "systemUUID": "b142c4a6-6155-37b9-1183-1a3b031a9dde",
                         "bootID": "49b8e54a-4c75-4a41-97ae-1d42bda304ca",
                         "kernelVersion": "5.15.0-1083-gcp", "osImage": "Ubuntu 22.04.4 LTS",
                         "operatingSystem": "linux", "architecture": "amd64",
                         "containerRuntimeVersion": "containerd://1.6.26",
                         "kubeletVersion": "v1.32.0", "kubeProxyVersion": "v1.32.0"}},
    }


def node_pod(ns, name, requests=None, phase="Running", node="node01"):
    c = {"name": "c", "image": "img", "resources": {"requests": requests} if requests else {}}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "uid": f"{name}-uid",
                         "creationTimestamp": "2025-05-21T20:37:55Z"},
            "spec": {"nodeName": node, "containers": [c]}, "status": {"phase": phase}}


def test_describe_node_matches_real_kubectl():
    """describe node: labels, annotations, lease, conditions, capacity, the node's pods with
    their share of allocatable, allocated resources and events, as kubectl prints them."""
    n = node01()
    lease = {"kind": "Lease", "metadata": {"name": "node01", "namespace": "kube-node-lease"},
             "spec": {"holderIdentity": "node01", "renewTime": "2025-05-21T20:51:03.000000Z"}}
    pods = [node_pod("kube-system", "kube-proxy-m49qp"),
            node_pod("kube-flannel", "kube-flannel-ds-2nsqf", {"cpu": "100m", "memory": "50Mi"}),
            node_pod("default", "done", phase="Succeeded"),
            node_pod("default", "elsewhere", node="node02")]
    t = "2025-05-21T20:37:%02dZ"
    events = [ev(n, "Normal", "Starting", "", "kube-proxy", t % 48),
              ev(n, "Normal", "Starting", "Starting kubelet.", "kubelet", t % 49),
              ev(n, "Warning", "InvalidDiskCapacity", "invalid capacity 0 on image filesystem",
                 "kubelet", t % 49),
              ev(n, "Warning", "CgroupV1", "cgroup v1 support is in maintenance mode, please "
                 "migrate to cgroup v2", "kubelet", t % 49),
              ev(n, "Normal", "RegisteredNode", "Node node01 event: Registered Node node01 in "
                 "Controller", "node-controller", t % 50),
              ev(n, "Normal", "NodeHasSufficientMemory", "Node node01 status is now: "
                 "NodeHasSufficientMemory", "kubelet", t % 49, t % 51, 2),
              ev(n, "Normal", "NodeHasNoDiskPressure", "Node node01 status is now: "
                 "NodeHasNoDiskPressure", "kubelet", t % 49, t % 51, 2),
              ev(n, "Normal", "NodeHasSufficientPID", "Node node01 status is now: "
                 "NodeHasSufficientPID", "kubelet", t % 49, t % 51, 2),
              ev(n, "Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across "
                 "pods", "kubelet", t % 51),
              ev(n, "Normal", "NodeReady", "Node node01 status is now: NodeReady", "kubelet",
                 t % 52)]
    # the latest event first: describe sorts by last timestamp (ties keep the API's order)
    ctx = Ctx(datetime(2025, 5, 21, 20, 51, 0, tzinfo=timezone.utc), [n, lease, *pods],
              events[-1:] + events[:-1])
    assert describe(n, ctx) == NODE_TEXT


def test_describe_node_taints_and_control_plane_role():
    """A kubeadm control plane shows its role and its NoSchedule taint; cordoned means
    Unschedulable: true; with no Lease object the kubelet's last heartbeat is the renew time."""
    n = node01()
    n["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] = ""
    n["spec"]["taints"] = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
                           {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    n["spec"]["unschedulable"] = True
    text = describe(n, Ctx(datetime(2025, 5, 21, 20, 51, 0, tzinfo=timezone.utc)))
    assert "Roles:              control-plane\n" in text
    assert ("Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n"
            "                    node.kubernetes.io/unschedulable:NoSchedule\n"
            "Unschedulable:      true\n"
            "Lease:\n"
            "  HolderIdentity:  node01\n"
            "  AcquireTime:     <unset>\n"
            "  RenewTime:       Wed, 21 May 2025 20:47:49 +0000\n") in text
    assert text.endswith("Events:              <none>\n")


# --- Deployment --------------------------------------------------------------------------------

DEPLOYMENT_TEXT = (
    'Name:                   nginx-deployment\n'
    'Namespace:              default\n'
    'CreationTimestamp:      Wed, 02 Apr 2025 19:21:52 +0000\n'
    'Labels:                 app=nginx\n'
    'Annotations:            deployment.kubernetes.io/revision: 2\n'
    'Selector:               app=nginx\n'
    'Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\n'
    'StrategyType:           RollingUpdate\n'
    'MinReadySeconds:        0\n'
    'RollingUpdateStrategy:  25% max unavailable, 25% max surge\n'
    'Pod Template:\n'
    '  Labels:  app=nginx\n'
    '  Containers:\n'
    '   nginx:\n'
    '    Image:         nginx:1.27.4\n'
    '    Port:          8080/TCP\n'
    '    Host Port:     0/TCP\n'
    '    Environment:   <none>\n'
    '    Mounts:        <none>\n'
    '  Volumes:         <none>\n'
    '  Node-Selectors:  <none>\n'
    '  Tolerations:     <none>\n'
    'Conditions:\n'
    '  Type           Status  Reason\n'
    '  ----           ------  ------\n'
    '  Available      True    MinimumReplicasAvailable\n'
    '  Progressing    True    NewReplicaSetAvailable\n'
    'OldReplicaSets:  nginx-deployment-558d6675d6 (0/0 replicas created)\n'
    'NewReplicaSet:   nginx-deployment-7d4695759d (2/2 replicas created)\n'
    'Events:\n'
    '  Type    Reason             Age    From                   Message\n'
    '  ----    ------             ----   ----                   -------\n'
    '  Normal  ScalingReplicaSet  4m52s  deployment-controller  Scaled up replica set nginx-deployment-7d4695759d from 0 to 1\n'
    '  Normal  ScalingReplicaSet  4m51s  deployment-controller  Scaled down replica set nginx-deployment-558d6675d6 from 2 to 1\n'
    '  Normal  ScalingReplicaSet  4m51s  deployment-controller  Scaled up replica set nginx-deployment-7d4695759d from 1 to 2\n'
    '  Normal  ScalingReplicaSet  4m49s  deployment-controller  Scaled down replica set nginx-deployment-558d6675d6 from 1 to 0\n'
)


def test_describe_deployment_matches_real_kubectl():
    """describe deployment: replicas line, strategy, pod template, conditions, the old and new
    ReplicaSets it controls and its scaling events."""
    template = {"metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27.4",
                                         "ports": [{"containerPort": 8080, "protocol": "TCP"}]}]}}
    d = {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "nginx-deployment", "namespace": "default", "uid": "d-uid",
                      "creationTimestamp": "2025-04-02T19:21:52Z", "labels": {"app": "nginx"},
                      "annotations": {"deployment.kubernetes.io/revision": "2"}},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "nginx"}},
                  "strategy": {"type": "RollingUpdate",
                               "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                  "template": template},
         "status": {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 2,
                    "readyReplicas": 2,
                    "conditions": [{"type": "Available", "status": "True",
                                    "reason": "MinimumReplicasAvailable"},
                                   {"type": "Progressing", "status": "True",
                                    "reason": "NewReplicaSetAvailable"}]}}

    def rs(name, hash_, image, replicas, created):
        labels = {"app": "nginx", "pod-template-hash": hash_}
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": "default", "uid": f"{name}-uid",
                             "creationTimestamp": created, "labels": labels,
                             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                                  "name": "nginx-deployment", "uid": "d-uid",
                                                  "controller": True}]},
                "spec": {"replicas": replicas,
                         "selector": {"matchLabels": labels},
                         "template": {"metadata": {"labels": labels},
                                      "spec": {"containers": [{**template["spec"]["containers"][0],
                                                               "image": image}]}}},
                "status": {"replicas": replicas}}

    new = rs("nginx-deployment-7d4695759d", "7d4695759d", "nginx:1.27.4", 2, "2025-04-02T19:21:52Z")
    old = rs("nginx-deployment-558d6675d6", "558d6675d6", "nginx:1.27.3", 0, "2025-04-02T19:01:00Z")
    stranger = rs("other-5f5f5f5f5f", "5f5f5f5f5f", "nginx:1.27.4", 1, "2025-04-02T19:01:00Z")
    stranger["metadata"]["ownerReferences"][0]["uid"] = "someone-else"
    events = [ev(d, "Normal", "ScalingReplicaSet",
                 "Scaled up replica set nginx-deployment-7d4695759d from 0 to 1",
                 "deployment-controller", "2025-04-02T19:21:52Z"),
              ev(d, "Normal", "ScalingReplicaSet",
                 "Scaled down replica set nginx-deployment-558d6675d6 from 2 to 1",
                 "deployment-controller", "2025-04-02T19:21:53Z"),
              ev(d, "Normal", "ScalingReplicaSet",
                 "Scaled up replica set nginx-deployment-7d4695759d from 1 to 2",
                 "deployment-controller", "2025-04-02T19:21:53Z"),
              ev(d, "Normal", "ScalingReplicaSet",
                 "Scaled down replica set nginx-deployment-558d6675d6 from 1 to 0",
                 "deployment-controller", "2025-04-02T19:21:55Z")]
    ctx = Ctx(datetime(2025, 4, 2, 19, 26, 44, tzinfo=timezone.utc), [new, old, stranger], events)
    assert describe(d, ctx) == DEPLOYMENT_TEXT


# --- Pod ---------------------------------------------------------------------------------------

POD_TEXT = (
    'Name:             preinstall-hook\n'
    'Namespace:        default\n'
    'Priority:         0\n'
    'Service Account:  default\n'
    'Node:             minikube/192.168.49.2\n'
    'Start Time:       Wed, 26 Feb 2025 20:59:05 +0000\n'
    'Labels:           <none>\n'
    'Annotations:      helm.sh/hook: pre-install\n'
    'Status:           Succeeded\n'
    'IP:               10.244.0.35\n'
    'IPs:\n'
    '  IP:  10.244.0.35\n'
    'Containers:\n'
    '  pre-install-container:\n'
    '    Container ID:  docker://7b65ab0afc7603eeb81bbb1b273bee7b7cfff63d1d95b4a8dd46291884d002bf\n'
    '    Image:         busybox\n'
    '    Image ID:      docker-pullable://busybox@sha256:498a000f370d8c37927118ed80afe8adc38d1edcbfc071627d17b25c88efcab0\n'
    '    Port:          <none>\n'
    '    Host Port:     <none>\n'
    '    Command:\n'
    '      sh\n'
    '      -c\n'
    '      echo The pre-install hook is running && sleep 19\n'
    '    State:          Terminated\n'
    '      Reason:       Completed\n'
    '      Exit Code:    0\n'
    '      Started:      Wed, 26 Feb 2025 20:59:05 +0000\n'
    '      Finished:     Wed, 26 Feb 2025 20:59:24 +0000\n'
    '    Ready:          False\n'
    '    Restart Count:  0\n'
    '    Environment:    <none>\n'
    '    Mounts:\n'
    '      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-tthbh (ro)\n'
    'Conditions:\n'
    '  Type                        Status\n'
    '  PodReadyToStartContainers   False \n'
    '  Initialized                 True \n'
    '  Ready                       False \n'
    '  ContainersReady             False \n'
    '  PodScheduled                True \n'
    'Volumes:\n'
    '  kube-api-access-tthbh:\n'
    '    Type:                    Projected (a volume that contains injected data from multiple sources)\n'
    '    TokenExpirationSeconds:  3607\n'
    '    ConfigMapName:           kube-root-ca.crt\n'
    '    ConfigMapOptional:       <nil>\n'
    '    DownwardAPI:             true\n'
    'QoS Class:                   BestEffort\n'
    'Node-Selectors:              <none>\n'
    'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n'
    '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n'
    'Events:\n'
    '  Type    Reason     Age    From               Message\n'
    '  ----    ------     ----   ----               -------\n'
    '  Normal  Scheduled  4m55s  default-scheduler  Successfully assigned default/preinstall-hook to minikube\n'
    '  Normal  Pulled     4m55s  kubelet            Container image "busybox" already present on machine\n'
    '  Normal  Created    4m55s  kubelet            Created container: pre-install-container\n'
    '  Normal  Started    4m55s  kubelet            Started container pre-install-container\n'
)


def test_describe_pod_matches_real_kubectl():
    """describe pod: the 18-wide header, container state, conditions with their trailing
    spaces, the service-account volume, QoS class, default tolerations and events."""
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "preinstall-hook", "namespace": "default", "uid": "p-uid",
                        "annotations": {"helm.sh/hook": "pre-install"}},
           "spec": {"priority": 0, "serviceAccountName": "default", "nodeName": "minikube",
                    "containers": [{
                        "name": "pre-install-container", "image": "busybox",
                        "command": ["sh", "-c", "echo The pre-install hook is running && sleep 19"],
                        "volumeMounts": [{"name": "kube-api-access-tthbh", "readOnly": True,
                                          "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
                    "volumes": [{"name": "kube-api-access-tthbh", "projected": {"sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"name": "kube-root-ca.crt",
                                       "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                            "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
                    "tolerations": [
                        {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                         "effect": "NoExecute", "tolerationSeconds": 300},
                        {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                         "effect": "NoExecute", "tolerationSeconds": 300}]},
           "status": {"phase": "Succeeded", "hostIP": "192.168.49.2", "podIP": "10.244.0.35",
                      "podIPs": [{"ip": "10.244.0.35"}], "startTime": "2025-02-26T20:59:05Z",
                      "qosClass": "BestEffort",
                      "conditions": [{"type": t, "status": s} for t, s in (
                          ("PodReadyToStartContainers", "False"), ("Initialized", "True"),
                          ("Ready", "False"), ("ContainersReady", "False"),
                          ("PodScheduled", "True"))],
                      "containerStatuses": [{
                          "name": "pre-install-container", "ready": False, "restartCount": 0,
                          "containerID": "docker://7b65ab0afc7603eeb81bbb1b273bee7b7cfff63d1d95b4a8dd46291884d002bf",
                          "imageID": "docker-pullable://busybox@sha256:498a000f370d8c37927118ed80afe8adc38d1edcbfc071627d17b25c88efcab0",
                          "state": {"terminated": {"exitCode": 0, "reason": "Completed",
                                                   "startedAt": "2025-02-26T20:59:05Z",
                                                   "finishedAt": "2025-02-26T20:59:24Z"}}}]}}
    t = "2025-02-26T20:59:05Z"
    events = [ev(pod, "Normal", "Scheduled",
                 "Successfully assigned default/preinstall-hook to minikube", "default-scheduler", t),
              ev(pod, "Normal", "Pulled", 'Container image "busybox" already present on machine',
                 "kubelet", t),
              ev(pod, "Normal", "Created", "Created container: pre-install-container", "kubelet", t),
              ev(pod, "Normal", "Started", "Started container pre-install-container", "kubelet", t)]
    ctx = Ctx(datetime(2025, 2, 26, 21, 4, 0, tzinfo=timezone.utc), [], events)
    assert describe(pod, ctx) == POD_TEXT


def test_describe_pending_pod_and_running_container():
    """A pod that is not scheduled: Node <none>, an empty IP, IPs <none>; a running container
    with a restart shows its Last State; the FailedScheduling event follows."""
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "web", "namespace": "default", "uid": "w-uid",
                        "labels": {"run": "web"}, "creationTimestamp": "2025-01-01T00:00:30Z",
                        "ownerReferences": [{"kind": "ReplicaSet", "name": "web-7854ff8877",
                                             "controller": True, "uid": "rs"}]},
           "spec": {"priority": 0, "serviceAccountName": "default",
                    "containers": [{"name": "web", "image": "nginx",
                                    "ports": [{"containerPort": 80, "protocol": "TCP"},
                                              {"containerPort": 443, "protocol": "TCP"}],
                                    "env": [{"name": "MODE", "value": "prod"}]}]},
           "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False"}]}}
    now = datetime(2025, 1, 1, 0, 1, 0, tzinfo=timezone.utc)
    events = [ev(pod, "Warning", "FailedScheduling",
                 "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are "
                 "available: 1 No preemption victims found for incoming pod.",
                 "default-scheduler", "2025-01-01T00:00:30Z")]
    assert describe(pod, Ctx(now, [], events)) == (
        "Name:             web\n"
        "Namespace:        default\n"
        "Priority:         0\n"
        "Service Account:  default\n"
        "Node:             <none>\n"
        "Labels:           run=web\n"
        "Annotations:      <none>\n"
        "Status:           Pending\n"
        "IP:               \n"
        "IPs:              <none>\n"
        "Controlled By:    ReplicaSet/web-7854ff8877\n"
        "Containers:\n"
        "  web:\n"
        "    Image:       nginx\n"
        "    Ports:       80/TCP, 443/TCP\n"
        "    Host Ports:  0/TCP, 0/TCP\n"
        "    Environment:\n"
        "      MODE:  prod\n"
        "    Mounts:  <none>\n"
        "Conditions:\n"
        "  Type           Status\n"
        "  PodScheduled   False \n"
        "Volumes:         <none>\n"
        "QoS Class:       BestEffort\n"
        "Node-Selectors:  <none>\n"
        "Tolerations:     <none>\n"
        "Events:\n"
        "  Type     Reason            Age   From               Message\n"
        "  ----     ------            ----  ----               -------\n"
        "  Warning  FailedScheduling  30s   default-scheduler  0/1 nodes are available: 1 "
        "Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found "
        "for incoming pod.\n")


# --- DaemonSet, ReplicaSet ---------------------------------------------------------------------

DAEMONSET_TEXT = (
    'Name:           kube-proxy\n'
    'Selector:       k8s-app=kube-proxy\n'
    'Node-Selector:  kubernetes.io/os=linux\n'
    'Labels:         k8s-app=kube-proxy\n'
    'Annotations:    deprecated.daemonset.template.generation: 1\n'
    'Desired Number of Nodes Scheduled: 1\n'
    'Current Number of Nodes Scheduled: 1\n'
    'Number of Nodes Scheduled with Up-to-date Pods: 1\n'
    'Number of Nodes Scheduled with Available Pods: 1\n'
    'Number of Nodes Misscheduled: 0\n'
    'Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n'
    'Pod Template:\n'
    '  Labels:           k8s-app=kube-proxy\n'
    '  Service Account:  kube-proxy\n'
    '  Containers:\n'
    '   kube-proxy:\n'
    '    Image:      registry.k8s.io/kube-proxy:v1.32.0\n'
    '    Port:       <none>\n'
    '    Host Port:  <none>\n'
    '    Command:\n'
    '      /usr/local/bin/kube-proxy\n'
    '      --config=/var/lib/kube-proxy/config.conf\n'
    '      --hostname-override=$(NODE_NAME)\n'
    '    Environment:\n'
    '      NODE_NAME:   (v1:spec.nodeName)\n'
    '    Mounts:\n'
    '      /lib/modules from lib-modules (ro)\n'
    '      /run/xtables.lock from xtables-lock (rw)\n'
    '      /var/lib/kube-proxy from kube-proxy (rw)\n'
    '  Volumes:\n'
    '   kube-proxy:\n'
    '    Type:      ConfigMap (a volume populated by a ConfigMap)\n'
    '    Name:      kube-proxy\n'
    '    Optional:  false\n'
    '   xtables-lock:\n'
    '    Type:          HostPath (bare host directory volume)\n'
    '    Path:          /run/xtables.lock\n'
    '    HostPathType:  FileOrCreate\n'
    '   lib-modules:\n'
    '    Type:               HostPath (bare host directory volume)\n'
    '    Path:               /lib/modules\n'
    '    HostPathType:       \n'
    '  Priority Class Name:  system-node-critical\n'
    '  Node-Selectors:       kubernetes.io/os=linux\n'
    '  Tolerations:          op=Exists\n'
    'Events:\n'
    '  Type    Reason            Age    From                  Message\n'
    '  ----    ------            ----   ----                  -------\n'
    '  Normal  SuccessfulCreate  8m23s  daemonset-controller  Created pod: kube-proxy-llcdx\n'
)


def test_describe_daemonset_matches_real_kubectl():
    """describe daemonset (v1.32 has no Namespace line): node counts, pods status and a pod
    template with a downward-API env var, host paths and a tolerate-everything toleration."""
    labels = {"k8s-app": "kube-proxy"}
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet",
          "metadata": {"name": "kube-proxy", "namespace": "kube-system", "uid": "ds-uid",
                       "labels": labels,
                       "annotations": {"deprecated.daemonset.template.generation": "1"}},
          "spec": {"selector": {"matchLabels": labels},
                   "template": {"metadata": {"labels": labels}, "spec": {
                       "serviceAccountName": "kube-proxy",
                       "priorityClassName": "system-node-critical",
                       "nodeSelector": {"kubernetes.io/os": "linux"},
                       "tolerations": [{"operator": "Exists"}],
                       "containers": [{
                           "name": "kube-proxy", "image": "registry.k8s.io/kube-proxy:v1.32.0",
                           "command": ["/usr/local/bin/kube-proxy",
                                       "--config=/var/lib/kube-proxy/config.conf",
                                       "--hostname-override=$(NODE_NAME)"],
                           "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {
                               "apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                           "volumeMounts": [
                               {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                               {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                               {"mountPath": "/lib/modules", "name": "lib-modules",
                                "readOnly": True}]}],
                       "volumes": [
                           {"name": "kube-proxy", "configMap": {"name": "kube-proxy"}},
                           {"name": "xtables-lock", "hostPath": {"path": "/run/xtables.lock",
                                                                 "type": "FileOrCreate"}},
                           {"name": "lib-modules", "hostPath": {"path": "/lib/modules",
                                                                "type": ""}}]}}},
          "status": {"desiredNumberScheduled": 1, "currentNumberScheduled": 1,
                     "updatedNumberScheduled": 1, "numberAvailable": 1, "numberReady": 1,
                     "numberMisscheduled": 0}}
    pod = {"kind": "Pod", "metadata": {"name": "kube-proxy-llcdx", "namespace": "kube-system",
                                       "labels": labels, "ownerReferences": [
                                           {"kind": "DaemonSet", "uid": "ds-uid", "controller": True}]},
           "status": {"phase": "Running"}}
    events = [ev(ds, "Normal", "SuccessfulCreate", "Created pod: kube-proxy-llcdx",
                 "daemonset-controller", "2025-06-22T05:50:00Z")]
    ctx = Ctx(datetime(2025, 6, 22, 5, 58, 23, tzinfo=timezone.utc), [pod], events)
    assert describe(ds, ctx) == DAEMONSET_TEXT


REPLICASET_TEXT = (
    'Name:           deployment-test-7599fd966\n'
    'Namespace:      uat\n'
    'Selector:       app=front,pod-template-hash=7599fd966\n'
    'Labels:         app=front\n'
    '                pod-template-hash=7599fd966\n'
    'Annotations:    deployment.kubernetes.io/desired-replicas: 2\n'
    '                deployment.kubernetes.io/max-replicas: 3\n'
    '                deployment.kubernetes.io/revision: 1\n'
    'Controlled By:  Deployment/deployment-test\n'
    'Replicas:       0 current / 2 desired\n'
    'Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n'
    'Pod Template:\n'
    '  Labels:  app=front\n'
    '           pod-template-hash=7599fd966\n'
    '  Containers:\n'
    '   nginx:\n'
    '    Image:      nginx:alpine\n'
    '    Port:       <none>\n'
    '    Host Port:  <none>\n'
    '    Requests:\n'
    '      cpu:         500m\n'
    '      memory:      500Mi\n'
    '    Environment:   <none>\n'
    '    Mounts:        <none>\n'
    '  Volumes:         <none>\n'
    '  Node-Selectors:  <none>\n'
    '  Tolerations:     <none>\n'
    'Conditions:\n'
    '  Type             Status  Reason\n'
    '  ----             ------  ------\n'
    '  ReplicaFailure   True    FailedCreate\n'
    'Events:            <none>\n'
)


def test_describe_replicaset_matches_real_kubectl():
    """describe replicaset: selector, owner, `0 current / 2 desired`, pods status, the
    template's requests and a ReplicaFailure condition; no events prints `Events: <none>`."""
    labels = {"app": "front", "pod-template-hash": "7599fd966"}
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": "deployment-test-7599fd966", "namespace": "uat", "uid": "rs-uid",
                       "labels": labels,
                       "annotations": {"deployment.kubernetes.io/desired-replicas": "2",
                                       "deployment.kubernetes.io/max-replicas": "3",
                                       "deployment.kubernetes.io/revision": "1"},
                       "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                            "name": "deployment-test", "uid": "d",
                                            "controller": True}]},
          "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                   "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                       "name": "nginx", "image": "nginx:alpine",
                       "resources": {"requests": {"cpu": "500m", "memory": "500Mi"}}}]}}},
          "status": {"replicas": 0, "conditions": [{"type": "ReplicaFailure", "status": "True",
                                                    "reason": "FailedCreate"}]}}
    ctx = Ctx(datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert describe(rs, ctx) == REPLICASET_TEXT


def test_describe_replicationcontroller_counts_its_pods_by_phase():
    """describe rc: selector as labels, `N current / N desired`, pods counted by phase (only
    the pods it controls)."""
    rc = {"apiVersion": "v1", "kind": "ReplicationController",
          "metadata": {"name": "myapp-rc", "namespace": "default", "uid": "rc-uid",
                       "labels": {"app": "myapp"}},
          "spec": {"replicas": 3, "selector": {"app": "myapp"},
                   "template": {"metadata": {"labels": {"app": "myapp"}},
                                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}},
          "status": {"replicas": 3}}

    def p(name, phase, owner="rc-uid"):
        return {"kind": "Pod", "metadata": {"name": name, "namespace": "default",
                                            "labels": {"app": "myapp"},
                                            "ownerReferences": [{"uid": owner, "controller": True}]},
                "status": {"phase": phase}}
    pods = [p("a", "Running"), p("b", "Running"), p("c", "Pending"), p("d", "Running", "other")]
    events = [ev(rc, "Normal", "SuccessfulCreate", "Created pod: myapp-rc-abcde",
                 "replication-controller", "2025-01-01T00:00:00Z")]
    ctx = Ctx(datetime(2025, 1, 1, 0, 2, 0, tzinfo=timezone.utc), pods, events)
    assert describe(rc, ctx) == (
        "Name:         myapp-rc\n"
        "Namespace:    default\n"
        "Selector:     app=myapp\n"
        "Labels:       app=myapp\n"
        "Annotations:  <none>\n"
        "Replicas:     3 current / 3 desired\n"
        "Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=myapp\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx\n"
        "    Port:          <none>\n"
        "    Host Port:     <none>\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age   From                    Message\n"
        "  ----    ------            ----  ----                    -------\n"
        "  Normal  SuccessfulCreate  2m    replication-controller  Created pod: myapp-rc-abcde\n")


# --- Service, Endpoints ------------------------------------------------------------------------

SERVICE_TEXT = (
    'Name:                     nginx\n'
    'Namespace:                default\n'
    'Labels:                   app=nginx\n'
    'Annotations:              <none>\n'
    'Selector:                 app=nginx\n'
    'Type:                     NodePort\n'
    'IP Family Policy:         SingleStack\n'
    'IP Families:              IPv4\n'
    'IP:                       10.107.185.30\n'
    'IPs:                      10.107.185.30\n'
    'Port:                     <unset>  80/TCP\n'
    'TargetPort:               80/TCP\n'
    'NodePort:                 <unset>  31260/TCP\n'
    'Endpoints:                10.244.2.2:80,10.244.2.3:80,10.244.1.2:80 + 1 more...\n'
    'Session Affinity:         None\n'
    'External Traffic Policy:  Cluster\n'
    'Internal Traffic Policy:  Cluster\n'
    'Events:                   <none>\n'
)

KUBERNETES_SERVICE_TEXT = (
    'Name:                     kubernetes\n'
    'Namespace:                default\n'
    'Labels:                   component=apiserver\n'
    '                          provider=kubernetes\n'
    'Annotations:              <none>\n'
    'Selector:                 <none>\n'
    'Type:                     ClusterIP\n'
    'IP Family Policy:         SingleStack\n'
    'IP Families:              IPv4\n'
    'IP:                       10.43.0.1\n'
    'IPs:                      10.43.0.1\n'
    'Port:                     https  443/TCP\n'
    'TargetPort:               6443/TCP\n'
    'Endpoints:                192.30.72.6:6443\n'
    'Session Affinity:         None\n'
    'Internal Traffic Policy:  Cluster\n'
    'Events:                   <none>\n'
)


def service(name, type_, ip, ports, selector=None, labels=None, etp=True):
    spec = {"type": type_, "clusterIP": ip, "clusterIPs": [ip], "ports": ports,
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster"}
    if selector:
        spec["selector"] = selector
    if etp:
        spec["externalTrafficPolicy"] = "Cluster"
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default", "uid": f"{name}-uid",
                         "labels": labels or {}},
            "spec": spec}


def test_describe_nodeport_service_reads_endpoint_slices():
    """describe svc: NodePort lines and Endpoints from the EndpointSlices, at most 3 then
    ` + N more...`."""
    svc = service("nginx", "NodePort", "10.107.185.30",
                  [{"port": 80, "targetPort": 80, "nodePort": 31260, "protocol": "TCP"}],
                  selector={"app": "nginx"}, labels={"app": "nginx"})
    ips = ["10.244.2.2", "10.244.2.3", "10.244.1.2", "10.244.1.3"]
    sl = {"kind": "EndpointSlice", "metadata": {"name": "nginx-x7k2p", "namespace": "default",
                                                "labels": {"kubernetes.io/service-name": "nginx"}},
          "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
          "endpoints": [{"addresses": [ip], "conditions": {"ready": True}} for ip in ips]}
    assert describe(svc, Ctx(datetime(2025, 1, 1, tzinfo=timezone.utc), [sl])) == SERVICE_TEXT


def test_describe_service_without_selector_uses_its_endpoints():
    """The `kubernetes` service has no selector; its hand-made Endpoints are what is shown."""
    svc = service("kubernetes", "ClusterIP", "10.43.0.1",
                  [{"name": "https", "port": 443, "targetPort": 6443, "protocol": "TCP"}],
                  labels={"component": "apiserver", "provider": "kubernetes"}, etp=False)
    ep = {"kind": "Endpoints", "metadata": {"name": "kubernetes", "namespace": "default"},
          "subsets": [{"addresses": [{"ip": "192.30.72.6"}],
                       "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}
    assert describe(svc, Ctx(datetime(2025, 1, 1, tzinfo=timezone.utc), [ep])) == \
        KUBERNETES_SERVICE_TEXT


def test_service_endpoints_skip_not_ready_and_read_empty_when_nothing_matches():
    """Only ready endpoints are listed; a selector that matches nothing leaves the Endpoints
    line empty (the slice exists but has no endpoints); no selector and no slices is <none>."""
    svc = service("web", "ClusterIP", "10.96.5.5", [{"port": 80, "targetPort": 8080,
                                                      "protocol": "TCP"}],
                  selector={"app": "web"}, etp=False)
    ep = {"kind": "Endpoints", "metadata": {"name": "web", "namespace": "default"},
          "subsets": [{"addresses": [{"ip": "10.244.1.5"}],
                       "notReadyAddresses": [{"ip": "10.244.1.6"}],
                       "ports": [{"port": 8080, "protocol": "TCP"}]}]}
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert "Endpoints:                10.244.1.5:8080\n" in describe(svc, Ctx(now, [ep]))
    assert "Endpoints:                \n" in describe(svc, Ctx(now, []))
    lone = service("lone", "ClusterIP", "10.96.5.6", [{"port": 80, "targetPort": 80,
                                                        "protocol": "TCP"}], etp=False)
    assert "Endpoints:                <none>\n" in describe(lone, Ctx(now, []))


def test_describe_endpoints_lists_subsets():
    """describe endpoints: each subset's ready and not-ready addresses and its ports."""
    ep = {"apiVersion": "v1", "kind": "Endpoints",
          "metadata": {"name": "web", "namespace": "default", "uid": "e",
                       "labels": {"app": "web"}},
          "subsets": [{"addresses": [{"ip": "10.244.1.5"}, {"ip": "10.244.2.7"}],
                       "ports": [{"port": 8080, "protocol": "TCP"}]}]}
    assert describe(ep, Ctx(datetime(2025, 1, 1, tzinfo=timezone.utc))) == (
        "Name:         web\n"
        "Namespace:    default\n"
        "Labels:       app=web\n"
        "Annotations:  <none>\n"
        "Subsets:\n"
        "  Addresses:          10.244.1.5,10.244.2.7\n"
        "  NotReadyAddresses:  <none>\n"
        "  Ports:\n"
        "    Name     Port  Protocol\n"
        "    ----     ----  --------\n"
        "    <unset>  8080  TCP\n"
        "\n"
        "Events:  <none>\n")


# --- Namespace, ConfigMap ----------------------------------------------------------------------

def test_describe_namespace_without_quotas_or_limits():
    """describe namespace: labels, status, then `No resource quota.` and
    `No LimitRange resource.` each after an empty line."""
    ns = {"apiVersion": "v1", "kind": "Namespace",
          "metadata": {"name": "default", "uid": "ns",
                       "labels": {"kubernetes.io/metadata.name": "default"}},
          "status": {"phase": "Active"}}
    assert describe(ns, Ctx(datetime(2025, 1, 1, tzinfo=timezone.utc))) == (
        "Name:         default\n"
        "Labels:       kubernetes.io/metadata.name=default\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n")


def test_describe_configmap_prints_each_key():
    """describe configmap: a Data section with each key, `----` and the value, then an empty
    BinaryData section and the events."""
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": "app-config", "namespace": "default", "uid": "cm"},
          "data": {"APP_COLOR": "blue", "APP_MODE": "prod"}}
    assert describe(cm, Ctx(datetime(2025, 1, 1, tzinfo=timezone.utc))) == (
        "Name:         app-config\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Data\n"
        "====\n"
        "APP_COLOR:\n"
        "----\n"
        "blue\n"
        "\n"
        "APP_MODE:\n"
        "----\n"
        "prod\n"
        "\n"
        "\n"
        "BinaryData\n"
        "====\n"
        "\n"
        "Events:  <none>\n")


def test_long_and_multiline_annotations_are_wrapped():
    """An annotation longer than 140 characters (or with newlines) goes on its own lines,
    each cut at 138 characters with `...`; last-applied-configuration is never shown."""
    long_value = "x" * 150
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": "c", "namespace": "default", "uid": "c",
                       "annotations": {"a": long_value, "b": "short",
                                       "kubectl.kubernetes.io/last-applied-configuration": "{}"}}}
    text = describe(cm, Ctx(datetime(2025, 1, 1, tzinfo=timezone.utc)))
    assert text.startswith(
        "Name:         c\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  a:\n"
        "                " + "x" * 138 + "...\n"
        "              b: short\n")


def test_quantities_print_like_go():
    """resource.Quantity: canonical forms (`1Gi` for 1024Mi, `500m` for 0.5, `100k`), sums
    keep the first operand's format."""
    assert str(Quantity.parse("1024Mi")) == "1Gi"
    assert str(Quantity.parse("0.5")) == "500m"
    assert str(Quantity.parse("100000")) == "100k"
    assert str(Quantity.parse("1500")) == "1500"
    assert str(Quantity.parse("50Mi") + Quantity.parse("70Mi")) == "120Mi"
    assert str(Quantity.parse("100m") + Quantity.parse("900m")) == "1"
    assert Quantity.parse("65735872Ki").int_value() == 65735872 * 1024
