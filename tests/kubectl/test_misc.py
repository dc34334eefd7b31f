"""logs, exec, version, config, explain, top, auth, api-resources, wait."""

import pytest

TWO_CONTAINERS = """apiVersion: v1
kind: Pod
metadata:
  name: duo
spec:
  containers:
  - name: web
    image: nginx
  - name: cache
    image: redis
"""


@pytest.fixture
def nginx(cluster):
    cluster.kubectl("run nginx --image=nginx")
    cluster.settle()
    return cluster


def test_logs_and_tail(nginx):
    """The container's log, and --tail=N keeps the last N lines."""
    full = nginx.kubectl("logs nginx").stdout
    assert full.endswith("\n") and len(full.splitlines()) > 2
    assert nginx.kubectl("logs nginx --tail=2").stdout.splitlines() == full.splitlines()[-2:]


def test_logs_default_container_message(cluster):
    """Several containers and no -c: kubectl says which one it picked."""
    cluster.kubectl("apply -f -", stdin=TWO_CONTAINERS)
    cluster.settle()
    r = cluster.kubectl("logs duo")
    assert r.exit_code == 0
    assert r.stderr == 'Defaulted container "web" out of: web, cache\n'
    r = cluster.kubectl("logs duo -c cache")
    assert r.stderr == "" and r.stdout


def test_logs_of_a_workload_uses_its_first_pod(cluster):
    """`logs deploy/x` with several pods names the one it used."""
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.settle()
    r = cluster.kubectl("logs deploy/web")
    assert r.exit_code == 0
    assert r.stderr.startswith("Found 2 pods, using pod/web-")


def test_logs_errors(nginx):
    """A container that is not in the pod; no previous container."""
    assert nginx.kubectl("logs nginx -c x").stderr == \
        "Error from server (BadRequest): container x is not valid for pod nginx\n"
    r = nginx.kubectl("logs")
    assert r.stderr == ("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                        "POD or TYPE/NAME is a required argument for the logs command\n"
                        "See 'kubectl logs -h' for help and examples\n")


def test_logs_follow_is_bounded(nginx):
    """-f follows simulated time for --request-timeout, then returns."""
    start = nginx.now
    r = nginx.kubectl("logs -f nginx --request-timeout=3s")
    assert r.exit_code == 0
    assert nginx.now - start <= 3 + nginx.step + 0.001


def test_exec(nginx):
    """exec runs a command in the container; a failing one reports its exit code."""
    r = nginx.kubectl("exec nginx -- cat /etc/hostname")
    assert (r.exit_code, r.stdout) == (0, "nginx\n")
    r = nginx.kubectl(["exec", "nginx", "--", "sh", "-c", "exit 3"])
    assert (r.exit_code, r.stderr) == (3, "command terminated with exit code 3\n")


def test_exec_errors(nginx):
    """The old form, no command, and an interactive shell."""
    assert nginx.kubectl("exec nginx ls").stderr == (
        "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] "
        "instead\n")
    assert nginx.kubectl("exec nginx").stderr == \
        "error: you must specify at least one command for the container\n"
    assert nginx.kubectl("exec -it nginx -- sh").exit_code == 1


def test_version(bare):
    """Client, Kustomize and Server versions; --client only the first two."""
    assert bare.kubectl("version").stdout == ("Client Version: v1.32.5\nKustomize Version: v5.5.0\n"
                                              "Server Version: v1.32.5\n")
    assert bare.kubectl("version --client").stdout == \
        "Client Version: v1.32.5\nKustomize Version: v5.5.0\n"
    out = bare.kubectl("version -o yaml").stdout
    assert "  gitVersion: v1.32.5\n" in out and "kustomizeVersion: v5.5.0\n" in out
    assert bare.kubectl("version -o xml").stderr == "error: --output must be 'yaml' or 'json'\n"


def test_config_contexts(bare):
    """current-context, get-contexts and set-context as kubeadm's kubeconfig has them."""
    assert bare.kubectl("config current-context").stdout == "kubernetes-admin@kubernetes\n"
    assert bare.kubectl("config get-contexts").stdout == (
        "CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n"
        "*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   \n")
    bare.kubectl("config set-context --current --namespace=dev")
    assert bare.kubectl("config get-contexts").stdout.splitlines()[1].endswith("   dev")
    assert bare.kubeconfig["namespace"] == "dev"
    assert "namespace: dev" in bare.kubectl("config view").stdout


def test_explain(bare):
    """The v1.32 layout, and the unknown-field error."""
    out = bare.kubectl("explain pods").stdout
    assert out.startswith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n")
    assert bare.kubectl("explain pod.spec.foo").stderr == 'error: field "foo" does not exist\n'
    out = bare.kubectl("explain deployment --recursive").stdout
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n")
    assert "\n  spec\t<DeploymentSpec>\n    minReadySeconds\t<integer>\n" in out


def test_top_and_auth(bare):
    """No metrics server; the admin may do anything."""
    assert bare.kubectl("top nodes").stderr == "error: Metrics API not available\n"
    assert bare.kubectl("top pods").stderr == "error: Metrics API not available\n"
    assert bare.kubectl("auth can-i create pods").stdout == "yes\n"


def test_api_resources_and_versions(bare):
    """Helper B's table, and the group versions it implies."""
    out = bare.kubectl("api-resources").stdout
    assert out.splitlines()[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED",
                                           "KIND"]
    versions = bare.kubectl("api-versions").stdout.splitlines()
    assert versions[-1] == "v1" and "apps/v1" in versions


def test_wait_for_a_condition(cluster):
    """`kubectl wait --for=condition=Ready` runs simulated time until it holds."""
    cluster.kubectl("run w --image=nginx")
    r = cluster.kubectl("wait --for=condition=Ready pod/w --timeout=60s")
    assert (r.exit_code, r.stdout) == (0, "pod/w condition met\n")


def test_cluster_info_dump_prints_json(nginx):
    """cluster-info dump writes the lists and the logs to stdout."""
    r = nginx.kubectl("cluster-info dump")
    assert r.stdout.startswith('{\n    "apiVersion": "v1",\n')
    assert "==== START logs for container nginx of pod default/nginx ====" in r.stdout
