"""The API server's defaults and new-pod admission (k8scourse.api.defaults)."""

import pytest

from k8scourse.api.defaults import admit_pod, apply, image_pull_policy


def _pod(**container):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "nginx", **container}]}}


@pytest.mark.parametrize("image,policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
    ("localhost:5000/app", "Always"), ("localhost:5000/app:v1", "IfNotPresent"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
])
def test_image_pull_policy_follows_the_tag(image, policy):
    """Always for :latest or no tag, IfNotPresent otherwise (the registry port is no tag)."""
    assert image_pull_policy(image) == policy


def test_pod_defaults():
    """A bare pod gets the PodSpec and container defaults."""
    pod = _pod(ports=[{"containerPort": 80}])
    apply(pod)
    spec = pod["spec"]
    assert {k: spec[k] for k in ("dnsPolicy", "restartPolicy", "securityContext",
                                 "terminationGracePeriodSeconds", "schedulerName",
                                 "enableServiceLinks")} == {
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "securityContext": {},
        "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
        "enableServiceLinks": True}
    c = spec["containers"][0]
    assert c["imagePullPolicy"] == "Always"
    assert c["terminationMessagePath"] == "/dev/termination-log"
    assert c["terminationMessagePolicy"] == "File"
    assert c["resources"] == {}
    assert c["ports"] == [{"containerPort": 80, "protocol": "TCP"}]


def test_requests_default_to_limits_in_pods_only():
    """Limits without requests give equal requests (Guaranteed), in canonical form."""
    pod = _pod(resources={"limits": {"cpu": "0.5", "memory": "1024Mi"}})
    apply(pod)
    assert pod["spec"]["containers"][0]["resources"] == {
        "limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}


def test_deployment_defaults_without_pod_only_fields():
    """Deployment: replicas 1, RollingUpdate 25%/25%, history 10, deadline 600; no enableServiceLinks."""
    d = {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1"}]}}}}
    apply(d)
    spec = d["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "RollingUpdate",
                                "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert spec["revisionHistoryLimit"] == 10 and spec["progressDeadlineSeconds"] == 600
    assert "enableServiceLinks" not in spec["template"]["spec"]
    assert spec["template"]["spec"]["restartPolicy"] == "Always"


def test_replication_controller_selector_and_labels_from_template():
    """An RC without selector takes it, and its labels, from the template."""
    rc = {"kind": "ReplicationController", "metadata": {"name": "rc"},
          "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}}}
    apply(rc)
    assert rc["spec"]["selector"] == {"app": "web"} and rc["metadata"]["labels"] == {"app": "web"}
    assert rc["spec"]["replicas"] == 1


def test_daemonset_defaults():
    """DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, history 10."""
    ds = {"kind": "DaemonSet", "spec": {"template": {"spec": {}}}}
    apply(ds)
    assert ds["spec"]["updateStrategy"] == {"type": "RollingUpdate",
                                            "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert ds["spec"]["revisionHistoryLimit"] == 10


def test_service_defaults():
    """Service: ClusterIP, None affinity, TCP, targetPort = port, Cluster policies, IPv4."""
    svc = {"kind": "Service", "spec": {"type": "NodePort", "ports": [{"port": 80}]}}
    apply(svc)
    spec = svc["spec"]
    assert spec["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert spec["sessionAffinity"] == "None" and spec["externalTrafficPolicy"] == "Cluster"
    assert spec["internalTrafficPolicy"] == "Cluster"
    assert spec["ipFamilies"] == ["IPv4"] and spec["ipFamilyPolicy"] == "SingleStack"
    assert "clusterIP" not in spec and "nodePort" not in spec["ports"][0]
    plain = {"kind": "Service", "spec": {"ports": [{"port": 80}]}}
    apply(plain)
    assert plain["spec"]["type"] == "ClusterIP" and "externalTrafficPolicy" not in plain["spec"]


def test_admission_of_a_new_pod():
    """Service account, the two 300 s tolerations, priority and the token volume and mount."""
    pod = _pod()
    apply(pod)
    admit_pod(pod, "x7k2p")
    spec = pod["spec"]
    assert spec["serviceAccountName"] == "default" and spec["serviceAccount"] == "default"
    assert spec["tolerations"] == [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
         "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
         "tolerationSeconds": 300}]
    assert spec["priority"] == 0 and spec["preemptionPolicy"] == "PreemptLowerPriority"
    assert spec["volumes"][0]["name"] == "kube-api-access-x7k2p"
    assert spec["containers"][0]["volumeMounts"] == [
        {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
         "name": "kube-api-access-x7k2p", "readOnly": True}]


def test_apply_is_idempotent():
    """Defaulting twice changes nothing more."""
    import copy
    pod = _pod(resources={"limits": {"cpu": "1"}})
    apply(pod)
    once = copy.deepcopy(pod)
    apply(pod)
    assert pod == once
