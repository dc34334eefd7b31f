"""The Deployment controller end to end, in a whole Cluster (real scheduler, ReplicaSet
controller, kubelets): what a learner sees during rollouts."""

import pytest

from k8scourse import Cluster
from k8scourse.controllers import deployment_util as du

NS = "default"


def manifest(name="web", replicas=3, image="nginx:1.26", **spec):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app": name}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "web", "image": image}]}},
                     **spec}}


@pytest.fixture
def cluster():
    c = Cluster.kubeadm(workers=2, seed=3)
    c.api.create(manifest())
    c.settle()
    return c


def set_image(c, image, name="web"):
    d = c.api.get("Deployment", NS, name)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    c.api.update(d)


def replica_sets(c, name="web"):
    d = c.api.store.get("Deployment", NS, name)
    return sorted((o for o in c.api.store.owned_by(d["metadata"]["uid"])
                   if o["kind"] == "ReplicaSet"),
                  key=lambda o: (o["metadata"]["creationTimestamp"], o["metadata"]["name"]))


def scaling_events(c, name="web"):
    d = c.api.store.get("Deployment", NS, name)
    return [e["message"] for e in c.api.events.for_object(d) if e["reason"] == "ScalingReplicaSet"]


def test_rolling_update_event_sequence_on_a_cluster(cluster):
    """kubectl describe shows the six ScalingReplicaSet events of reference 3.3 after the first."""
    (old,) = [rs["metadata"]["name"] for rs in replica_sets(cluster)]
    set_image(cluster, "nginx:1.27")
    cluster.settle()
    new = replica_sets(cluster)[1]["metadata"]["name"]
    assert scaling_events(cluster) == [
        f"Scaled up replica set {old} from 0 to 3",
        f"Scaled up replica set {new} from 0 to 1",
        f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {new} from 1 to 2",
        f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {new} from 2 to 3",
        f"Scaled down replica set {old} from 1 to 0",
    ]
    pods = cluster.api.list("Pod", NS)
    assert len(pods) == 3
    assert all(p["metadata"]["name"].startswith(new + "-") for p in pods)


def test_rollout_status_lines_on_a_cluster(cluster):
    """rollout status, polled every half second, prints reference 3.4's lines in order."""
    set_image(cluster, "nginx:1.27")
    lines = []
    for _ in range(200):
        line, done, err = du.rollout_status_line(cluster.api.get("Deployment", NS, "web"))
        assert err is None
        if not lines or lines[-1] != line:
            lines.append(line)
        if done:
            break
        cluster.advance(0.5)
    assert lines[-1] == 'deployment "web" successfully rolled out'
    expected_order = [
        "Waiting for deployment spec update to be observed...",
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been '
        'updated...',
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been '
        'updated...',
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending '
        'termination...',
        'deployment "web" successfully rolled out',
    ]
    assert [line for line in lines if line in expected_order] == expected_order


def test_undo_reuses_the_first_replica_set_on_a_cluster(cluster):
    """undo after one update: the first ReplicaSet runs the pods again as revision 3."""
    first = replica_sets(cluster)[0]["metadata"]["name"]
    set_image(cluster, "nginx:1.27")
    cluster.settle()
    assert du.rollback(cluster, NS, "web") == "deployment.apps/web rolled back"
    cluster.settle()
    assert [(v, rs["metadata"]["name"] == first) for v, _, rs in du.history(cluster, NS, "web")] \
        == [(2, False), (3, True)]
    pods = cluster.api.list("Pod", NS)
    assert len(pods) == 3 and all(p["metadata"]["name"].startswith(first + "-") for p in pods)
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.26" for p in pods)


def test_recreate_on_a_cluster_never_mixes_old_and_new_pods():
    """With Recreate the old pods terminate completely before any new pod is created."""
    c = Cluster.kubeadm(workers=2, seed=5)
    c.api.create(manifest(strategy={"type": "Recreate"}))
    c.settle()
    mixed = []

    def watch(ev, pod, old):
        owners = {(p["metadata"].get("ownerReferences") or [{}])[0].get("name")
                  for p in c.api.store.list("Pod", NS)}
        if len(owners) > 1:
            mixed.append(owners)

    c.api.store.watch("Pod", watch)
    set_image(c, "nginx:1.27")
    c.settle()
    assert mixed == []
    old, new = (rs["metadata"]["name"] for rs in replica_sets(c))
    assert scaling_events(c)[1:] == [f"Scaled down replica set {old} from 3 to 0",
                                     f"Scaled up replica set {new} from 0 to 3"]


def test_progress_deadline_on_a_cluster_with_an_image_that_does_not_exist():
    """An image that cannot be pulled: after progressDeadlineSeconds, ProgressDeadlineExceeded."""
    c = Cluster.kubeadm(workers=2, seed=7)
    c.api.create(manifest(progressDeadlineSeconds=60))
    c.settle()
    set_image(c, "nginx:doesnotexist")
    c.settle()
    c.advance(90)
    d = c.api.get("Deployment", NS, "web")
    new = replica_sets(c)[1]["metadata"]["name"]
    cond = du.get_condition(d["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == \
        ("False", "ProgressDeadlineExceeded", f'ReplicaSet "{new}" has timed out progressing.')
    assert du.rollout_status_line(d) == \
        ("", False, 'deployment "web" exceeded its progress deadline')
    available = du.get_condition(d["status"], "Available")
    assert available["status"] == "True"  # the three old pods still serve


def test_paused_deployment_on_a_cluster_keeps_its_pods(cluster):
    """While paused, changing the image starts no rollout; resuming does."""
    du.pause(cluster, NS, "web")
    set_image(cluster, "nginx:1.27")
    cluster.settle()
    assert len(replica_sets(cluster)) == 1
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.26"
               for p in cluster.api.list("Pod", NS))
    du.resume(cluster, NS, "web")
    cluster.settle()
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.27"
               for p in cluster.api.list("Pod", NS))


def test_revision_history_limit_on_a_cluster():
    """revisionHistoryLimit 1 keeps one old ReplicaSet besides the current one."""
    c = Cluster.kubeadm(workers=2, seed=9)
    c.api.create(manifest(revisionHistoryLimit=1))
    c.settle()
    for tag in ("1.27", "1.25", "1.24"):  # tags the image catalog has
        set_image(c, f"nginx:{tag}")
        c.settle()
    assert [v for v, _, _ in du.history(c, NS, "web")] == [3, 4]


def test_the_kubectl_surface_of_a_rollout(cluster):
    """set image, rollout status/history/undo through kubectl print kubectl's texts."""
    out = cluster.kubectl("rollout history deployment/web")
    assert out.stdout == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    cluster.kubectl("set image deployment/web web=nginx:1.27")
    status = cluster.kubectl("rollout status deployment/web")
    assert status.stdout.splitlines()[-1] == 'deployment "web" successfully rolled out'
    assert cluster.kubectl("rollout undo deployment/web").stdout == \
        "deployment.apps/web rolled back\n"
