"""`kubectl get` tables: columns and cells as kubectl v1.32 prints them."""

from datetime import datetime, timezone

import pytest

from k8scourse.kubectl.printers import get_all, pod_status, table

NOW = datetime(2025, 1, 1, 1, 0, 0, tzinfo=timezone.utc)   # one hour after T0
T0 = "2025-01-01T00:00:00Z"


def meta(name, ns="default", created=T0, **extra):
    m = {"name": name, "creationTimestamp": created, "uid": f"uid-{name}"}
    if ns:
        m["namespace"] = ns
    m.update(extra)
    return m


def pod(name, *, phase="Running", statuses=None, init=None, init_statuses=None, node="node01",
        ip="10.244.1.2", conditions=None, deletion=None, created=T0, labels=None, reason=None,
        containers=1):
    p = {"apiVersion": "v1", "kind": "Pod",
         "metadata": meta(name, created=created),
         "spec": {"containers": [{"name": f"c{i}", "image": "nginx"} for i in range(containers)]},
         "status": {"phase": phase}}
    if labels:
        p["metadata"]["labels"] = labels
    if deletion:
        p["metadata"]["deletionTimestamp"] = deletion
    if node:
        p["spec"]["nodeName"] = node
    if ip:
        p["status"]["podIP"] = ip
        p["status"]["podIPs"] = [{"ip": ip}]
    if statuses is not None:
        p["status"]["containerStatuses"] = statuses
    if init is not None:
        p["spec"]["initContainers"] = init
    if init_statuses is not None:
        p["status"]["initContainerStatuses"] = init_statuses
    if conditions is not None:
        p["status"]["conditions"] = conditions
    if reason:
        p["status"]["reason"] = reason
    return p


def running(name="c0", restarts=0, last_finished=None, ready=True):
    s = {"name": name, "ready": ready, "restartCount": restarts,
         "state": {"running": {"startedAt": T0}}}
    if last_finished:
        s["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error",
                                         "finishedAt": last_finished}}
    return s


def waiting(reason, name="c0", restarts=0, last_finished=None):
    s = {"name": name, "ready": False, "restartCount": restarts,
         "state": {"waiting": {"reason": reason}}}
    if last_finished:
        s["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error",
                                         "finishedAt": last_finished}}
    return s


def terminated(reason=None, code=0, name="c0", signal=None):
    t = {"exitCode": code, "finishedAt": T0}
    if reason:
        t["reason"] = reason
    if signal:
        t["signal"] = signal
    return {"name": name, "ready": False, "restartCount": 0, "state": {"terminated": t}}


# --- pods ---------------------------------------------------------------------------------------

def test_unscheduled_pod_reads_0_of_1_pending_0():
    """A pod no node accepted shows `0/1 Pending 0` and `<none>` for IP and node with -o wide."""
    p = pod("web-pending", phase="Pending", node=None, ip=None,
            conditions=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}])
    assert table("Pod", [p], NOW) == (
        "NAME          READY   STATUS    RESTARTS   AGE\n"
        "web-pending   0/1     Pending   0          60m\n")
    assert table("Pod", [p], NOW, wide=True) == (
        "NAME          READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\n"
        "web-pending   0/1     Pending   0          60m   <none>   <none>   <none>           <none>\n")


def test_running_pod_and_wide_columns():
    """A ready pod shows `1/1 Running 0` and, with -o wide, its IP and node."""
    p = pod("nginx", statuses=[running()])
    assert table("Pod", [p], NOW, wide=True) == (
        "NAME    READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n"
        "nginx   1/1     Running   0          60m   10.244.1.2   node01   <none>           <none>\n")


def test_restarts_show_when_the_last_container_died():
    """RESTARTS is `N (<age> ago)` from the latest lastState.terminated.finishedAt."""
    p = pod("crash", statuses=[waiting("CrashLoopBackOff", restarts=5,
                                       last_finished="2025-01-01T00:59:23Z")])
    assert table("Pod", [p], NOW) == (
        "NAME    READY   STATUS             RESTARTS      AGE\n"
        "crash   0/1     CrashLoopBackOff   5 (37s ago)   60m\n")


