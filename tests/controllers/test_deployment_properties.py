"""Whatever a learner does to a Deployment, once things settle it runs exactly its replicas from
one ReplicaSet with its current template (hypothesis, on the fake-kubelet harness)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8scourse.controllers import deployment_util as du
from k8scourse.errors import ClientError
from tests.controllers.test_deployment_harness import FakeCluster, deployment_manifest

IMAGES = ["nginx:1.25", "nginx:1.26", "nginx:1.27"]

step = st.one_of(
    st.tuples(st.just("image"), st.sampled_from(IMAGES)),
    st.tuples(st.just("scale"), st.integers(min_value=0, max_value=7)),
    st.tuples(st.just("pause"), st.none()),
    st.tuples(st.just("resume"), st.none()),
    st.tuples(st.just("undo"), st.integers(min_value=0, max_value=3)),
    st.tuples(st.just("wait"), st.floats(min_value=0.1, max_value=3.0)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, max_size=12),
       strategy=st.sampled_from([
           {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
           {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
           {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "50%", "maxUnavailable": 0}},
           {"type": "Recreate"}]))
def test_any_sequence_of_rollout_operations_converges(steps, strategy):
    """After any operations and a resume, the pods are spec.replicas of the current template."""
    c = FakeCluster()
    c.api.create(deployment_manifest(strategy=strategy))
    c.settle()
    for op, arg in steps:
        try:
            if op == "image":
                c.set_image(arg)
            elif op == "scale":
                c.scale(arg)
            elif op == "pause":
                du.pause(c, "default", "web")
            elif op == "resume":
                du.resume(c, "default", "web")
            elif op == "undo":
                du.rollback(c, "default", "web", arg)
            else:
                c.advance(arg)
        except ClientError:
            pass  # kubectl would refuse (already paused, no such revision, ...)
    d = c.deployment()
    if d["spec"].get("paused"):
        du.resume(c, "default", "web")
    assert c.settle()
    d = c.deployment()
    want = d["spec"]["replicas"]
    image = d["spec"]["template"]["spec"]["containers"][0]["image"]
    live = [p for p in c.pods() if not p["metadata"].get("deletionTimestamp")]
    assert len(live) == want
    assert all(p["spec"]["containers"][0]["image"] == image for p in live)
    active = [rs for rs in c.replicasets() if rs["spec"]["replicas"] > 0]
    assert len(active) <= 1
    assert du.rollout_status_line(d)[1] is True
    revisions = [du.revision(rs) for rs in c.replicasets()]
    assert len(revisions) == len(set(revisions))
    assert d["metadata"]["annotations"][du.REVISION] == str(max(revisions))
