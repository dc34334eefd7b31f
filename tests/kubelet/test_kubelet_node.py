"""The kubelet's Node: registration, status, heartbeats, power off and on, static pods."""

from __future__ import annotations

import pytest

from k8scourse.kubelet.kubelet import node_leases

NOT_READY_MSG = ("container runtime network not ready: NetworkReady=false "
                 "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin "
                 "not initialized")


def test_node_registers_with_labels_cidr_and_capacity(harness):
    """The Node: kubernetes.io and beta labels, podCIDR by join order, capacity/allocatable."""
    h = harness(("node01", "node02"))
    n = h.api.get("Node", "", "node02")
    assert n["metadata"]["labels"] == {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "node02",
        "kubernetes.io/os": "linux"}
    assert n["spec"]["podCIDR"] == "10.244.1.0/24" and n["spec"]["podCIDRs"] == ["10.244.1.0/24"]
    st = n["status"]
    assert st["capacity"] == {"cpu": "2", "ephemeral-storage": "20134592Ki", "hugepages-1Gi": "0",
                              "hugepages-2Mi": "0", "memory": "4194304Ki", "pods": "110"}
    # kubeadm's kubelet reserves only the eviction thresholds: 100Mi of memory, 10% of the disk
    assert st["allocatable"]["memory"] == "4091904Ki"
    assert st["allocatable"]["cpu"] == "2" and st["allocatable"]["pods"] == "110"
    assert st["addresses"] == [{"address": "192.168.56.12", "type": "InternalIP"},
                               {"address": "node02", "type": "Hostname"}]
    info = st["nodeInfo"]
    assert (info["kubeletVersion"], info["kubeProxyVersion"], info["containerRuntimeVersion"],
            info["operatingSystem"], info["architecture"]) == (
        "v1.32.5", "v1.32.5", "containerd://1.7.24", "linux", "amd64")
    assert st["daemonEndpoints"] == {"kubeletEndpoint": {"Port": 10250}}


def test_node_conditions_when_the_network_is_missing(harness):
    """No CNI: Ready False KubeletNotReady with the runtime's message; pressures False."""
    h = harness(cni=False)
    conds = {c["type"]: c for c in h.api.get("Node", "", "node01")["status"]["conditions"]}
    assert [conds[t]["reason"] for t in ("MemoryPressure", "DiskPressure", "PIDPressure")] == [
        "KubeletHasSufficientMemory", "KubeletHasNoDiskPressure", "KubeletHasSufficientPID"]
    assert conds["MemoryPressure"]["message"] == "kubelet has sufficient memory available"
    assert conds["Ready"]["status"] == "False" and conds["Ready"]["reason"] == "KubeletNotReady"
    assert conds["Ready"]["message"] == NOT_READY_MSG
    taints = h.api.get("Node", "", "node01")["spec"]["taints"]
    assert {"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"} in taints


def test_node_turns_ready_when_a_network_pod_runs(harness):
    """A flannel pod running on the node installs the CNI config: Ready True, NodeReady event."""
    h = harness(cni=False)
    h.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-flannel"}})
    h.create_pod("kube-flannel-ds-abcde", "docker.io/flannel/flannel:v0.26.7",
                 namespace="kube-flannel", command=["/opt/bin/flanneld"],
                 pod_spec={"hostNetwork": True})
    h.api.write(dict(h.pod("kube-flannel-ds-abcde", "kube-flannel"), metadata=dict(
        h.pod("kube-flannel-ds-abcde", "kube-flannel")["metadata"], labels={"app": "flannel"})),
        actor="test")
    h.settle()
    n = h.api.get("Node", "", "node01")
    conds = {c["type"]: c for c in n["status"]["conditions"]}
    assert conds["Ready"]["status"] == "True"
    assert conds["Ready"]["message"] == "kubelet is posting ready status"
    assert conds["NetworkUnavailable"]["reason"] == "FlannelIsUp"
    assert n["metadata"]["annotations"]["flannel.alpha.coreos.com/backend-type"] == "vxlan"
    assert ("Normal", "NodeReady", "Node node01 status is now: NodeReady") in h.events("node01")


def test_kubelet_start_events(harness):
    """Starting kubelet., the pressure conditions, NodeNotReady, NodeAllocatableEnforced."""
    h = harness(cni=False)
    assert h.events("node01") == [
        ("Normal", "Starting", "Starting kubelet."),
        ("Normal", "NodeHasSufficientMemory", "Node node01 status is now: NodeHasSufficientMemory"),
        ("Normal", "NodeHasNoDiskPressure", "Node node01 status is now: NodeHasNoDiskPressure"),
        ("Normal", "NodeHasSufficientPID", "Node node01 status is now: NodeHasSufficientPID"),
        ("Normal", "NodeNotReady", "Node node01 status is now: NodeNotReady"),
        ("Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"),
    ]
    ev = [e for e in h.api.store.list("Event", "default") if e["reason"] == "Starting"][0]
    # the kubelet names its node by name in the UID field, as the real one does
    assert ev["involvedObject"]["uid"] == "node01"
    assert ev["source"] == {"component": "kubelet", "host": "node01"}


def test_lease_renewed_every_10_seconds(node):
    """The kube-node-lease Lease's renewTime moves every 10 s while the kubelet runs."""
    lease = node_leases(node.api)["node01"]
    assert lease["spec"]["holderIdentity"] == "node01"
    assert lease["spec"]["leaseDurationSeconds"] == 40
    node.advance(10)
    assert lease["spec"]["renewTime"] == "2025-01-01T00:00:10.000000Z"
    node.kubelets["node01"].stop()
    node.advance(30)
    assert lease["spec"]["renewTime"] == "2025-01-01T00:00:10.000000Z"