def test_running_but_not_ready_reads_0_of_1_running():
    """A running container that is not ready is not counted in READY."""
    p = pod("web", statuses=[running(ready=False)])
    assert table("Pod", [p], NOW) == (
        "NAME   READY   STATUS    RESTARTS   AGE\n"
        "web    0/1     Running   0          60m\n")


@pytest.mark.parametrize("statuses,expected", [
    ([waiting("ContainerCreating")], "ContainerCreating"),
    ([waiting("ErrImagePull")], "ErrImagePull"),
    ([waiting("ImagePullBackOff")], "ImagePullBackOff"),
    ([waiting("CreateContainerConfigError")], "CreateContainerConfigError"),
    ([terminated("Completed")], "Completed"),
    ([terminated("Error", 1)], "Error"),
    ([terminated("OOMKilled", 137)], "OOMKilled"),
    ([terminated(None, 3)], "ExitCode:3"),
    ([terminated(None, 137, signal=9)], "Signal:9"),
])
def test_status_comes_from_the_container_state(statuses, expected):
    """The container's waiting or terminated reason replaces the pod phase in STATUS."""
    assert pod_status(pod("p", statuses=statuses)) == expected


def test_last_container_in_the_list_wins_the_status():
    """Containers are scanned in reverse, so the first container's reason is the one shown."""
    p = pod("two", containers=2, statuses=[waiting("ImagePullBackOff", "c0"), running("c1")])
    assert pod_status(p) == "ImagePullBackOff"
    assert table("Pod", [p], NOW) == (
        "NAME   READY   STATUS             RESTARTS   AGE\n"
        "two    1/2     ImagePullBackOff   0          60m\n")


def test_completed_with_a_container_still_running_is_running_or_notready():
    """A finished container next to a running one: Running if the pod is Ready, else NotReady."""
    statuses = [terminated("Completed", name="c1"), running("c0")]
    ready = [{"type": "Ready", "status": "True"}]
    assert pod_status(pod("p", containers=2, statuses=statuses, conditions=ready)) == "Running"
    assert pod_status(pod("p", containers=2, statuses=statuses, conditions=[])) == "NotReady"


def test_deleted_pod_reads_terminating_unless_it_finished():
    """A deletionTimestamp makes STATUS `Terminating` unless the phase is terminal."""
    p = pod("old", statuses=[running()], deletion="2025-01-01T00:59:50Z")
    assert pod_status(p) == "Terminating"
    done = pod("done", phase="Succeeded", statuses=[terminated("Completed")],
               deletion="2025-01-01T00:59:50Z")
    assert pod_status(done) == "Completed"
    lost = pod("lost", statuses=[running()], deletion="2025-01-01T00:59:50Z", reason="NodeLost")
    assert pod_status(lost) == "Unknown"


def test_init_containers_show_progress_and_failures():
    """Init containers give Init:N/M while running, Init:<reason> when they fail or back off."""
    init = [{"name": "i0", "image": "busybox"}, {"name": "i1", "image": "busybox"}]
    first_done = [terminated("Completed", name="i0"),
                  {"name": "i1", "restartCount": 0, "state": {"running": {"startedAt": T0}}}]
    p = pod("init", phase="Pending", init=init, init_statuses=first_done,
            statuses=[waiting("PodInitializing")])
    assert pod_status(p) == "Init:1/2"
    assert pod_status(pod("init", phase="Pending", init=init,
                          init_statuses=[terminated("Error", 1, name="i0")])) == "Init:Error"
    assert pod_status(pod("init", phase="Pending", init=init,
                          init_statuses=[waiting("CrashLoopBackOff", name="i0")])) == \
        "Init:CrashLoopBackOff"
    assert pod_status(pod("init", phase="Pending", init=init,
                          init_statuses=[terminated(None, 2, name="i0")])) == "Init:ExitCode:2"


def test_no_headers_recomputes_the_widths():
    """--no-headers drops the header, so the columns shrink to the cells (at least 6 wide)."""
    p = pod("nginx", statuses=[running()])
    assert table("Pod", [p], NOW, no_headers=True) == "nginx   1/1   Running   0     60m\n"


