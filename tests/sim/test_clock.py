from k8scourse.sim.clock import CONTROLLER, KUBELET, SCHEDULER, Clock


def test_callbacks_run_in_time_then_priority_then_insertion_order():
    """Within one instant, lower priorities run first, and equal ones in the order scheduled."""
    clock, seen = Clock(), []
    clock.call_at(2.0, lambda: seen.append("late"))
    clock.call_at(1.0, lambda: seen.append("kubelet"), KUBELET)
    clock.call_at(1.0, lambda: seen.append("controller-a"), CONTROLLER)
    clock.call_at(1.0, lambda: seen.append("scheduler"), SCHEDULER)
    clock.call_at(1.0, lambda: seen.append("controller-b"), CONTROLLER)
    clock.run(until=5.0)
    assert seen == ["controller-a", "controller-b", "scheduler", "kubelet", "late"]
    assert clock.now == 5.0


def test_run_stops_at_until_and_leaves_later_work():
    """run(until) does what is due by then and nothing later."""
    clock, seen = Clock(), []
    clock.call_at(3.0, lambda: seen.append(3))
    clock.call_at(7.0, lambda: seen.append(7))
    clock.run(until=5.0)
    assert seen == [3] and clock.now == 5.0 and clock.has_work()


def test_a_callback_scheduled_for_now_runs_in_the_same_run():
    """Work that schedules more work for the same instant is finished within one run."""
    clock, seen = Clock(), []
    clock.call_at(1.0, lambda: clock.call_later(0, lambda: seen.append("chained")))
    clock.run(until=1.0)
    assert seen == ["chained"]


def test_cancelled_and_periodic_timers_are_not_work():
    """has_work ignores cancelled timers and periodic housekeeping."""
    clock = Clock()
    t = clock.call_later(5, lambda: None)
    clock.call_later(10, lambda: None, periodic=True)
    assert clock.has_work()
    t.cancel()
    assert not clock.has_work()
    assert clock.next_time() == 10


def test_the_past_is_never_scheduled():
    """A callback asked for the past runs now, not back in time."""
    clock = Clock()
    clock.run(until=10)
    t = clock.call_at(3, lambda: None)
    assert t.when == 10


def test_timestamps_are_rfc3339_from_the_fixed_epoch():
    """creationTimestamp-style stamps are whole seconds from 2025-01-01T00:00:00Z."""
    clock = Clock()
    clock.run(until=65.7)
    assert clock.timestamp() == "2025-01-01T00:01:05Z"
    assert clock.parse("2025-01-01T00:01:05Z") == 65.0


def test_clock_raises_default_gc_thresholds_but_keeps_a_users_choice():
    """A new Clock lifts CPython's default collector thresholds; thresholds someone set stay."""
    import gc

    from k8scourse.sim.clock import Clock
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        Clock()
        assert gc.get_threshold() == (1_000, 5, 4_000)
        assert gc.isenabled()
        gc.set_threshold(1234, 5, 6)
        Clock()
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        gc.set_threshold(*saved)


def test_fired_and_cancelled_timers_let_go_of_their_callbacks():
    """A timer that ran or was cancelled no longer holds its callback (nor what it closes over)."""
    from k8scourse.sim.clock import Clock
    clock = Clock()
    ran = []
    fired = clock.call_later(1.0, lambda: ran.append(1))
    cancelled = clock.call_later(2.0, lambda: ran.append(2))
    cancelled.cancel()
    clock.run(5.0)
    assert ran == [1]
    assert fired.done and fired.callback is None
    assert cancelled.callback is None


def test_step_by_runs_one_due_callback_and_never_one_past_the_deadline():
    clock, seen = Clock(), []
    dropped = clock.call_at(1.0, lambda: seen.append("cancelled"))
    clock.call_at(2.0, lambda: seen.append(2))
    clock.call_at(4.0, lambda: seen.append(4))
    dropped.cancel()
    assert clock.step_by(3.0) and seen == [2] and clock.now == 2.0
    assert not clock.step_by(3.0) and seen == [2] and clock.now == 2.0
    assert clock.step_by(4.0) and seen == [2, 4]
    assert not clock.step_by(100.0)


def test_a_timer_passes_its_arguments():
    clock, seen = Clock(), []
    t = clock.call_later(1, lambda *a: seen.append(a), args=("x", 2))
    clock.run(until=1)
    assert seen == [("x", 2)] and t.args == ()


def test_firing_order_is_time_then_priority_then_insertion_under_random_schedules():
    """Timers that share instants, cancellations and callbacks scheduling more for "now": the
    clock fires exactly in the order a single sorted list of (time, priority, seq) gives."""
    import random

    rng = random.Random(3)
    clock, fired, pending, seq = Clock(), [], [], [0]

    def add(when, prio):
        seq[0] += 1
        ident = seq[0]
        entry = [max(when, clock.now), prio, ident, True]

        def cb():
            fired.append(ident)
            entry[3] = False
            if rng.random() < 0.3:  # more work for the same instant, or a little later
                add(clock.now + rng.choice((0, 0, 0.5)), rng.choice((0, 10, 20, 30, 40)))
        pending.append(entry)
        return entry, clock.call_at(when, cb, prio)

    timers = [add(rng.choice((1.0, 1.0, 2.0, 2.5, 3.0)), rng.choice((0, 10, 20, 30, 40)))
              for _ in range(300)]
    for entry, t in rng.sample(timers, 40):
        t.cancel()
        entry[3] = False
    expected = []
    while True:
        live = sorted(e for e in pending if e[3])
        if not live:
            break
        nxt = live[0]
        assert clock.next_time() == nxt[0]
        assert clock.step()
        expected.append(nxt[2])
    assert fired == expected and len(fired) > 260
    assert clock.next_time() is None and not clock.step()