def test_images_appear_in_node_status_after_a_pull(node):
    """status.images lists what was pulled, with its digest and tag names."""
    node.create_pod("web", "nginx:1.27")
    node.settle()
    node.advance(10)
    imgs = node.api.get("Node", "", "node01")["status"]["images"]
    names = imgs[0]["names"]
    assert names[0].startswith("docker.io/library/nginx@sha256:")
    assert "docker.io/library/nginx:1.27" in names and imgs[0]["sizeBytes"] > 70_000_000


def test_deleting_on_a_stopped_node_stays_terminating(node):
    """A graceful delete needs the kubelet: with the machine off the pod stays Terminating."""
    node.create_pod("web", "nginx:1.27")
    node.settle()
    node.kubelets["node01"].stop()
    node.api.delete("Pod", "default", "web")
    node.advance(120)
    assert node.pod("web")["metadata"]["deletionTimestamp"]


def test_power_on_reregisters_kills_deleted_pods_and_restarts_the_rest(node):
    """Back on: Rebooted event; pods deleted meanwhile go; others restart with a new sandbox."""
    node.create_pod("keep", "nginx:1.27")
    node.create_pod("gone", "nginx:1.27")
    node.settle()
    old_ip = node.pod("keep")["status"]["podIP"]
    k = node.kubelets["node01"]
    boot = k.boot_id
    k.stop()
    node.advance(60)
    node.api.delete("Pod", "default", "gone")
    node.advance(60)
    k.start()
    node.settle()
    assert node.pod("gone") is None
    cs = node.pod("keep")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 1 and "running" in cs["state"]
    assert cs["lastState"]["terminated"]["reason"] == "Unknown"
    assert cs["lastState"]["terminated"]["exitCode"] == 255
    assert node.pod("keep")["status"]["podIP"] != old_ip
    assert k.boot_id != boot
    assert ("Warning", "Rebooted", f"Node node01 has been rebooted, boot id: {k.boot_id}") in \
        node.events("node01")
    assert ("Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.") \
        in node.events("keep")


def test_static_pod_mirror_comes_back_after_delete(node):
    """Deleting a mirror pod: the kubelet re-creates it; its container keeps running."""
    k = node.kubelets["node01"]
    k.add_static_pod({"apiVersion": "v1", "kind": "Pod",
                      "metadata": {"name": "etcd", "namespace": "kube-system",
                                   "labels": {"component": "etcd", "tier": "control-plane"}},
                      "spec": {"hostNetwork": True,
                               "containers": [{"name": "etcd",
                                               "image": "registry.k8s.io/etcd:3.5.16-0",
                                               "command": ["etcd"]}]}})
    node.settle()
    pod = node.pod("etcd-node01", "kube-system")
    assert pod["metadata"]["annotations"]["kubernetes.io/config.source"] == "file"
    assert pod["metadata"]["ownerReferences"][0]["kind"] == "Node"
    assert pod["status"]["podIP"] == "192.168.56.11"
    started = pod["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
    uid = pod["metadata"]["uid"]
    node.advance(30)
    node.api.delete("Pod", "kube-system", "etcd-node01")
    node.settle()
    again = node.pod("etcd-node01", "kube-system")
    assert again["metadata"]["uid"] != uid
    assert again["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] == started


def test_minikube_node_labels_and_docker_runtime(harness):
    """minikube's node: its minikube.k8s.io labels, control-plane role, cri-dockerd socket."""
    from k8scourse.cluster import ClusterConfig, NodeConfig
    from k8scourse.kubelet import Kubelet

    h = harness(nodes=())
    h.config = ClusterConfig(name="minikube", flavour="minikube", nodes=[NodeConfig(
        "minikube", "192.168.49.2", control_plane=True, container_runtime="docker://27.4.1")])
    Kubelet(h, h.config.nodes[0])
    n = h.api.get("Node", "", "minikube")
    labels = n["metadata"]["labels"]
    assert labels["minikube.k8s.io/name"] == "minikube"
    assert labels["minikube.k8s.io/primary"] == "true"
    assert labels["node-role.kubernetes.io/control-plane"] == ""
    assert n["metadata"]["annotations"]["kubeadm.alpha.kubernetes.io/cri-socket"] == \
        "unix:///var/run/cri-dockerd.sock"
    # minikube's bridge network is there from the start, and no eviction thresholds reserve memory
    assert {c["type"]: c["status"] for c in n["status"]["conditions"]}["Ready"] == "True"
    assert n["status"]["allocatable"]["memory"] == n["status"]["capacity"]["memory"]


@pytest.mark.parametrize("nodes,expected", [(3, "/24"), (300, "/25"), (1000, "/26")])
def test_pod_cidr_mask_grows_for_big_clusters(nodes, expected):
    """A /16 holds 256 /24s; more nodes get smaller ranges (as --node-cidr-mask-size would)."""
    from k8scourse.kubelet.kubelet import _Shared

    class FakeAPI:
        class store:
            @staticmethod
            def watch(kind, fn):
                pass

    s = _Shared(FakeAPI)
    cidrs = [s.allocate_cidr(f"n{i}", "10.244.0.0/16", nodes) for i in range(nodes)]
    assert cidrs[0] == f"10.244.0.0{expected}" and len(set(cidrs)) == nodes
