"""Pods a controller builds from a template are validated as any other pod.

The API server validates the spec of such pods once per template (their specs share the
template's objects); these tests pin that what a controller gets back is what full validation
says, pod after pod.
"""

import pytest

from k8scourse.api.validation import validate
from k8scourse.apiserver.server import APIServer
from k8scourse.controllers import podutil
from k8scourse.errors import Invalid
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand

OWNER = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
         "metadata": {"name": "web", "namespace": "default", "uid": "u-1"}}


def template(**spec):
    base = {"containers": [{"name": "web", "image": "nginx", "imagePullPolicy": "Always",
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File", "resources": {}}],
            "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
            "securityContext": {}}
    base.update(spec)
    return {"metadata": {"labels": {"app": "web"}}, "spec": base}


def create(api, tmpl):
    pod = podutil.pod_from_template(tmpl, OWNER, None)
    return api.create(pod, actor="replicaset-controller")


def test_every_pod_of_a_template_is_stored_with_its_own_token_volume():
    api = APIServer(Clock(), Rand(1))
    tmpl = template()
    a, b = create(api, tmpl), create(api, tmpl)
    names = [p["spec"]["volumes"][0]["name"] for p in (a, b)]
    assert names[0] != names[1] and all(n.startswith("kube-api-access-") for n in names)
    for p in (a, b):
        assert p["spec"]["containers"][0]["volumeMounts"][0]["name"] == p["spec"]["volumes"][0]["name"]
        assert validate(p) == []


def test_an_invalid_template_fails_the_same_way_every_time():
    api = APIServer(Clock(), Rand(1))
    tmpl = template(restartPolicy="Sometimes")
    messages = []
    for _ in range(3):
        with pytest.raises(Invalid) as e:
            create(api, tmpl)
        assert str(e.value).startswith('Pod "web-')
        messages.append(str(e.value).split(" is invalid: ", 1)[1])  # pod names differ
    assert messages[0] == messages[1] == messages[2]
    assert 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: ' \
           '"Always", "OnFailure", "Never"' in messages[0]


def test_a_changed_template_is_validated_again():
    api = APIServer(Clock(), Rand(1))
    create(api, template())
    with pytest.raises(Invalid, match="spec.dnsPolicy: Unsupported value"):
        create(api, template(dnsPolicy="Everywhere"))


def test_a_template_with_its_own_token_volume_name_is_validated_each_time():
    api = APIServer(Clock(), Rand(1))
    vol = [{"name": "kube-api-access-own", "emptyDir": {}}]
    tmpl = template(volumes=vol)
    pod = create(api, tmpl)
    assert [v["name"] for v in pod["spec"]["volumes"]][0] == "kube-api-access-own"
    assert api._templates == {}


TEMPLATES = {
    "plain": template(),
    "limits only": template(containers=[{"name": "web", "image": "nginx:1.27", "resources": {
        "limits": {"cpu": "500m", "memory": "128Mi"}}}]),
    "init and volumes": template(
        initContainers=[{"name": "prep", "image": "busybox", "command": ["true"],
                         "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
        volumes=[{"name": "data", "emptyDir": {}}]),
    "no token": template(automountServiceAccountToken=False),
    "own token mount": template(containers=[{
        "name": "web", "image": "nginx", "volumeMounts": [
            {"name": "tok", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
        volumes=[{"name": "tok", "emptyDir": {}}]),
    "tolerations": template(tolerations=[{"key": "node.kubernetes.io/not-ready",
                                          "operator": "Exists", "effect": "NoExecute"}]),
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_controllers_pod_is_stored_as_the_same_pod_sent_by_a_client(name):
    """Admitting a template once and naming the token volume per pod stores, draw for draw, what
    the whole admission chain stores for the same pod sent by kubectl."""
    tmpl = TEMPLATES[name]
    by_controller, by_client = APIServer(Clock(), Rand(5)), APIServer(Clock(), Rand(5))
    for _ in range(3):
        a = create(by_controller, tmpl)
        b = by_client.create(podutil.pod_from_template(tmpl, OWNER, None), actor="kubectl")
        assert a == b


def test_pods_of_one_template_share_nothing_with_the_template():
    api = APIServer(Clock(), Rand(1))
    tmpl = template()
    pod = create(api, tmpl)
    assert pod["spec"] is not tmpl["spec"]
    assert pod["spec"]["containers"][0] is not tmpl["spec"]["containers"][0]
    assert "volumeMounts" not in tmpl["spec"]["containers"][0]
    assert "tolerations" not in tmpl["spec"] and "volumes" not in tmpl["spec"]
