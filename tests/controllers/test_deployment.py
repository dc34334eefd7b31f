"""The Deployment controller on the real API server, with a fake ReplicaSet controller and kubelet
(tests/controllers/test_deployment_harness.py) whose pods become ready 2 s after creation."""

import re

import pytest

from k8scourse.controllers import deployment_util as du
from k8scourse.errors import ClientError
from tests.controllers.test_deployment_harness import FakeCluster, deployment_manifest

HASH = r"[4-9bcdf]{1,10}"


@pytest.fixture
def cluster():
    c = FakeCluster()
    c.api.create(deployment_manifest())
    c.settle()
    return c


def test_new_deployment_creates_a_hashed_replica_set_at_full_size(cluster):
    """The first ReplicaSet is `<deploy>-<hash>`, created straight at spec.replicas."""
    (rs,) = cluster.replicasets()
    name = rs["metadata"]["name"]
    h = name.removeprefix("web-")
    assert re.fullmatch(HASH, h)
    assert cluster.scaling_events() == [f"Scaled up replica set {name} from 0 to 3"]
    assert rs["metadata"]["labels"] == {"app": "web", "pod-template-hash": h}
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": h}}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", "pod-template-hash": h}
    assert rs["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1",
                                             "deployment.kubernetes.io/desired-replicas": "3",
                                             "deployment.kubernetes.io/max-replicas": "4"}
    d = cluster.deployment()
    assert rs["metadata"]["ownerReferences"] == [{
        "apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
        "uid": d["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    assert d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}


def test_status_and_conditions_after_a_complete_rollout(cluster):
    """A settled Deployment reports its counts and the two conditions in Kubernetes' words."""
    d = cluster.deployment()
    rs = cluster.replicasets()[0]["metadata"]["name"]
    st = d["status"]
    assert {k: v for k, v in st.items() if k != "conditions"} == {
        "observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
        "availableReplicas": 3}
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in st["conditions"]] == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetAvailable",
         f'ReplicaSet "{rs}" has successfully progressed.')]


def test_rolling_update_of_three_replicas_has_the_deterministic_event_sequence(cluster):
    """maxSurge 1 / maxUnavailable 0: up 1, down 1, alternately (reference 3.3)."""
    old = cluster.replicasets()[0]["metadata"]["name"]
    cluster.set_image("nginx:1.27")
    cluster.settle()
    new = cluster.replicasets()[1]["metadata"]["name"]
    assert cluster.scaling_events()[1:] == [
        f"Scaled up replica set {new} from 0 to 1",
        f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {new} from 1 to 2",
        f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {new} from 2 to 3",
        f"Scaled down replica set {old} from 1 to 0",
    ]
    events = [e for e in cluster.recorded if e["reason"] == "ScalingReplicaSet"]
    assert {(e["type"], e["source"]["component"]) for e in events} == \
        {("Normal", "deployment-controller")}
    assert cluster.deployment()["metadata"]["annotations"]["deployment.kubernetes.io/revision"] \
        == "2"


def test_rolling_update_never_exceeds_max_pods_nor_drops_below_min_available(cluster):
    """During the rollout the ReplicaSets never ask for more than 4 pods, and 3 stay ready."""
    wanted, ready = [], []

    def on_rs(ev, rs, old):
        wanted.append(sum(r["spec"]["replicas"] for r in cluster.api.store.iter("ReplicaSet")))

    def on_pod(ev, pod, old):
        ready.append(sum(1 for p in cluster.api.store.iter("Pod")
                         if p["status"].get("phase") == "Running"
                         and not p["metadata"].get("deletionTimestamp")))

    cluster.api.store.watch("ReplicaSet", on_rs)
    cluster.api.store.watch("Pod", on_pod)
    cluster.set_image("nginx:1.27")
    cluster.settle()
    assert max(wanted) == 4
    assert min(ready) == 3