def test_all_namespaces_labels_and_label_columns():
    """-A adds NAMESPACE first; -L adds upper-cased label columns; --show-labels adds LABELS."""
    p = pod("nginx", statuses=[running()], labels={"run": "nginx", "app.kubernetes.io/name": "web"})
    assert table("Pod", [p], NOW, show_namespace=True, show_labels=True,
                 label_columns=["app.kubernetes.io/name", "tier"]) == (
        "NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE   NAME   TIER   LABELS\n"
        "default     nginx   1/1     Running   0          60m   web           app.kubernetes.io/name=web,run=nginx\n")


def test_empty_list_prints_nothing():
    """No objects: no header either (kubectl then says `No resources found` on stderr)."""
    assert table("Pod", [], NOW) == ""


# --- workloads ----------------------------------------------------------------------------------

def template(image="nginx"):
    return {"metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": image}]}}


def test_deployment_ready_is_ready_over_desired_right_after_scaling():
    """Deployments: READY = readyReplicas/spec.replicas, e.g. `3/5` right after scaling."""
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("nginx"),
         "spec": {"replicas": 5, "selector": {"matchLabels": {"app": "nginx"}},
                  "template": template()},
         "status": {"replicas": 5, "readyReplicas": 3, "updatedReplicas": 5,
                    "availableReplicas": 3}}
    assert table("Deployment", [d], NOW) == (
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "nginx   3/5     5            3           60m\n")
    assert table("Deployment", [d], NOW, wide=True) == (
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES   SELECTOR\n"
        "nginx   3/5     5            3           60m   nginx        nginx    app=nginx\n")


def test_replicasets_old_one_reads_zeros_and_wide_shows_selector():
    """An old ReplicaSet after a rollout shows `0 0 0`; -o wide adds the selector."""
    new = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta("nginx-7854ff8877"),
           "spec": {"replicas": 3, "template": template("nginx:1.27"),
                    "selector": {"matchLabels": {"app": "nginx",
                                                 "pod-template-hash": "7854ff8877"}}},
           "status": {"replicas": 3, "readyReplicas": 3}}
    old = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta("nginx-6d8f5c9b4c"),
           "spec": {"replicas": 0, "template": template(),
                    "selector": {"matchLabels": {"app": "nginx",
                                                 "pod-template-hash": "6d8f5c9b4c"}}},
           "status": {"replicas": 0}}
    assert table("ReplicaSet", [new, old], NOW) == (
        "NAME               DESIRED   CURRENT   READY   AGE\n"
        "nginx-7854ff8877   3         3         3       60m\n"
        "nginx-6d8f5c9b4c   0         0         0       60m\n")
    assert table("ReplicaSet", [new], NOW, wide=True) == (
        "NAME               DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR\n"
        "nginx-7854ff8877   3         3         3       60m   nginx        nginx:1.27   app=nginx,pod-template-hash=7854ff8877\n")


def test_replicationcontroller_columns():
    """ReplicationControllers print like ReplicaSets; their selector is a plain label map."""
    rc = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta("myapp-rc"),
          "spec": {"replicas": 3, "selector": {"app": "myapp"}, "template": template()},
          "status": {"replicas": 3, "readyReplicas": 2}}
    assert table("ReplicationController", [rc], NOW, wide=True) == (
        "NAME       DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES   SELECTOR\n"
        "myapp-rc   3         3         2       60m   nginx        nginx    app=myapp\n")


def test_daemonset_columns():
    """DaemonSets: DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE."""
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("kube-proxy", "kube-system"),
          "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
                   "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                                         "containers": [{"name": "kube-proxy",
                                                         "image": "registry.k8s.io/kube-proxy:v1.32.0"}]}}},
          "status": {"desiredNumberScheduled": 1, "currentNumberScheduled": 1, "numberReady": 1,
                     "updatedNumberScheduled": 1, "numberAvailable": 1}}
    assert table("DaemonSet", [ds], NOW) == (
        "NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
        "kube-proxy   1         1         1       1            1           kubernetes.io/os=linux   60m\n")


