"""kubectl rollout (reference 3.4): status lines in simulated time, history, undo, pause, restart."""

import pytest

STATUS_LINES = [
    "Waiting for deployment spec update to be observed...",
    'Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been updated...',
    'Waiting for deployment "nginx" rollout to finish: 2 out of 3 new replicas have been updated...',
    'Waiting for deployment "nginx" rollout to finish: 1 old replicas are pending termination...',
    'Waiting for deployment "nginx" rollout to finish: 2 of 3 updated replicas are available...',
    'deployment "nginx" successfully rolled out',
]


@pytest.fixture
def nginx(cluster):
    cluster.kubectl("create deployment nginx --image=nginx --replicas=3")
    cluster.settle()
    return cluster


def test_status_after_an_image_change_prints_the_reference_lines_in_order(nginx):
    """Each printed line is one of kubectl's, in kubectl's order, once, ending in success."""
    nginx.kubectl("set image deployment/nginx nginx=nginx:1.27")
    r = nginx.kubectl("rollout status deployment/nginx")
    assert r.exit_code == 0 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[-1] == 'deployment "nginx" successfully rolled out'
    positions = [STATUS_LINES.index(line) for line in lines]
    assert positions == sorted(set(positions))
    assert 'Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been ' \
           'updated...' in lines


def test_status_follows_simulated_time(nginx):
    """kubectl blocks until the rollout is done: afterwards every pod runs the new image."""
    nginx.kubectl("set image deployment/nginx nginx=nginx:1.27")
    nginx.kubectl("rollout status deployment/nginx")
    images = {p.spec["containers"][0]["image"] for p in nginx.pods()
              if not p.metadata.get("deletionTimestamp")}
    assert images == {"nginx:1.27"}


def test_status_when_done(nginx):
    """A finished rollout prints the success line only."""
    assert nginx.kubectl("rollout status deploy nginx").stdout == \
        'deployment "nginx" successfully rolled out\n'


def test_status_without_watch_prints_one_line(nginx):
    """--watch=false: the current state, once."""
    nginx.kubectl("set image deployment/nginx nginx=nginx:1.27")
    r = nginx.kubectl("rollout status deployment/nginx --watch=false")
    assert len(r.stdout.splitlines()) == 1


def test_status_times_out(nginx):
    """A rollout that cannot progress and --timeout: the last line, then the timeout error."""
    nginx.kubectl("set image deployment/nginx nginx=nginx:no-such-tag")
    r = nginx.kubectl("rollout status deployment/nginx --timeout=5s")
    assert r.exit_code == 1
    assert r.stdout.startswith('Waiting for deployment "nginx" rollout to finish: ')
    assert r.stderr == "error: timed out waiting for the condition\n"


def test_status_progress_deadline(cluster):
    """A deadline exceeded ends `rollout status` with kubectl's error."""
    cluster.kubectl("create deployment nginx --image=nginx")
    cluster.settle()
    cluster.kubectl(["patch", "deployment", "nginx", "-p",
                     '{"spec":{"progressDeadlineSeconds":10}}'])
    cluster.kubectl("set image deployment/nginx nginx=nginx:no-such-tag")
    r = cluster.kubectl("rollout status deployment/nginx")
    assert r.exit_code == 1
    assert r.stderr == 'error: deployment "nginx" exceeded its progress deadline\n'


def test_history_undo_renumbers(nginx):
    """History 1,2 becomes 2,3 after an undo (reference 3.3/3.4 layout)."""
    nginx.kubectl("set image deployment/nginx nginx=nginx:1.27")
    nginx.settle()
    assert nginx.kubectl("rollout history deployment/nginx").stdout == (
        "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    assert nginx.kubectl("rollout undo deployment/nginx").stdout == \
        "deployment.apps/nginx rolled back\n"
    nginx.settle()
    assert nginx.kubectl("rollout history deployment/nginx").stdout == (
        "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")


def test_history_of_one_revision(nginx):
    """--revision=1 starts with kubectl's header and the pod template."""
    out = nginx.kubectl("rollout history deployment/nginx --revision=1").stdout
    assert out.startswith("deployment.apps/nginx with revision #1\nPod Template:\n")


def test_pause_resume_restart(nginx):
    """The three simple verbs and resume's error when not paused."""
    assert nginx.kubectl("rollout pause deployment/nginx").stdout == \
        "deployment.apps/nginx paused\n"
    assert nginx.kubectl("rollout resume deployment/nginx").stdout == \
        "deployment.apps/nginx resumed\n"
    r = nginx.kubectl("rollout resume deployment/nginx")
    assert r.stderr == 'error: deployments.apps "nginx" is not paused\n'
    assert nginx.kubectl("rollout restart deployment/nginx").stdout == \
        "deployment.apps/nginx restarted\n"
    nginx.settle()
    assert len(nginx.list("ReplicaSet")) == 2


def test_status_of_a_missing_deployment(cluster):
    """NotFound in the server's words."""
    r = cluster.kubectl("rollout status deployment/nope")
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_history_shows_the_recorded_change_cause(nginx):
    """--record stores the command line; history shows it as CHANGE-CAUSE (reference 3.4)."""
    r = nginx.kubectl("set image deployment/nginx nginx=nginx:1.27 --record")
    assert r.stderr == "Flag --record has been deprecated, --record will be removed in the future\n"
    nginx.settle()
    assert nginx.kubectl("rollout history deployment/nginx").stdout == (
        "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         <none>\n"
        "2         kubectl set image deployment/nginx nginx=nginx:1.27 --record=true\n\n")


def test_undo_to_the_current_revision_is_skipped(nginx):
    """Rolling back to the revision already running changes nothing."""
    nginx.kubectl("set image deployment/nginx nginx=nginx:1.27")
    nginx.settle()
    assert nginx.kubectl("rollout undo deployment/nginx --to-revision=2").stdout == \
        "deployment.apps/nginx skipped rollback (current template already matches revision 2)\n"


def test_set_image_for_every_container(nginx):
    """`*=image` sets every container's image."""
    assert nginx.kubectl("set image deployment/nginx *=nginx:1.27").stdout == \
        "deployment.apps/nginx image updated\n"
    c = nginx.get("Deployment", "nginx").spec["template"]["spec"]["containers"]
    assert {x["image"] for x in c} == {"nginx:1.27"}
