"""The kubelet runs bare pods bound by hand: status, events, back-off, termination, logs."""

from __future__ import annotations

import ipaddress
import re

import pytest

from k8scourse.errors import BadRequest, NotFound, StatusError

PULLED = re.compile(r'^Successfully pulled image "nginx" in [0-9.]+m?s \([0-9.]+m?s including '
                    r"waiting\)\. Image size: [0-9]+ bytes\.$")


def test_pod_goes_from_container_creating_to_running(node):
    """STATUS progression: Pending/ContainerCreating while the image pulls, then Running."""
    node.create_pod("web", "nginx")
    node.advance(0.01)
    pod = node.pod("web")
    assert pod["status"]["phase"] == "Pending"
    assert node.state("web") == {"waiting": {"reason": "ContainerCreating"}}
    assert node.run_until(lambda: node.pod("web")["status"]["phase"] == "Running", timeout=30)
    st = node.pod("web")["status"]
    cs = st["containerStatuses"][0]
    assert cs["ready"] is True and cs["started"] is True and cs["restartCount"] == 0
    assert cs["image"] == "docker.io/library/nginx:latest"
    assert re.fullmatch(r"docker\.io/library/nginx@sha256:[0-9a-f]{64}", cs["imageID"])
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", cs["containerID"])
    assert st["hostIP"] == "192.168.56.11" and st["hostIPs"] == [{"ip": "192.168.56.11"}]
    assert st["startTime"] == "2025-01-01T00:00:00Z"


def test_running_pod_conditions_in_the_kubelets_order(node):
    """PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled, all True."""
    node.create_pod("web", "nginx:1.27")
    node.settle()
    conds = node.pod("web")["status"]["conditions"]
    assert [c["type"] for c in conds] == ["PodReadyToStartContainers", "Initialized", "Ready",
                                          "ContainersReady", "PodScheduled"]
    assert all(c["status"] == "True" and c["lastProbeTime"] is None for c in conds)


def test_pending_pod_conditions_say_which_containers_are_unready(node):
    """While creating: Ready/ContainersReady False with reason ContainersNotReady."""
    node.create_pod("web", "nginx:1.27")
    node.advance(0.01)
    conds = {c["type"]: c for c in node.pod("web")["status"]["conditions"]}
    assert conds["PodReadyToStartContainers"]["status"] == "False"
    assert conds["Ready"]["reason"] == "ContainersNotReady"
    assert conds["Ready"]["message"] == "containers with unready status: [web]"
    assert conds["ContainersReady"]["message"] == "containers with unready status: [web]"


def test_pull_events_with_the_real_texts(node):
    """Pulling, Pulled (with durations and size), Created, Started."""
    node.create_pod("web", "nginx")
    node.settle()
    evs = node.events("web")
    assert evs[0] == ("Normal", "Pulling", 'Pulling image "nginx"')
    assert evs[1][:2] == ("Normal", "Pulled") and PULLED.match(evs[1][2])
    assert evs[2:] == [("Normal", "Created", "Created container: web"),
                       ("Normal", "Started", "Started container web")]


def test_if_not_present_uses_the_cached_image(node):
    """A second pod of nginx:1.27 on the node: 'already present on machine', no pull."""
    node.create_pod("a", "nginx:1.27")
    node.settle()
    node.create_pod("b", "nginx:1.27")
    node.settle()
    assert node.events("b")[0] == (
        "Normal", "Pulled", 'Container image "nginx:1.27" already present on machine')


def test_pod_ips_come_from_the_node_pod_cidr_in_order(harness):
    """host-local IPAM: 10.244.N.2, .3, ... on the node's /24 (.1 is the bridge's), in the order
    the sandboxes come up."""
    h = harness(("node01", "node02"))
    for i in range(3):
        h.create_pod(f"p{i}", "nginx:1.27", "node02")
    h.settle()
    ips = [h.pod(f"p{i}")["status"]["podIP"] for i in range(3)]
    cidr = h.api.get("Node", "", "node02")["spec"]["podCIDR"]
    assert cidr == "10.244.1.0/24"
    assert sorted(ips) == ["10.244.1.2", "10.244.1.3", "10.244.1.4"]
    assert all(ipaddress.ip_address(ip) in ipaddress.ip_network(cidr) for ip in ips)