# --- services and endpoints ---------------------------------------------------------------------

def svc(name, type_="ClusterIP", ip="10.96.0.1", ports=(), **spec):
    s = {"apiVersion": "v1", "kind": "Service", "metadata": meta(name),
         "spec": {"type": type_, "ports": list(ports), **spec}, "status": {"loadBalancer": {}}}
    if ip:
        s["spec"]["clusterIP"] = ip
        s["spec"]["clusterIPs"] = [ip]
    return s


def test_service_ports_external_ips_and_cluster_ips():
    """PORT(S) joins `port[:nodePort]/PROTO`; EXTERNAL-IP is <none>, <pending>, the ingress IP
    or the externalName; a headless service shows CLUSTER-IP None."""
    services = [
        svc("kubernetes", ports=[{"port": 443, "protocol": "TCP"}]),
        svc("web", "NodePort", "10.104.13.9", [{"port": 80, "nodePort": 30080, "protocol": "TCP"},
                                               {"port": 443, "nodePort": 30443, "protocol": "TCP"}],
            selector={"app": "web"}),
        svc("lb", "LoadBalancer", "10.98.1.5", [{"port": 80, "nodePort": 31000, "protocol": "TCP"}]),
        svc("headless", ip="None", ports=[{"port": 5432, "protocol": "TCP"}]),
        svc("ext", "ExternalName", None, externalName="db.example.com"),
    ]
    assert table("Service", services, NOW) == (
        "NAME         TYPE           CLUSTER-IP    EXTERNAL-IP      PORT(S)                      AGE\n"
        "kubernetes   ClusterIP      10.96.0.1     <none>           443/TCP                      60m\n"
        "web          NodePort       10.104.13.9   <none>           80:30080/TCP,443:30443/TCP   60m\n"
        "lb           LoadBalancer   10.98.1.5     <pending>        80:31000/TCP                 60m\n"
        "headless     ClusterIP      None          <none>           5432/TCP                     60m\n"
        "ext          ExternalName   <none>        db.example.com   <none>                       60m\n")


def test_service_wide_selector_and_load_balancer_ingress():
    """-o wide adds SELECTOR (<none> without one); an LB with an ingress IP shows it."""
    lb = svc("lb", "LoadBalancer", "10.98.1.5", [{"port": 80, "nodePort": 31000, "protocol": "TCP"}],
             selector={"app": "web", "tier": "front"})
    lb["status"] = {"loadBalancer": {"ingress": [{"ip": "192.168.49.100"}]}}
    plain = svc("plain", ports=[{"port": 80, "protocol": "TCP"}])
    assert table("Service", [lb, plain], NOW, wide=True) == (
        "NAME    TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)        AGE   SELECTOR\n"
        "lb      LoadBalancer   10.98.1.5    192.168.49.100   80:31000/TCP   60m   app=web,tier=front\n"
        "plain   ClusterIP      10.96.0.1    <none>           80/TCP         60m   <none>\n")


def test_endpoints_show_three_then_count_the_rest():
    """ENDPOINTS lists at most 3 `ip:port`, then ` + N more...`; no subsets is <none>."""
    addrs = [{"ip": f"10.244.1.{i}"} for i in range(2, 7)]
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("web"),
          "subsets": [{"addresses": addrs, "ports": [{"port": 80, "protocol": "TCP"}]}]}
    empty = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("nothing")}
    two = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("db"),
           "subsets": [{"addresses": addrs[:2], "ports": [{"port": 5432, "protocol": "TCP"}]}]}
    assert table("Endpoints", [ep, empty, two], NOW) == (
        "NAME      ENDPOINTS                                               AGE\n"
        "web       10.244.1.2:80,10.244.1.3:80,10.244.1.4:80 + 2 more...   60m\n"
        "nothing   <none>                                                  60m\n"
        "db        10.244.1.2:5432,10.244.1.3:5432                         60m\n")


# --- nodes, namespaces, configmaps, events ------------------------------------------------------

