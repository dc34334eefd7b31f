"""Random input never raises anything but K8sError from the api functions."""

import string

from hypothesis import given, settings, strategies as st

from k8scourse.api import decode, defaults, strict
from k8scourse.api.validation import validate
from k8scourse.errors import K8sError

KEYS = st.sampled_from(["apiVersion", "kind", "metadata", "spec", "name", "labels", "containers",
                        "image", "ports", "containerPort", "replicas", "selector", "matchLabels",
                        "template", "resources", "limits", "cpu", "type", "x", "strategy",
                        "rollingUpdate", "maxSurge", "targetPort", "port", "tolerations"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False),
                    st.text(max_size=8))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(KEYS, inner, max_size=4)),
                     max_leaves=25)
KIND = st.sampled_from(["Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController",
                        "DaemonSet", "Namespace", "ConfigMap", "Node", "Event", "Endpoints"])


@settings(max_examples=300, deadline=None)
@given(KIND, st.dictionaries(KEYS, TREES, max_size=5))
def test_random_objects(kind, body):
    """decode_error, defaults and validation accept any tree."""
    obj = {**body, "kind": kind, "apiVersion": "v1"}
    try:
        strict.decode_error(obj)
        strict.drop_unknown(obj)
        decode.check_client_side(obj, "f.yaml")
        defaults.apply(obj)
        validate(obj)
        validate(obj, dict(obj))
    except K8sError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "äé-:{}[]&*!|>'\"#", max_size=200))
def test_random_text(text):
    """load_manifests raises only K8sError on any text."""
    try:
        for obj in decode.load_manifests(text, "f.yaml"):
            decode.check_client_side(obj, "f.yaml")
    except K8sError:
        pass