def test_released_ip_is_not_reused_at_once(node):
    """host-local hands out addresses round robin: a freed .2 is not the next one."""
    node.create_pod("a", "nginx:1.27")
    node.settle()
    node.api.delete("Pod", "default", "a", grace_period=0)
    node.create_pod("b", "nginx:1.27")
    node.settle()
    assert node.pod("b")["status"]["podIP"] == "10.244.0.3"


def test_host_network_pod_has_the_node_ip(node):
    """hostNetwork: the pod's IP is the node's."""
    node.create_pod("hn", "nginx:1.27", pod_spec={"hostNetwork": True})
    node.settle()
    assert node.pod("hn")["status"]["podIP"] == "192.168.56.11"


def test_unknown_image_err_image_pull_then_image_pull_back_off(node):
    """ngnix: Failed with containerd's text, Error: ErrImagePull, then BackOff/ImagePullBackOff."""
    node.create_pod("bad", "ngnix")
    assert node.run_until(lambda: node.reason("bad") == "ErrImagePull", timeout=10)
    assert node.state("bad")["waiting"]["message"].startswith(
        'failed to pull and unpack image "docker.io/library/ngnix:latest"')
    node.settle()
    assert node.state("bad") == {"waiting": {"reason": "ImagePullBackOff",
                                             "message": 'Back-off pulling image "ngnix"'}}
    assert node.pod("bad")["status"]["phase"] == "Pending"
    assert node.events("bad") == [
        ("Normal", "Pulling", 'Pulling image "ngnix"'),
        ("Warning", "Failed", 'Failed to pull image "ngnix": failed to pull and unpack image '
                              '"docker.io/library/ngnix:latest": failed to resolve reference '
                              '"docker.io/library/ngnix:latest": pull access denied, repository '
                              "does not exist or may require authorization: server message: "
                              "insufficient_scope: authorization failed"),
        ("Warning", "Failed", "Error: ErrImagePull"),
        ("Normal", "BackOff", 'Back-off pulling image "ngnix"'),
        ("Warning", "Failed", "Error: ImagePullBackOff"),
    ]


def test_image_pull_retries_back_off_doubling(node):
    """Pulls are retried 10 s, then 20 s, then 40 s after each failure."""
    node.create_pod("bad", "ngnix")
    pulls = []
    k = node.kubelets["node01"]
    original = k.runtime.pull

    def spy(ref, done):
        pulls.append(node.clock.now)
        return original(ref, done)

    k.runtime.pull = spy
    node.advance(200)
    fails = [e for e in node.api.store.list("Event", "default") if e["reason"] == "Failed"
             and e["message"] == "Error: ErrImagePull"][0]
    assert fails["count"] == len(pulls)
    gaps = [round(b - a) for a, b in zip(pulls, pulls[1:])]
    # each gap is the back-off plus the ~1 s pull that failed
    assert [g - 1 for g in gaps[:3]] == pytest.approx([10, 20, 40], abs=1)


def test_missing_tag_is_not_found(node):
    """A tag the repository lacks: containerd's 'not found' text."""
    node.create_pod("old", "nginx:1.99")
    assert node.run_until(lambda: node.reason("old") == "ErrImagePull", timeout=10)
    assert node.state("old")["waiting"]["message"].endswith(
        '"docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found')


def test_docker_runtime_texts_and_names(harness):
    """On a Docker Engine node (minikube): familiar image names and docker's pull errors."""
    h = harness(runtime="docker://27.4.1")
    h.create_pod("web", "nginx:1.27")
    h.create_pod("bad", "nginx:1.99")
    h.settle()
    cs = h.pod("web")["status"]["containerStatuses"][0]
    assert cs["image"] == "nginx:1.27"
    assert re.fullmatch(r"docker-pullable://nginx@sha256:[0-9a-f]{64}", cs["imageID"])
    assert cs["containerID"].startswith("docker://")
    assert ("Warning", "Failed", 'Failed to pull image "nginx:1.99": Error response from daemon: '
            "manifest for nginx:1.99 not found: manifest unknown: manifest unknown") \
        in h.events("bad")


