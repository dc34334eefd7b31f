"""The small shell that unrolls `sh -c` scripts onto simulated time."""

from __future__ import annotations

from itertools import islice

from k8scourse.kubelet.images import BUSYBOX_APPLETS, DISTRO_COMMANDS
from k8scourse.kubelet.shell import Shell


def run(script: str, flavour: str = "ash", limit: int = 100, **kw) -> list[tuple]:
    programs = BUSYBOX_APPLETS if flavour == "ash" else DISTRO_COMMANDS
    sh = Shell(flavour, programs=programs, hostname="web", **kw)
    return list(islice(sh.run_script(script), limit))


def out(events) -> str:
    return "".join(e[2] for e in events if e[0] == "out" and e[1] == "stdout")


def test_echo_sleep_echo_is_a_timeline():
    """Output, a wait, more output, then the exit status."""
    assert run("echo hello; sleep 5; echo bye") == [
        ("out", "stdout", "hello\n"), ("sleep", 5.0), ("out", "stdout", "bye\n"), ("exit", 0)]


def test_exit_status_and_false():
    """`exit 3` ends the script with 3; `false` sets $? to 1."""
    assert run("false; echo $?; exit 3")[-2:] == [("out", "stdout", "1\n"), ("exit", 3)]


def test_endless_loop_unrolls_lazily_with_counter_and_date():
    """A while-true loop with $((i+1)) and $(date) yields one line per period, for ever."""
    evs = run('i=0; while true; do echo "$i $(date)"; i=$((i+1)); sleep 2; done', limit=6)
    assert evs == [("out", "stdout", "0 Wed Jan  1 00:00:00 UTC 2025\n"), ("sleep", 2.0),
                   ("out", "stdout", "1 Wed Jan  1 00:00:02 UTC 2025\n"), ("sleep", 2.0),
                   ("out", "stdout", "2 Wed Jan  1 00:00:04 UTC 2025\n"), ("sleep", 2.0)]


def test_unknown_command_busybox_text_and_127():
    """BusyBox ash: `sh: foo: not found`, status 127."""
    evs = run("foo; echo $?")
    assert ("out", "stderr", "sh: foo: not found\n") in evs
    assert out(evs) == "127\n"


def test_unknown_command_dash_and_bash_texts():
    """Debian's dash and bash word it differently."""
    assert ("out", "stderr", "sh: 1: foo: not found\n") in run("foo", "dash")
    sh = Shell("bash", programs=DISTRO_COMMANDS, name="bash")
    assert ("out", "stderr", "bash: line 1: foo: command not found\n") in list(sh.run_script("foo"))


def test_files_written_and_removed_are_events():
    """touch/rm/redirection produce ("fs", path, data) so probes can see the files later."""
    evs = run("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; echo x > /tmp/f; cat /tmp/f")
    assert evs == [("fs", "/tmp/healthy", ""), ("sleep", 30.0), ("fs", "/tmp/healthy", None),
                   ("fs", "/tmp/f", "x\n"), ("out", "stdout", "x\n"), ("exit", 0)]


def test_cat_missing_file_busybox_text():
    """cat of a missing file fails with BusyBox's text."""
    assert ("out", "stderr", "cat: can't open '/nope': No such file or directory\n") in \
        run("cat /nope")


def test_for_if_and_test():
    """for over words, if/else with [ -f ] and string comparisons."""
    evs = run('for i in a b; do echo $i; done; if [ -f /x ]; then echo yes; else echo no; fi; '
              '[ "$HOSTNAME" = web ] && echo host')
    assert out(evs) == "a\nb\nno\nhost\n"


def test_unterminated_quote_is_a_syntax_error():
    """A broken script fails before running, with status 2."""
    assert run('echo "oops') == [("out", "stderr", "sh: syntax error: unterminated quoted string\n"),
                                 ("exit", 2)]


def test_busy_loop_without_sleep_stops_unrolling():
    """An endless loop that never waits is cut short instead of hanging the model."""
    evs = list(Shell("ash", programs=BUSYBOX_APPLETS).run_script("while true; do :; done"))
    assert ("busy",) in evs


def test_pipe_and_seq():
    """`seq 1 3 | wc -l` counts lines."""
    assert out(run("seq 1 3 | wc -l")) == "3\n"


def test_trap_records_the_handler():
    """`trap 'exit 0' TERM` is remembered for SIGTERM."""
    sh = Shell("ash", programs=BUSYBOX_APPLETS)
    list(islice(sh.run_script("trap 'echo bye; exit 0' TERM; sleep 3600"), 3))
    assert sh.traps == {"TERM": "echo bye; exit 0"}