def test_progressing_condition_during_the_rollout(cluster):
    """Mid-rollout the Progressing reason is ReplicaSetUpdated with `ReplicaSet "x" is progressing.`"""
    cluster.set_image("nginx:1.27")
    cluster.advance(3)
    new = cluster.replicasets()[1]["metadata"]["name"]
    cond = du.get_condition(cluster.deployment()["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == \
        ("True", "ReplicaSetUpdated", f'ReplicaSet "{new}" is progressing.')


def test_rollout_status_lines_in_order(cluster):
    """Polling rollout status during a rolling update gives kubectl's lines in order."""
    cluster.set_image("nginx:1.27")
    lines = []
    for _ in range(40):
        line, done, err = du.rollout_status_line(cluster.deployment())
        assert err is None
        if not lines or lines[-1] != line:
            lines.append(line)
        if done:
            break
        cluster.advance(0.5)
    assert lines == [
        "Waiting for deployment spec update to be observed...",
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been '
        'updated...',
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been '
        'updated...',
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending '
        'termination...',
        'deployment "web" successfully rolled out',
    ]


def test_unchanged_template_creates_no_new_replica_set(cluster):
    """Re-sending the same template (an unchanged apply) is not a rollout."""
    d = cluster.deployment()
    d["metadata"].setdefault("labels", {})["team"] = "a"
    cluster.api.update(d)
    cluster.settle()
    assert len(cluster.replicasets()) == 1
    assert len(cluster.scaling_events()) == 1


def test_scale_without_rollout_resizes_the_only_replica_set(cluster):
    """kubectl scale on a settled Deployment: `Scaled up replica set x from 3 to 5`, no new RS."""
    rs = cluster.replicasets()[0]["metadata"]["name"]
    cluster.scale(5)
    cluster.settle()
    assert len(cluster.replicasets()) == 1
    assert cluster.scaling_events()[-1] == f"Scaled up replica set {rs} from 3 to 5"
    ann = cluster.replicasets()[0]["metadata"]["annotations"]
    assert (ann["deployment.kubernetes.io/desired-replicas"],
            ann["deployment.kubernetes.io/max-replicas"]) == ("5", "7")
    cluster.scale(2)
    cluster.settle()
    assert cluster.scaling_events()[-1] == f"Scaled down replica set {rs} from 5 to 2"


def test_proportional_scaling_mid_rollout_matches_the_documented_example():
    """10 replicas (maxSurge 3, maxUnavailable 2) stuck on a bad image, scaled to 15:
    the old ReplicaSet goes 8 -> 11 and the new one 5 -> 7 (kubernetes.io Deployment docs)."""
    c = FakeCluster()
    c.api.create(deployment_manifest(replicas=10, strategy={
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}}))
    c.settle()
    c.set_image("bad/nginx:sometag")
    c.settle()
    old, new = c.replicasets()
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (8, 5)
    c.scale(15)
    c.settle()
    old, new = c.replicasets()
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (11, 7)
    assert len(c.replicasets()) == 2


def test_paused_deployment_does_not_roll_out_but_still_scales(cluster):
    """Paused: a template change makes no new ReplicaSet; scaling still works; resume rolls."""
    du.pause(cluster, "default", "web")
    cluster.settle()
    cond = du.get_condition(cluster.deployment()["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == \
        ("Unknown", "DeploymentPaused", "Deployment is paused")
    cluster.set_image("nginx:1.27")
    cluster.settle()
    assert len(cluster.replicasets()) == 1
    cluster.scale(4)
    cluster.settle()
    assert [rs["spec"]["replicas"] for rs in cluster.replicasets()] == [4]
    assert du.resume(cluster, "default", "web") == "deployment.apps/web resumed"
    cluster.settle()
    rss = cluster.replicasets()
    assert [rs["spec"]["replicas"] for rs in rss] == [0, 4]
    cond = du.get_condition(cluster.deployment()["status"], "Progressing")
    assert cond["reason"] == "NewReplicaSetAvailable"


def test_recreate_never_runs_old_and_new_pods_together():
    """Recreate scales old to 0, waits until their pods are gone, then scales the new one up."""
    c = FakeCluster(stop_delay=5.0)
    c.api.create(deployment_manifest(strategy={"type": "Recreate"}))
    c.settle()
    old = c.replicasets()[0]
    mixed = []

    def watch(ev, pod, _):
        owners = {p["metadata"]["ownerReferences"][0]["name"] for p in c.api.store.iter("Pod")}
        if len(owners) > 1:
            mixed.append(sorted(owners))

    c.api.store.watch("Pod", watch)
    c.set_image("nginx:1.27")
    c.settle()
    assert mixed == []
    new = c.replicasets()[1]
    assert c.scaling_events()[1:] == [
        f"Scaled down replica set {old['metadata']['name']} from 3 to 0",
        f"Scaled up replica set {new['metadata']['name']} from 0 to 3"]
    assert new["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "3"
    assert len(c.pods()) == 3


def test_progress_deadline_with_a_bad_image():
    """A rollout stuck on an image that never starts turns Progressing False after the deadline."""
    c = FakeCluster()
    c.api.create(deployment_manifest(progressDeadlineSeconds=30))
    c.settle()
    c.set_image("bad/nginx:1.99")
    start = c.clock.now
    assert c.settle()
    assert c.clock.now - start < 30  # settle() does not wait for the deadline
    new = c.replicasets()[1]["metadata"]["name"]
    c.clock.run(start + 29)
    cond = du.get_condition(c.deployment()["status"], "Progressing")
    assert cond["reason"] == "ReplicaSetUpdated"
    c.clock.run(start + 32)
    cond = du.get_condition(c.deployment()["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == \
        ("False", "ProgressDeadlineExceeded", f'ReplicaSet "{new}" has timed out progressing.')
    assert du.rollout_status_line(c.deployment()) == \
        ("", False, 'deployment "web" exceeded its progress deadline')
    # the old pods keep serving: maxUnavailable 0 of 3
    assert sum(1 for p in c.pods() if p["status"].get("phase") == "Running") == 3


def test_revision_history_limit_deletes_the_oldest_empty_replica_sets():
    """With revisionHistoryLimit 2, only the 2 newest old ReplicaSets are kept."""
    c = FakeCluster()
    c.api.create(deployment_manifest(revisionHistoryLimit=2))
    c.settle()
    for tag in ("1.27", "1.28", "1.29", "1.30"):
        c.set_image(f"nginx:{tag}")
        c.settle()
    rss = c.replicasets()
    revs = sorted(int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"])
                  for rs in rss)
    assert revs == [3, 4, 5]
    assert [rs["spec"]["template"]["spec"]["containers"][0]["image"] for rs in rss] == \
        ["nginx:1.28", "nginx:1.29", "nginx:1.30"]


def test_rollback_reuses_the_old_replica_set_and_renumbers_history(cluster):
    """undo brings back revision 1's ReplicaSet as revision 3: history 1,2 becomes 2,3."""
    first = cluster.replicasets()[0]["metadata"]["name"]
    cluster.set_image("nginx:1.27")
    cluster.settle()
    assert [v for v, _, _ in du.history(cluster, "default", "web")] == [1, 2]
    assert du.rollback(cluster, "default", "web") == "deployment.apps/web rolled back"
    cluster.settle()
    hist = du.history(cluster, "default", "web")
    assert [v for v, _, _ in hist] == [2, 3]
    assert hist[1][2]["metadata"]["name"] == first
    assert hist[1][2]["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] \
        == "1"
    assert len(cluster.replicasets()) == 2
    d = cluster.deployment()
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert "pod-template-hash" not in d["spec"]["template"]["metadata"]["labels"]
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert cluster.scaling_events()[-1].startswith("Scaled down replica set")
    assert f"Scaled up replica set {first} from 0 to 1" in cluster.scaling_events()


def test_history_text_and_change_cause(cluster):
    """rollout history: trailing space after the name, CHANGE-CAUSE from the RS, blank last line."""
    cluster.set_image("nginx:1.27", **{
        "kubernetes.io/change-cause": "kubectl set image deployment/web web=nginx:1.27 "
                                      "--record=true"})
    cluster.settle()
    assert du.history_text(cluster, "default", "web") == (
        "deployment.apps/web \n"
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "2         kubectl set image deployment/web web=nginx:1.27 --record=true\n"
        "\n")


def test_revision_text_prints_the_pod_template(cluster):
    """rollout history --revision=1: the header, then describe's Pod Template (tabs kept)."""
    h = cluster.replicasets()[0]["metadata"]["labels"]["pod-template-hash"]
    assert du.revision_text(cluster, "default", "web", 1) == (
        "deployment.apps/web with revision #1\n"
        "Pod Template:\n"
        "  Labels:\tapp=web\n"
        f"\tpod-template-hash={h}\n"
        "  Containers:\n"
        "   web:\n"
        "    Image:\tnginx:1.26\n"
        "    Port:\t<none>\n"
        "    Host Port:\t<none>\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "\n")
    with pytest.raises(ClientError, match="^unable to find the specified revision$"):
        du.revision_text(cluster, "default", "web", 7)


def test_rollback_errors_and_skips(cluster):
    """undo's client-side errors and the skipped-rollback message, in kubectl's words."""
    with pytest.raises(ClientError) as e:
        du.rollback(cluster, "default", "web")
    assert str(e.value) == 'no rollout history found for deployment "web"'
    cluster.set_image("nginx:1.27")
    cluster.settle()
    with pytest.raises(ClientError) as e:
        du.rollback(cluster, "default", "web", to_revision=7)
    assert str(e.value) == "unable to find specified revision 7 in history"
    assert du.rollback(cluster, "default", "web", to_revision=2) == \
        "deployment.apps/web skipped rollback (current template already matches revision 2)"
    du.pause(cluster, "default", "web")
    with pytest.raises(ClientError) as e:
        du.rollback(cluster, "default", "web")
    assert str(e.value) == ("you cannot rollback a paused deployment; resume it first with "
                            "'kubectl rollout resume deployment/web' and try again")


def test_pause_resume_restart_texts_and_errors(cluster):
    """pause/resume/restart print `deployment.apps/web <verb>`; repeats are kubectl errors."""
    assert du.pause(cluster, "default", "web") == "deployment.apps/web paused"
    with pytest.raises(ClientError) as e:
        du.pause(cluster, "default", "web")
    assert str(e.value) == 'deployments.apps "web" is already paused'
    with pytest.raises(ClientError) as e:
        du.restart(cluster, "default", "web")
    assert str(e.value) == \
        """deployments.apps "web" can't restart paused deployment (run rollout resume first)"""
    assert du.resume(cluster, "default", "web") == "deployment.apps/web resumed"
    with pytest.raises(ClientError) as e:
        du.resume(cluster, "default", "web")
    assert str(e.value) == 'deployments.apps "web" is not paused'
    cluster.settle()
    assert du.restart(cluster, "default", "web") == "deployment.apps/web restarted"
    stamp = cluster.deployment()["spec"]["template"]["metadata"]["annotations"][
        "kubectl.kubernetes.io/restartedAt"]
    assert re.fullmatch(r"2025-01-01T\d\d:\d\d:\d\dZ", stamp)
    cluster.settle()
    assert len(cluster.replicasets()) == 2  # a restart is a rollout


def test_orphan_replica_set_matching_the_selector_is_adopted():
    """A ReplicaSet with no owner whose labels match a Deployment's selector is adopted."""
    c = FakeCluster()
    c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                  "metadata": {"name": "stray", "labels": {"app": "web"}},
                  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "web",
                                                                 "image": "nginx:1.25"}]}}}})
    c.settle()
    c.api.create(deployment_manifest())
    c.settle()
    stray = c.api.get("ReplicaSet", "default", "stray")
    assert stray["metadata"]["ownerReferences"][0]["name"] == "web"
    assert stray["spec"]["replicas"] == 0  # another template: an old ReplicaSet, scaled away
    assert [rs["spec"]["replicas"] for rs in c.replicasets()] == [0, 3]


def test_orphan_replica_set_with_the_same_template_becomes_the_new_one():
    """An adopted orphan whose template equals the Deployment's is its new ReplicaSet."""
    c = FakeCluster()
    c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                  "metadata": {"name": "stray", "labels": {"app": "web"}},
                  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "web",
                                                                 "image": "nginx:1.26"}]}}}})
    c.settle()
    c.api.create(deployment_manifest())
    c.settle()
    assert [rs["metadata"]["name"] for rs in c.replicasets()] == ["stray"]
    assert c.api.get("ReplicaSet", "default", "stray")["spec"]["replicas"] == 3


