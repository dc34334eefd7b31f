"""Every imperative-command error of reference 1.6, literally, on stderr with exit code 1."""

import pytest


def _err(c, cmd):
    r = c.kubectl(cmd)
    assert r.exit_code == 1, (cmd, r)
    return r.stderr


@pytest.fixture
def nginx(cluster):
    """A cluster with a 3-replica nginx Deployment rolled out."""
    cluster.kubectl("create deployment nginx --image=nginx --replicas=3")
    cluster.settle()
    return cluster


def test_run_without_image(cluster):
    """`kubectl run nginx` (no --image)."""
    assert _err(cluster, "run nginx") == 'error: required flag(s) "image" not set\n'


def test_create_deployment_without_image(cluster):
    """`kubectl create deployment web`."""
    assert _err(cluster, "create deployment web") == 'error: required flag(s) "image" not set\n'


def test_run_with_replicas(cluster):
    """`kubectl run --replicas` was removed."""
    assert _err(cluster, "run nginx --image=nginx --replicas=3") == \
        "error: unknown flag: --replicas\nSee 'kubectl run --help' for usage.\n"


def test_create_service_nodeport_without_tcp(cluster):
    """`kubectl create service nodeport myapp`."""
    assert _err(cluster, "create service nodeport myapp") == \
        "error: at least one tcp port specifier must be provided\n"


def test_scale_a_missing_deployment(cluster):
    """`kubectl scale deployment nope --replicas=2`."""
    assert _err(cluster, "scale deployment nope --replicas=2") == \
        'error: no objects passed to scale deployments.apps "nope" not found\n'


def test_scale_to_minus_one(nginx):
    """`kubectl scale deployment nginx --replicas=-1`."""
    assert _err(nginx, "scale deployment nginx --replicas=-1") == \
        ("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal "
         "to 0\n")


def test_scale_with_a_wrong_current_replicas(nginx):
    """`--current-replicas` is a precondition."""
    assert _err(nginx, "scale deployment nginx --replicas=3 --current-replicas=2") == \
        "error: Expected replicas to be 2, was 3\n"


def test_label_without_overwrite(cluster):
    """Changing a label's value needs --overwrite."""
    cluster.kubectl("run p --image=nginx --labels=env=prod")
    assert _err(cluster, "label pod p env=dev") == \
        "error: 'env' already has a value (prod), and --overwrite is false\n"


def test_taint_with_a_misspelled_effect(cluster):
    """`kubectl taint nodes node01 app=blue:NoSchedul`."""
    assert _err(cluster, "taint nodes node01 app=blue:NoSchedul") == \
        ("error: invalid taint effect: NoSchedul, unsupported taint effect\n"
         "See 'kubectl taint -h' for help and examples\n")


def test_rollout_undo_with_one_revision(nginx):
    """Nothing to go back to."""
    assert _err(nginx, "rollout undo deployment/nginx") == \
        'error: no rollout history found for deployment "nginx"\n'


def test_rollout_undo_to_a_missing_revision(nginx):
    """`--to-revision=7` that does not exist."""
    assert _err(nginx, "rollout undo deployment/nginx --to-revision=7") == \
        "error: unable to find specified revision 7 in history\n"


def test_rollout_pause_twice(nginx):
    """Pausing a paused Deployment."""
    assert nginx.kubectl("rollout pause deployment/nginx").stdout == \
        "deployment.apps/nginx paused\n"
    assert _err(nginx, "rollout pause deployment/nginx") == \
        'error: deployments.apps "nginx" is already paused\n'


def test_set_image_of_a_missing_container(nginx):
    """`kubectl set image deployment/nginx nginxx=nginx:1.27`."""
    assert _err(nginx, "set image deployment/nginx nginxx=nginx:1.27") == \
        'error: unable to find container named "nginxx"\n'


def test_rollout_status_of_a_replicaset(nginx):
    """ReplicaSets have no status viewer."""
    rs = nginx.list("ReplicaSet")[0].name
    assert _err(nginx, f"rollout status rs/{rs}") == \
        "error: no status viewer has been implemented for ReplicaSet.apps\n"


def test_rollout_history_of_a_pod(cluster):
    """Pods have no history viewer."""
    cluster.kubectl("run x --image=nginx")
    assert _err(cluster, "rollout history pod/x") == \
        'error: no history viewer has been implemented for "Pod"\n'


def test_expose_without_a_port(cluster):
    """No containerPort and no --port (a usage error: kubectl adds its help hint)."""
    cluster.kubectl("create deployment web --image=nginx")
    assert _err(cluster, "expose deployment web") == \
        ("error: couldn't find port via --port flag or introspection\n"
         "See 'kubectl expose -h' for help and examples\n")


def test_logs_of_a_missing_pod(cluster):
    """`kubectl logs nope`."""
    assert _err(cluster, "logs nope") == \
        'error: error from server (NotFound): pods "nope" not found in namespace "default"\n'


def test_delete_two_missing_pods(cluster):
    """Each missing pod gets its own line."""
    assert _err(cluster, "delete pod a b") == ('Error from server (NotFound): pods "a" not found\n'
                                              'Error from server (NotFound): pods "b" not found\n')


def test_unknown_resource_type(cluster):
    """Reference 0.3: a type the server does not have."""
    assert _err(cluster, "get pood") == 'error: the server doesn\'t have a resource type "pood"\n'


def test_get_a_missing_pod(cluster):
    """A named object that does not exist."""
    assert _err(cluster, "get pod nope") == 'Error from server (NotFound): pods "nope" not found\n'


def test_run_twice(cluster):
    """No file: no `error when creating` wrap (reference 0.3)."""
    cluster.kubectl("run nginx --image=nginx")
    assert _err(cluster, "run nginx --image=nginx") == \
        'Error from server (AlreadyExists): pods "nginx" already exists\n'


def test_typed_generators_wrap_as_plain_text(cluster):
    """create deployment / create service errors lose the Status formatting (reference 0.3)."""
    cluster.kubectl("create deployment web --image=nginx")
    assert _err(cluster, "create deployment web --image=nginx") == \
        'error: failed to create deployment: deployments.apps "web" already exists\n'
    assert _err(cluster, "create deployment Web --image=nginx") == (
        'error: failed to create deployment: Deployment.apps "Web" is invalid: metadata.name: '
        'Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case '
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n")
    cluster.kubectl("create service nodeport myapp --tcp=80:80 --node-port=30008")
    assert _err(cluster, "create service nodeport other --tcp=80:80 --node-port=30008") == (
        'error: failed to create NodePort service: Service "other" is invalid: '
        "spec.ports[0].nodePort: Invalid value: 30008: provided port is already allocated\n")


def test_run_with_a_bad_name_gives_two_causes(cluster):
    """`kubectl run My_Pod`: the pod name and the container name (reference 1.1)."""
    assert _err(cluster, "run My_Pod --image=nginx") == (
        'The Pod "My_Pod" is invalid: \n'
        '* metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain must consist '
        "of lower case alphanumeric characters, '-' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
        '* spec.containers[0].name: Invalid value: "My_Pod": a lowercase RFC 1123 label must '
        "consist of lower case alphanumeric characters or '-', and must start and end with an "
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n")
