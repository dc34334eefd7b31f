"""What runs inside a container: the Process protocol and the default behaviours."""

from __future__ import annotations

import random

import pytest

from k8scourse.kubelet import images, process
from k8scourse.kubelet.process import (ContainerContext, ContainerLog, Process, process_for,
                                       register, runs_image_default)
from k8scourse.sim.clock import Clock


def ctx_for(image: str, command=None, args=None, stdin=False, clock=None) -> ContainerContext:
    ref = images.parse(image)
    img = images.lookup(ref)
    clock = clock or Clock()
    container = {"name": "c", "image": image, "stdin": stdin}
    pod = {"metadata": {"name": "p", "namespace": "default"}, "spec": {}}
    return ContainerContext(image=image, ref=ref, repo=img.repository, command=command or [],
                            args=args or [], env={"HOSTNAME": "p"}, pod=pod, container=container,
                            node="node01", pod_ip="10.244.1.2", clock=clock,
                            rand=random.Random(0), cluster=None, log=ContainerLog(),
                            version=img.version)


def lines(ctx: ContainerContext, at: float = float("inf")) -> list[str]:
    return [t for _, _, _, t in ctx.output.visible(at)]


def test_busybox_default_command_exits_at_once():
    """busybox's default `sh` has no terminal: it reads EOF and exits 0 immediately."""
    p = Process(ctx_for("busybox"))
    assert p.start() == 0.0 and p.exit_code == 0


def test_shell_with_stdin_keeps_running():
    """`kubectl run -it ... -- sh`: with stdin the shell waits for input."""
    p = Process(ctx_for("busybox", args=["sh"], stdin=True))
    assert p.start() is None


def test_sleep_runs_its_seconds():
    """`sleep 3600` exits after 3600 simulated seconds with status 0."""
    p = Process(ctx_for("busybox", args=["sleep", "3600"]))
    assert p.start() == 3600.0 and p.exit_code == 0


def test_false_exits_1():
    """`false` exits at once with status 1."""
    p = Process(ctx_for("busybox", command=["false"]))
    assert p.start() == 0.0 and p.exit_code == 1


def test_script_lines_appear_at_their_times():
    """`sh -c 'echo hello; sleep 5; echo bye'`: bye is logged 5 s after hello, then exit."""
    ctx = ctx_for("busybox", command=["sh", "-c", "echo hello; sleep 5; echo bye"])
    p = Process(ctx)
    assert p.start() == 5.0
    assert lines(ctx, 0.0) == ["hello"]
    assert lines(ctx, 5.0) == ["hello", "bye"]


def test_unknown_command_in_shell_logs_the_error_and_exits_127():
    """`sh -c foo` prints ash's error and exits 127."""
    ctx = ctx_for("busybox", command=["sh", "-c", "foo"])
    p = Process(ctx)
    assert p.start() == 0.0 and p.exit_code == 127
    assert lines(ctx) == ["sh: foo: not found"]


def test_shell_ignores_sigterm_as_pid_1():
    """A shell or sleep as PID 1 has no SIGTERM handler: stop() never ends by itself."""
    p = Process(ctx_for("busybox", args=["sleep", "3600"]))
    p.start()
    assert p.stop() == float("inf")


def test_trap_makes_the_script_exit_on_sigterm_after_its_sleep():
    """With `trap 'exit 0' TERM` the handler runs when the current sleep ends."""
    clock = Clock()
    ctx = ctx_for("busybox", command=["sh", "-c", "trap 'echo bye; exit 0' TERM; "
                                      "while true; do sleep 1; done"], clock=clock)
    p = Process(ctx)
    assert p.start() is None
    clock.run(10.5)
    assert p.stop() == pytest.approx(0.5)
    assert p.exit_code == 0 and lines(ctx)[-1] == "bye"


def test_image_process_falls_back_to_commands_when_overridden():
    """`sleep 3600` on the nginx image runs sleep, not nginx."""
    ctx = ctx_for("nginx:1.27", args=["sleep", "3600"])
    assert not runs_image_default(ctx)
    p = process.ImageProcess(ctx)
    assert type(p) is Process and p.start() == 3600.0
    assert runs_image_default(ctx_for("nginx:1.27", command=["nginx", "-g", "daemon off;"]))


def test_register_plugs_a_behaviour_in():
    """register(repository, cls) makes process_for use it."""
    class Echo(Process):
        def start(self):
            self.ctx.log("registered")
            return None

    saved = process.PROCESSES.get("memcached")
    try:
        register("memcached", Echo)
        ctx = ctx_for("memcached")
        assert isinstance(process_for(ctx), Echo)
    finally:
        if saved is None:
            process.PROCESSES.pop("memcached", None)
        else:
            process.PROCESSES["memcached"] = saved


def test_exec_runs_beside_the_main_process():
    """exec(argv) runs a command with the container's files and environment."""
    ctx = ctx_for("busybox", command=["sh", "-c", "echo ok > /tmp/x; sleep 3600"])
    p = Process(ctx)
    p.start()
    assert p.exec(["cat", "/tmp/x"]) == (0, "ok\n", "")
    assert p.exec(["hostname"]) == (0, "p\n", "")
    code, out, err = p.exec(["curlx"])
    assert code == 126 and 'exec: "curlx": executable file not found in $PATH' in err


def test_future_lines_hidden_and_dropped_when_closed():
    """A log shows lines up to now; closing at t drops what would have come later."""
    log = ContainerLog()
    log.write(0.0, "a")
    log.write(10.0, "b")
    assert [x[3] for x in log.visible(5.0)] == ["a"]
    log.close(5.0)
    assert [x[3] for x in log.visible(100.0)] == ["a"]


def test_lines_written_together_read_back_one_by_one_in_order():
    """A start-up banner written in one call reads back as separate lines, in write order,
    and counts toward the line limit like single writes."""
    from k8scourse.kubelet import process

    log = ContainerLog()
    log.write(0.0, "first")
    log.write_lines(1.0, ("a", "b", "c"))
    log.write(1.0, "after")
    assert [x[3] for x in log.visible(1.0)] == ["first", "a", "b", "c", "after"]
    assert [x[1] for x in log.visible(1.0)] == [1, 2, 3, 4, 5]
    assert log.visible(0.5) == [(0.0, 1, "stdout", "first")]
    limit = process.MAX_LOG_LINES
    process.MAX_LOG_LINES = 4
    try:
        log.write(2.0, "last")
    finally:
        process.MAX_LOG_LINES = limit
    assert [x[3] for x in log.visible(2.0)] == ["b", "c", "after", "last"]