def test_never_pull_policy_without_the_image(node):
    """imagePullPolicy Never and no image on the node: ErrImageNeverPull."""
    node.create_pod("n", "nginx:1.27", imagePullPolicy="Never")
    node.settle()
    msg = 'Container image "nginx:1.27" is not present with pull policy of Never'
    assert node.state("n") == {"waiting": {"reason": "ErrImageNeverPull", "message": msg}}
    assert node.events("n") == [("Warning", "ErrImageNeverPull", msg)]


def test_invalid_image_name(node):
    """An upper-case image name: InvalidImageName and an InspectFailed event."""
    node.create_pod("u", "Nginx")
    node.settle()
    msg = ('Failed to apply default image tag "Nginx": couldn\'t parse image reference "Nginx": '
           "invalid reference format: repository name must be lowercase")
    assert node.state("u") == {"waiting": {"reason": "InvalidImageName", "message": msg}}
    assert node.events("u") == [("Warning", "InspectFailed", msg)]


def test_busybox_without_command_completes_then_crash_loops(node):
    """`kubectl run busybox --image=busybox`: sh exits 0, Completed, then CrashLoopBackOff."""
    pod = node.create_pod("busybox", "busybox")
    assert node.run_until(lambda: node.reason("busybox") == "Completed", timeout=30)
    assert node.pod("busybox")["status"]["phase"] == "Running"
    node.settle()
    cs = node.pod("busybox")["status"]["containerStatuses"][0]
    uid = pod["metadata"]["uid"]
    assert cs["state"] == {"waiting": {
        "reason": "CrashLoopBackOff",
        "message": f"back-off 10s restarting failed container=busybox pod=busybox_default({uid})"}}
    assert cs["lastState"]["terminated"]["reason"] == "Completed"
    assert cs["lastState"]["terminated"]["exitCode"] == 0
    assert cs["restartCount"] == 1 and cs["ready"] is False
    assert ("Warning", "BackOff", f"Back-off restarting failed container busybox in pod "
                                  f"busybox_default({uid})") in node.events("busybox")


def test_crash_loop_back_off_doubles_from_10_seconds_to_5_minutes(node):
    """Restarts come 10, 20, 40, 80, 160, 300, 300 s after each exit."""
    node.create_pod("c", "busybox:1.36", command=["sh", "-c", "exit 1"])
    node.settle()
    starts, restarts = [], 0
    for _ in range(1100):
        node.advance(1)
        cs = node.pod("c")["status"]["containerStatuses"][0]
        if cs["restartCount"] != restarts:
            restarts = cs["restartCount"]
            term = cs["lastState"]["terminated"]
            started = cs["state"].get("running", cs["state"].get("terminated", {})).get(
                "startedAt") or node.clock.timestamp()
            starts.append((node.clock.parse(term["finishedAt"]), node.clock.now))
    gaps = [round(now - finished) for finished, now in starts[1:]]
    assert gaps[:7] == pytest.approx([10, 20, 40, 80, 160, 300, 300], abs=1)


def test_restart_policy_never_fails_and_onfailure_succeeds(node):
    """Never: exit 3 leaves the pod Failed; OnFailure: exit 0 leaves it Succeeded."""
    node.create_pod("job", "busybox:1.36", command=["sh", "-c", "echo start; sleep 3; exit 3"],
                    pod_spec={"restartPolicy": "Never"})
    node.create_pod("ok", "busybox:1.36", command=["sh", "-c", "echo done"],
                    pod_spec={"restartPolicy": "OnFailure"})
    node.settle()
    assert node.pod("job")["status"]["phase"] == "Failed"
    t = node.state("job")["terminated"]
    assert (t["exitCode"], t["reason"]) == (3, "Error")
    assert node.clock.parse(t["finishedAt"]) - node.clock.parse(t["startedAt"]) == 3
    assert node.pod("ok")["status"]["phase"] == "Succeeded"
    conds = {c["type"]: c for c in node.pod("ok")["status"]["conditions"]}
    assert conds["Ready"]["reason"] == "PodCompleted"
    assert conds["PodReadyToStartContainers"]["status"] == "False"
    assert node.logs("job") == "start\n"