def node(name, ready="True", labels=None, unschedulable=False, created="2025-01-01T00:42:00Z",
         ip="192.168.129.238"):
    n = {"apiVersion": "v1", "kind": "Node",
         "metadata": meta(name, ns=None, created=created, labels=labels or {}),
         "spec": {},
         "status": {"conditions": [{"type": "Ready", "status": ready}],
                    "addresses": [{"type": "InternalIP", "address": ip},
                                  {"type": "Hostname", "address": name}],
                    "nodeInfo": {"kubeletVersion": "v1.32.0", "osImage": "Ubuntu 22.04.4 LTS",
                                 "kernelVersion": "5.15.0-1083-gcp",
                                 "containerRuntimeVersion": "containerd://1.6.26"}}}
    if unschedulable:
        n["spec"]["unschedulable"] = True
    return n


def test_nodes_status_roles_and_version():
    """Nodes: ROLES from node-role.kubernetes.io/<role> labels, <none> without; a cordoned
    node adds ,SchedulingDisabled; a node whose Ready condition is not True is NotReady."""
    nodes = [node("controlplane", labels={"node-role.kubernetes.io/control-plane": ""},
                  created="2025-01-01T00:42:00Z"),
             node("node01", created="2025-01-01T00:43:00Z"),
             node("node02", unschedulable=True, created="2025-01-01T00:43:00Z"),
             node("node03", ready="Unknown", created="2025-01-01T00:43:00Z")]
    assert table("Node", nodes, NOW) == (
        "NAME           STATUS                     ROLES           AGE   VERSION\n"
        "controlplane   Ready                      control-plane   18m   v1.32.0\n"
        "node01         Ready                      <none>          17m   v1.32.0\n"
        "node02         Ready,SchedulingDisabled   <none>          17m   v1.32.0\n"
        "node03         NotReady                   <none>          17m   v1.32.0\n")


def test_nodes_wide_columns():
    """-o wide adds INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME."""
    assert table("Node", [node("node01")], NOW, wide=True) == (
        "NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP       EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION    CONTAINER-RUNTIME\n"
        "node01   Ready    <none>   18m   v1.32.0   192.168.129.238   <none>        Ubuntu 22.04.4 LTS   5.15.0-1083-gcp   containerd://1.6.26\n")


