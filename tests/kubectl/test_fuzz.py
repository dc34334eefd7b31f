"""No command line, however odd, makes kubectl raise or report an internal error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8scourse.kubectl import run
from k8scourse.kubectl.main import INTERNAL_ERROR
from tests.kubectl.conftest import BareCluster

VERBS = ["get", "describe", "create", "apply", "delete", "run", "expose", "scale", "set", "image",
         "label", "annotate", "patch", "rollout", "status", "history", "undo", "pause", "logs",
         "cordon", "uncordon", "drain", "taint", "cluster-info", "version", "api-resources",
         "explain", "config", "set-context", "current-context", "exec", "top", "auth", "can-i",
         "replace", "wait", "events", "deployment", "service", "nodeport", "namespace",
         "configmap", "help", "gett"]
TYPES = ["pods", "po", "pod/nginx", "deploy", "deployment/web", "rs", "rc", "svc", "nodes",
         "node01", "ns", "all", "pods,svc", "secrets", "events", "ep", "cm", "pood", "a/b/c"]
FLAGS = ["-o", "yaml", "-o=json", "-o", "name", "-o", "wide", "-ojsonpath={.items[*].metadata.name}",
         "-l", "app=web", "-l", "app in (", "-A", "-n", "kube-system", "-n", "--all", "--image=nginx",
         "--replicas=3", "--replicas=-1", "--port=80", "--tcp=80:8080", "--dry-run=client",
         "--dry-run", "-f", "-", "-f", "nope.yaml", "--force", "--grace-period=0", "--overwrite",
         "--cascade=orphan", "-w", "--request-timeout=1s", "--timeout=1s", "--to-revision=2",
         "--show-labels", "-L", "app", "--sort-by=.metadata.name", "--no-headers", "-it", "-c",
         "--", "--help", "-p", '{"spec":{"replicas":2}}', "--type=json", "--field-selector",
         "status.phase=Running", "--current", "--namespace=dev", "--recursive", "=", "-", ""]
JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
WORD = st.one_of(st.sampled_from(VERBS), st.sampled_from(TYPES), st.sampled_from(FLAGS),
                 st.sampled_from(["nginx", "web", "app=web", "env-", "nginx=nginx:1.27",
                                  "key=v:NoSchedule", "key-"]), JUNK)
STDIN = st.one_of(st.none(), st.sampled_from([
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n"
    "  - name: nginx\n    image: nginx\n",
    "kind: [", "{}", "apiVersion: v1\nkind: List\nitems: 3\n", "- a\n- b\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"]), JUNK)


def _cluster():
    try:
        from k8scourse.cluster import Cluster

        return Cluster.kubeadm(step=0.5)
    except ImportError:
        return BareCluster()


CLUSTER = None


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(argv=st.lists(WORD, min_size=0, max_size=7), stdin=STDIN)
def test_random_command_lines_never_break_kubectl(argv, stdin):
    """Whatever the arguments, kubectl answers with an exit code and text, never a traceback."""
    global CLUSTER
    if CLUSTER is None:
        CLUSTER = _cluster()
    result = run(CLUSTER, argv, stdin=stdin)
    assert result.exit_code in range(0, 256)
    assert INTERNAL_ERROR not in result.stderr, (argv, result.stderr)
    assert isinstance(result.stdout, str) and isinstance(result.stderr, str)


@settings(max_examples=200, deadline=None)
@given(line=st.text(max_size=60))
def test_random_command_strings_never_break_kubectl(line):
    """Any string, split like a shell, is answered (unbalanced quotes included)."""
    c = BareCluster()
    result = run(c, line)
    assert INTERNAL_ERROR not in result.stderr, (line, result.stderr)