def test_missing_executable_is_a_start_error(node):
    """command: [foo] on busybox: containerd's exec error, StartError 128, then back-off."""
    node.create_pod("bad", "busybox:1.36", command=["foo"])
    node.settle()
    err = ('failed to create containerd task: failed to create shim task: OCI runtime create '
           'failed: runc create failed: unable to start container process: exec: "foo": '
           "executable file not found in $PATH: unknown")
    assert ("Warning", "Failed", f"Error: {err}") in node.events("bad")
    last = node.pod("bad")["status"]["containerStatuses"][0]["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"], last["message"]) == ("StartError", 128, err)
    assert last["startedAt"] == "1970-01-01T00:00:00Z"
    assert node.reason("bad") == "CrashLoopBackOff"


def test_run_container_error_right_after_the_failed_start(node):
    """Before the back-off starts, the waiting reason is RunContainerError."""
    node.create_pod("bad", "busybox:1.36", command=["foo"])
    assert node.run_until(lambda: node.reason("bad") == "RunContainerError", timeout=10)


def test_nginx_stops_at_once_sleep_takes_the_grace_period(node):
    """SIGTERM: nginx exits in ~0.1 s; `sleep` as PID 1 ignores it and is killed at 30 s."""
    node.create_pod("web", "nginx:1.27")
    node.create_pod("sl", "busybox:1.36", args=["sleep", "3600"])
    node.settle()
    t0 = node.clock.now
    node.api.delete("Pod", "default", "web")
    node.api.delete("Pod", "default", "sl")
    assert node.pod("web")["metadata"]["deletionTimestamp"]
    assert node.run_until(lambda: node.pod("web") is None, timeout=5, step=0.05)
    assert node.clock.now - t0 < 1
    assert node.run_until(lambda: node.pod("sl") is None, timeout=60, step=0.5)
    assert node.clock.now - t0 == pytest.approx(30, abs=0.6)
    assert ("Normal", "Killing", "Stopping container sl") in node.events("sl")


def test_grace_period_from_the_delete_request(node):
    """`--grace-period=5`: a sleep container is killed after 5 s."""
    node.create_pod("sl", "busybox:1.36", args=["sleep", "3600"])
    node.settle()
    t0 = node.clock.now
    node.api.delete("Pod", "default", "sl", grace_period=5)
    node.settle()
    assert node.pod("sl") is None and node.clock.now - t0 == pytest.approx(5, abs=0.1)


def test_logs_and_their_errors(node):
    """kubectl logs: lines with timestamps and tail; the kubelet's and API server's errors."""
    node.create_pod("sc", "busybox:1.36",
                    command=["sh", "-c", 'i=0; while true; do echo "tick $i"; i=$((i+1)); '
                                         "sleep 5; done"])
    node.create_pod("bad", "ngnix")
    node.create_pod("two", "nginx:1.27", containers=[{"name": "a", "image": "nginx:1.27"},
                                                     {"name": "b", "image": "nginx:1.27"}])
    node.settle()
    node.advance(12)
    assert node.logs("sc", tail=2) == "tick 1\ntick 2\n"
    ts = node.logs("sc", timestamps=True).splitlines()[0]
    assert re.fullmatch(r"2025-01-01T00:00:\d\d(\.\d+)?Z tick 0", ts)
    with pytest.raises(BadRequest) as e:
        node.logs("sc", previous=True)
    assert str(e.value) == 'previous terminated container "sc" in pod "sc" not found'
    with pytest.raises(BadRequest) as e:
        node.logs("bad")
    assert str(e.value) == ('container "bad" in pod "bad" is waiting to start: trying and failing '
                            "to pull image")
    with pytest.raises(BadRequest) as e:
        node.logs("sc", container="nope")
    assert str(e.value) == "container nope is not valid for pod sc"
    with pytest.raises(BadRequest) as e:
        node.logs("two")
    assert str(e.value) == "a container name must be specified for pod two, choose one of: [a b]"
    with pytest.raises(NotFound):
        node.logs("ghost")


def test_logs_while_creating(node):
    """Logs of a container still being created: waiting to start: ContainerCreating."""
    node.create_pod("web", "nginx")
    node.advance(0.01)
    with pytest.raises(BadRequest) as e:
        node.logs("web")
    assert str(e.value) == 'container "web" in pod "web" is waiting to start: ContainerCreating'