def test_namespaces_and_configmaps():
    """Namespaces: NAME STATUS AGE; ConfigMaps: NAME DATA AGE (data plus binaryData keys)."""
    nss = [{"kind": "Namespace", "metadata": meta(n, ns=None), "status": {"phase": "Active"}}
           for n in ("default", "kube-node-lease", "kube-public", "kube-system")]
    assert table("Namespace", nss, NOW) == (
        "NAME              STATUS   AGE\n"
        "default           Active   60m\n"
        "kube-node-lease   Active   60m\n"
        "kube-public       Active   60m\n"
        "kube-system       Active   60m\n")
    cm = {"kind": "ConfigMap", "metadata": meta("app-config"),
          "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}
    root = {"kind": "ConfigMap", "metadata": meta("kube-root-ca.crt"), "data": {"ca.crt": "x"}}
    assert table("ConfigMap", [cm, root], NOW) == (
        "NAME               DATA   AGE\n"
        "app-config         3      60m\n"
        "kube-root-ca.crt   1      60m\n")


def event(name, reason, message, obj="pod/web-pending", type_="Normal", count=1,
          first="2025-01-01T00:59:00Z", last=None, component="default-scheduler", ns="default"):
    kind, _, oname = obj.partition("/")
    return {"apiVersion": "v1", "kind": "Event", "metadata": meta(name, ns=ns, created=first),
            "involvedObject": {"kind": kind.capitalize(), "name": oname, "namespace": ns},
            "reason": reason, "message": message, "type": type_, "count": count,
            "firstTimestamp": first, "lastTimestamp": last or first,
            "source": {"component": component}}


def test_events_table_sorted_by_object_then_time():
    """Events: LAST SEEN TYPE REASON OBJECT MESSAGE, listed as the API server returns them
    (by name: `<object>.<timestamp>`), so each object's events come together."""
    evs = [event("web.181b2", "Pulled", "Container image \"nginx\" already present on machine",
                 obj="pod/web", first="2025-01-01T00:59:40Z", component="kubelet"),
           event("web-pending.181a1", "FailedScheduling",
                 "0/1 nodes are available: 1 Insufficient cpu.", type_="Warning", count=3,
                 first="2025-01-01T00:57:00Z", last="2025-01-01T00:59:50Z"),
           event("web.181a9", "Scheduled", "Successfully assigned default/web to node01",
                 obj="pod/web", first="2025-01-01T00:59:30Z")]
    assert table("Event", evs, NOW) == (
        "LAST SEEN   TYPE      REASON             OBJECT            MESSAGE\n"
        "10s         Warning   FailedScheduling   pod/web-pending   0/1 nodes are available: 1 Insufficient cpu.\n"
        "30s         Normal    Scheduled          pod/web           Successfully assigned default/web to node01\n"
        "20s         Normal    Pulled             pod/web           Container image \"nginx\" already present on machine\n")


def test_events_wide_columns():
    """-o wide: SUBOBJECT SOURCE between OBJECT and MESSAGE, then FIRST SEEN COUNT NAME."""
    ev = event("web-pending.181a1", "FailedScheduling", "no nodes", type_="Warning", count=3,
               first="2025-01-01T00:57:00Z", last="2025-01-01T00:59:50Z")
    assert table("Event", [ev], NOW, wide=True) == (
        "LAST SEEN   TYPE      REASON             OBJECT            SUBOBJECT   SOURCE              MESSAGE    FIRST SEEN   COUNT   NAME\n"
        "10s         Warning   FailedScheduling   pod/web-pending               default-scheduler   no nodes   3m           3       web-pending.181a1\n")


# --- several types ------------------------------------------------------------------------------

def test_get_all_prefixes_kinds_and_separates_blocks():
    """`get all`: one block per type, names prefixed `pod/`, `service/`, `deployment.apps/`,
    empty types left out, blocks separated by one empty line."""
    p = pod("nginx-7854ff8877-x2x7k", statuses=[running()])
    s = svc("kubernetes", ports=[{"port": 443, "protocol": "TCP"}])
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("nginx"),
         "spec": {"replicas": 1, "template": template()},
         "status": {"readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}}
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta("nginx-7854ff8877"),
          "spec": {"replicas": 1, "template": template()},
          "status": {"replicas": 1, "readyReplicas": 1}}
    blocks = [("Pod", [p]), ("Service", [s]), ("ReplicationController", []),
              ("Deployment", [d]), ("ReplicaSet", [rs])]
    assert get_all(blocks, NOW) == (
        "NAME                         READY   STATUS    RESTARTS   AGE\n"
        "pod/nginx-7854ff8877-x2x7k   1/1     Running   0          60m\n"
        "\n"
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   60m\n"
        "\n"
        "NAME                    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/nginx   1/1     1            1           60m\n"
        "\n"
        "NAME                               DESIRED   CURRENT   READY   AGE\n"
        "replicaset.apps/nginx-7854ff8877   1         1         1       60m\n")


def test_get_all_without_headers_has_no_separator_lines():
    """With --no-headers kubectl prints the blocks back to back, each aligned on its own."""
    p = pod("nginx", statuses=[running()])
    s = svc("kubernetes", ports=[{"port": 443, "protocol": "TCP"}])
    assert get_all([("Pod", [p]), ("Service", [s])], NOW, no_headers=True) == (
        "pod/nginx   1/1   Running   0     60m\n"
        "service/kubernetes   ClusterIP   10.96.0.1   <none>   443/TCP   60m\n")


def test_unknown_kinds_get_name_and_age():
    """A kind without its own printer gets kubectl's default NAME AGE columns."""
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("default")}
    assert table("ServiceAccount", [sa], NOW) == "NAME      AGE\ndefault   60m\n"


def test_line_breaks_in_cells_are_cut():
    """A cell is cut at its first line break, which is marked with `...`."""
    ev = event("p.1", "Failed", "first line\nsecond line", first="2025-01-01T00:59:00Z")
    assert "first line...\n" in table("Event", [ev], NOW)
