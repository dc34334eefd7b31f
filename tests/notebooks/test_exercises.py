"""Every exercise: its solution passes, the empty answer and plausible wrong answers lose the
points, and no self-check message gives the expected answer away."""

from __future__ import annotations

import re

import pytest

from k8scourse import grading
from k8scourse.grading.core import Answer

LOOKS_RIGHT = "Looks right."
NO_ANSWER = "There is no answer yet"


def self_check(capsys, ex_id: str, text: str) -> tuple[bool, str]:
    """What `%%answer` prints for `text` (the learner's self-check), and whether it passed."""
    capsys.readouterr()
    ok = grading.check(ex_id, text)
    return ok, capsys.readouterr().out


def graded(ex_id: str, text: str) -> str | None:
    """The autograder's verdict with the hidden checks: None for full points, else its message."""
    try:
        grading.grade(ex_id, text, hidden=True)
    except AssertionError as e:
        return str(e)
    return None


def distinctive_values(case, wrong_text: str) -> list[str]:
    """What a self-check must never print for this wrong answer: for a predicted value or a
    choice, the expected value; otherwise the solution's values that the wrong answer lacks and
    that the learner cannot already read in the notebook."""
    ex = grading.get(case.id)
    solution = Answer(ex, case.solution)
    if ex.kind in ("predict", "concept"):
        return [solution.value]
    seen = (case.chapter.visible_text() + "\n" + wrong_text).lower()
    if ex.kind == "commands":
        words = set()
        for line in solution.commands():
            for token in re.split(r"[\s=,]+", line):
                token = token.strip("'\"")
                if token and not token.startswith("-"):
                    words.add(token)
    else:
        words = set()
        try:
            for obj in solution.objects():
                words |= set(_leaves(obj))
        except grading.AnswerError:
            words = set()
    return sorted(w for w in words if len(w) >= 3 and w.lower() not in seen)


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def reveals(message: str, value: str) -> bool:
    """Whether `message` contains `value` as a word of its own (a choice letter as a choice)."""
    msg = message.lower()
    value = value.lower()
    if re.fullmatch(r"[a-e]", value):
        return bool(re.search(rf"(\({value}\)|\b{value}\)|\b(option|choice|answer|letter)\s+{value}\b"
                              rf"|^{value}\b|\b{value}\.$)", msg))
    return bool(re.search(rf"(?<![\w.-]){re.escape(value)}(?![\w-])", msg))


# --- solutions -----------------------------------------------------------------------------------

def test_solution_gets_full_points(case, capsys):
    """The notebook's solution passes the self-check and every hidden check."""
    assert case.solution.strip(), f"{case.id} has no solution text"
    ok, out = self_check(capsys, case.id, case.cell_body)
    assert ok and LOOKS_RIGHT in out, out
    assert graded(case.id, case.cell_body) is None
    assert graded(case.id, case.solution) is None


def test_the_released_stub_is_no_answer_and_no_points(case, capsys):
    """The answer cell as nbgrader releases it says there is no answer yet and grades to zero."""
    ok, out = self_check(capsys, case.id, case.stub_body)
    assert not ok and NO_ANSWER in out and case.id in out
    assert graded(case.id, case.stub_body) is not None
    assert graded(case.id, "") is not None


def test_every_exercise_has_a_wrong_answer_the_self_check_names(case, wrong_answers):
    """Each exercise keeps at least one plausible wrong answer that the self-check catches."""
    entries = wrong_answers.get(case.id, [])
    assert any(not w.hidden for w in entries), f"add a wrong answer for {case.id} to wrong_answers/"


def test_answers_with_more_to_check_have_hidden_checks(case):
    """Manifests, fixes and command answers keep checks for the autograder alone (hidden tests)."""
    ex = grading.get(case.id)
    if ex.kind in ("manifest", "fix", "commands"):
        assert any(spec.hidden for spec in ex.checks), f"{case.id} has no hidden check"


# --- wrong answers -------------------------------------------------------------------------------

def test_wrong_answer_loses_the_points_and_is_named(wrong, capsys):
    """A plausible wrong answer fails grading, and its self-check names the problem."""
    case, ex_id, w = wrong
    assert case is not None, f"{ex_id} in wrong_answers/ is not an exercise of any notebook"
    verdict = graded(ex_id, w.answer)
    assert verdict is not None, f"{ex_id}: this wrong answer gets full points:\n{w.answer}"
    ok, out = self_check(capsys, ex_id, w.answer)
    if w.hidden:
        assert w.problem.lower() in verdict.lower(), verdict
    else:
        assert not ok, f"{ex_id}: the self-check passes this wrong answer:\n{w.answer}"
        assert w.problem.lower() in out.lower(), out


def test_wrong_answer_message_does_not_give_the_answer_away(wrong, capsys):
    """No self-check (or grading) message for a wrong answer contains the expected value."""
    case, ex_id, w = wrong
    assert case is not None
    _, out = self_check(capsys, ex_id, w.answer)
    verdict = graded(ex_id, w.answer) or ""
    for value in distinctive_values(case, w.answer):
        assert not reveals(out, value), f"{ex_id}: the self-check reveals {value!r}: {out}"
        assert not reveals(verdict, value), f"{ex_id}: the grader reveals {value!r}: {verdict}"