def test_previous_logs_of_a_crashed_container(node):
    """--previous shows the last terminated run; a crash-looping container's logs too."""
    node.create_pod("c", "busybox:1.36", command=["sh", "-c", "echo boom; exit 1"])
    node.settle()
    assert node.logs("c") == "boom\n"
    assert node.logs("c", previous=True) == "boom\n"


def test_readiness_probe_delays_ready(node):
    """With initialDelaySeconds 5 (period 5), the container turns ready 5 s after it starts."""
    node.create_pod("r", "nginx:1.27", readinessProbe={
        "httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5, "periodSeconds": 5})
    assert node.run_until(lambda: "running" in node.state("r"), timeout=20)
    started = node.clock.now
    cs = node.pod("r")["status"]["containerStatuses"][0]
    assert cs["ready"] is False and cs["started"] is True
    assert node.run_until(lambda: node.pod("r")["status"]["containerStatuses"][0]["ready"],
                          timeout=20)
    assert node.clock.now - started == pytest.approx(5, abs=0.3)


def test_liveness_exec_probe_restarts_the_container(node):
    """The documentation's liveness example: cat /tmp/healthy fails after 30 s; the shell
    ignores SIGTERM, so the restart comes after the 30 s grace period."""
    node.create_pod("liveness-exec", "busybox:1.36", args=[
        "/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
        livenessProbe={"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                       "periodSeconds": 5})
    node.settle()
    node.advance(90)
    evs = node.events("liveness-exec")
    assert ("Warning", "Unhealthy", "Liveness probe failed: cat: can't open '/tmp/healthy': No "
                                    "such file or directory") in evs
    assert ("Normal", "Killing", "Container liveness-exec failed liveness probe, will be "
                                 "restarted") in evs
    assert node.pod("liveness-exec")["status"]["containerStatuses"][0]["restartCount"] == 1


def test_environment_service_links_and_downward_api(node):
    """Service links for existing Services, fieldRef values, container env."""
    node.api.create({"apiVersion": "v1", "kind": "Service",
                     "metadata": {"name": "redis-db"},
                     "spec": {"clusterIP": "10.96.0.50", "selector": {"app": "redis"},
                              "ports": [{"port": 6379, "targetPort": 6379}]}})
    node.create_pod("e", "busybox:1.36", args=["sleep", "3600"], env=[
        {"name": "GREETING", "value": "hi"},
        {"name": "MY_NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
        {"name": "MY_POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}])
    node.settle()
    code, out, _ = node.kubelets["node01"].exec("default", "e", None, ["env"])
    env = dict(line.split("=", 1) for line in out.splitlines())
    assert code == 0
    assert env["GREETING"] == "hi" and env["MY_NODE"] == "node01"
    assert env["MY_POD_IP"] == node.pod("e")["status"]["podIP"]
    assert env["REDIS_DB_SERVICE_HOST"] == "10.96.0.50"
    assert env["REDIS_DB_SERVICE_PORT"] == "6379"
    assert env["REDIS_DB_PORT"] == "tcp://10.96.0.50:6379"
    assert env["REDIS_DB_PORT_6379_TCP_ADDR"] == "10.96.0.50"
    assert env["HOSTNAME"] == "e"


def test_missing_configmap_is_create_container_config_error(node):
    """env from a ConfigMap that does not exist: CreateContainerConfigError, then it starts."""
    node.create_pod("cfg", "nginx:1.27", env=[{"name": "X", "valueFrom": {"configMapKeyRef": {
        "name": "app-config", "key": "color"}}}])
    node.settle()
    assert node.state("cfg") == {"waiting": {"reason": "CreateContainerConfigError",
                                             "message": 'configmap "app-config" not found'}}
    assert ("Warning", "Failed", 'Error: configmap "app-config" not found') in node.events("cfg")
    node.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config"},
                     "data": {"color": "blue"}})
    node.advance(15)
    assert "running" in node.state("cfg")


def test_init_containers_run_first(node):
    """An init container runs to completion before the app container; Initialized follows."""
    node.create_pod("i", "busybox:1.36", containers=[
        {"name": "app", "image": "nginx:1.27"}],
        pod_spec={"initContainers": [{"name": "setup", "image": "busybox:1.36",
                                      "command": ["sh", "-c", "sleep 5"]}]})
    assert node.run_until(lambda: "running" in (node.pod("i")["status"].get(
        "initContainerStatuses") or [{"state": {}}])[0]["state"], timeout=30)
    st = node.pod("i")["status"]
    conds = {c["type"]: c for c in st["conditions"]}
    assert conds["Initialized"]["status"] == "False"
    assert conds["Initialized"]["message"] == "containers with incomplete status: [setup]"
    assert st["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    node.settle()
    st = node.pod("i")["status"]
    assert st["phase"] == "Running"
    assert st["initContainerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"


def test_changing_the_image_restarts_the_container(node):
    """An image update on a running pod kills and restarts that container."""
    node.create_pod("web", "nginx:1.26")
    node.settle()
    old = node.pod("web")
    new = dict(old)
    new["spec"] = dict(old["spec"], containers=[dict(old["spec"]["containers"][0],
                                                     image="nginx:1.27")])
    node.api.write(new, actor="kubectl")
    node.settle()
    cs = node.pod("web")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 1 and cs["image"] == "docker.io/library/nginx:1.27"
    assert ("Normal", "Killing", "Container web definition changed, will be restarted") in \
        node.events("web")


def test_no_pod_network_keeps_pods_creating(harness):
    """Without a CNI plugin a pod waits in ContainerCreating with NetworkNotReady."""
    h = harness(cni=False)
    h.create_pod("web", "nginx:1.27")
    h.settle()
    assert h.state("web") == {"waiting": {"reason": "ContainerCreating"}}
    assert h.events("web") == [(
        "Warning", "NetworkNotReady",
        "network is not ready: container runtime network not ready: NetworkReady=false "
        "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not "
        "initialized")]


def test_logs_of_a_node_that_is_off(node):
    """The API server cannot reach a stopped kubelet: no route to host."""
    node.create_pod("web", "nginx:1.27")
    node.settle()
    node.kubelets["node01"].stop()
    with pytest.raises(StatusError) as e:
        node.logs("web")
    assert str(e.value) == ('Get "https://192.168.56.11:10250/containerLogs/default/web/web": '
                            "dial tcp 192.168.56.11:10250: connect: no route to host")


def test_kubelet_rejects_a_pod_bound_by_hand_that_does_not_fit(node):
    """nodeName set by hand skips the scheduler but not the kubelet's admission: OutOfcpu."""
    node.create_pod("big", "nginx:1.27", resources={"requests": {"cpu": "3"}})
    node.settle()
    st = node.pod("big")["status"]
    assert (st["phase"], st["reason"]) == ("Failed", "OutOfcpu")
    assert st["message"] == ("Pod was rejected: Node didn't have enough resource: cpu, "
                             "requested: 3000, used: 0, capacity: 2000")
    assert node.events("big") == [("Warning", "OutOfcpu", "Node didn't have enough resource: "
                                   "cpu, requested: 3000, used: 0, capacity: 2000")]


def test_kubelet_rejects_a_pod_whose_node_selector_does_not_match(node):
    """A nodeSelector the node's labels do not satisfy: NodeAffinity."""
    node.create_pod("sel", "nginx:1.27", pod_spec={"nodeSelector": {"disktype": "ssd"}})
    node.settle()
    st = node.pod("sel")["status"]
    assert (st["phase"], st["reason"]) == ("Failed", "NodeAffinity")
    assert st["message"] == ("Pod was rejected: Predicate NodeAffinity failed: node(s) didn't "
                             "match Pod's node affinity/selector")


def test_requests_of_running_pods_count_against_the_node(node):
    """Two pods of 1.5 CPU: the second does not fit on a 2-CPU node."""
    node.create_pod("a", "nginx:1.27", resources={"requests": {"cpu": "1500m"}})
    node.settle()
    node.create_pod("b", "nginx:1.27", resources={"requests": {"cpu": "1500m"}})
    node.settle()
    assert node.pod("b")["status"]["message"].endswith("requested: 1500, used: 1500, "
                                                       "capacity: 2000")