def test_released_when_labels_stop_matching(cluster):
    """A ReplicaSet relabelled out of the selector is released; a new one replaces it."""
    rs = cluster.replicasets()[0]
    new = dict(rs, metadata=dict(rs["metadata"], labels={"app": "other"}))
    cluster.api.write(new, actor="test")
    cluster.settle()
    released = cluster.api.get("ReplicaSet", "default", rs["metadata"]["name"])
    assert "ownerReferences" not in released["metadata"]
    assert [r["spec"]["replicas"] for r in cluster.replicasets()] == [3]
    # the new ReplicaSet's name was taken by the released one: a hash collision
    assert cluster.deployment()["status"]["collisionCount"] == 1


def test_min_ready_seconds_is_passed_on_without_a_rollout(cluster):
    """Changing minReadySeconds updates the current ReplicaSet in place: no new revision."""
    d = cluster.deployment()
    d["spec"]["minReadySeconds"] = 10
    cluster.api.update(d)
    cluster.settle()
    (rs,) = cluster.replicasets()
    assert rs["spec"]["minReadySeconds"] == 10
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"


def test_scaling_to_zero_keeps_the_replica_set_and_reports_complete(cluster):
    """replicas 0: the ReplicaSet stays at 0, the status drops its zero counts (omitempty)."""
    cluster.scale(0)
    cluster.settle()
    (rs,) = cluster.replicasets()
    assert rs["spec"]["replicas"] == 0
    st = cluster.deployment()["status"]
    assert set(st) == {"observedGeneration", "conditions"}
    assert du.rollout_status_line(cluster.deployment()) == \
        ('deployment "web" successfully rolled out', True, None)
