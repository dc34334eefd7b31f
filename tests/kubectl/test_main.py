"""The command line as a whole: command lookup, flag errors, help, and no tracebacks ever."""

from k8scourse.kubectl import run
from k8scourse.kubectl.main import INTERNAL_ERROR, split_command


def test_a_leading_kubectl_is_optional(bare):
    """`kubectl get ns` and `get ns` are the same command."""
    assert bare.kubectl("kubectl get ns").stdout == bare.kubectl("get ns").stdout
    assert bare.kubectl(["kubectl", "get", "ns"]).stdout.startswith("NAME")


def test_command_lines_are_split_like_a_shell():
    """Quotes group words as a POSIX shell does."""
    assert split_command("kubectl get pods -l 'app in (a, b)'") == \
        ["get", "pods", "-l", "app in (a, b)"]


def test_unknown_command_with_suggestions(bare):
    """cobra's unknown-command error lists the commands within distance 2."""
    r = bare.kubectl("gett pods")
    assert r.exit_code == 1
    assert r.stderr == ('error: unknown command "gett" for "kubectl"\n\n'
                        "Did you mean this?\n\tget\n\tset\n")


def test_unknown_command_without_suggestions(bare):
    """A word far from every command gets no suggestions."""
    r = bare.kubectl("frobnicate")
    assert r.stderr == 'error: unknown command "frobnicate" for "kubectl"\n'


def test_unknown_flag_names_the_command(bare):
    """The flag error is followed by the command's --help hint (reference 1.6)."""
    r = bare.kubectl("run nginx --image=nginx --replicas=3")
    assert r.exit_code == 1
    assert r.stderr == "error: unknown flag: --replicas\nSee 'kubectl run --help' for usage.\n"


def test_required_flag(bare):
    """cobra's MarkFlagRequired message (reference 1.6)."""
    assert bare.kubectl("run nginx").stderr == 'error: required flag(s) "image" not set\n'
    assert bare.kubectl("create deployment web").stderr == \
        'error: required flag(s) "image" not set\n'


def test_global_namespace_flag_before_the_command(bare):
    """`kubectl -n kube-system get pods` finds `get` past the flag."""
    r = bare.kubectl("-n kube-public get pods")
    assert r.stderr == "No resources found in kube-public namespace.\n"


def test_unknown_context(bare):
    """--context must name a context of the kubeconfig."""
    r = bare.kubectl("get pods --context=prod")
    assert r.stderr == "error: context was not found for specified context: prod\n"


def test_kubectl_alone_prints_the_root_help(bare):
    """`kubectl` with no command prints its help and exits 0."""
    r = bare.kubectl("")
    assert r.exit_code == 0
    assert r.stdout.startswith("kubectl controls the Kubernetes cluster manager.\n")
    assert "Basic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n" \
        in r.stdout


def test_command_help(bare):
    """`kubectl get --help` and `-h` print get's help on stdout."""
    r = bare.kubectl("get --help")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.startswith("Display one or many resources.\n")
    assert bare.kubectl("get -h").stdout == r.stdout
    assert bare.kubectl("help get").stdout == r.stdout


def test_internal_errors_never_escape():
    """A broken cluster object gives the internal-error line, not a traceback."""

    class Broken:
        kubeconfig = {"namespace": "default"}

        @property
        def api(self):
            raise RuntimeError("boom")

    r = run(Broken(), "get pods")
    assert r.exit_code == 1
    assert r.stderr == f"{INTERNAL_ERROR}: RuntimeError: boom\n"


def test_unbalanced_quotes_are_a_usage_error(bare):
    """A command line that cannot be split is reported, not raised."""
    r = bare.kubectl("get pods -l 'app=web")
    assert r.exit_code == 1 and r.stderr.startswith("error: ")


def test_real_commands_the_course_does_not_offer(bare):
    """kubectl edit exists, so it is not an unknown command; the course says it is not here."""
    r = bare.kubectl("edit pod nginx")
    assert r.exit_code == 1
    assert r.stderr == "error: \"kubectl edit\" is not available in this course's cluster\n"


def test_create_help_lists_its_subcommands(bare):
    """`kubectl create --help`: the description, examples, subcommands and usage."""
    out = bare.kubectl("create --help").stdout
    assert out.startswith("Create a resource from a file or from stdin.\n\n JSON and YAML formats "
                          "are accepted.\n")
    assert "\nAvailable Commands:\n  clusterrole         Create a cluster role\n" in out
    assert out.endswith('Use "kubectl options" for a list of global command-line options '
                        "(applies to all commands).\n")


def test_help_for_a_command_without_stored_text(bare):
    """Commands without a stored text still get a short usage, never an error."""
    r = bare.kubectl("drain --help")
    assert r.exit_code == 0 and r.stdout.startswith("Drain node in preparation for maintenance.\n")
