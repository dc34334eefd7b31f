"""Checks for the course's exercises: the learner's self-check and the autograder's tests.

In a chapter notebook:

    %%answer ch06-ex3          <- the answer cell: the manifest, commands, value or choice
    apiVersion: apps/v1
    ...

    check("ch06-ex3")           <- self-check: says what is wrong, never the answer

    grade("ch06-ex3")           <- nbgrader test cell: raises AssertionError with the same message
    grade("ch06-ex3", hidden=True)   (inside the hidden-tests block: every check)

Answers are kept by exercise id in this kernel (`answers`); `grade(id, text=...)` grades any text,
which is how graders grade a submission outside the learner's kernel.
"""

from __future__ import annotations

from k8scourse.grading.core import Answer, AnswerError, Exercise, Problem, answer_hash

__all__ = ["answers", "check", "grade", "exercise", "get", "Exercise", "Answer", "AnswerError",
           "Problem", "answer_hash", "EXERCISES"]

#: The answers given in this kernel, by exercise id (the last run of each `%%answer` cell).
answers: dict[str, str] = {}
EXERCISES: dict[str, Exercise] = {}


def exercise(id: str, points: int, kind: str, title: str = "") -> Exercise:
    """Declare an exercise (in k8scourse/grading/exercises/chNN.py)."""
    ex = Exercise(id, points, kind, title)
    EXERCISES[id] = ex
    return ex


def get(id: str) -> Exercise:
    """The exercise with this id (loading its chapter's module on first use)."""
    if id not in EXERCISES:
        chapter = id.split("-", 1)[0]
        import importlib

        try:
            importlib.import_module(f"k8scourse.grading.exercises.{chapter}")
        except ImportError:
            pass
    if id not in EXERCISES:
        raise KeyError(f"no exercise {id!r} in this course")
    return EXERCISES[id]


def _text(id: str, text: str | None) -> str | None:
    return answers.get(id) if text is None else text


def check(id: str, text: str | None = None) -> bool:
    """The learner's self-check: prints what is wrong (or that it looks right); never the answer."""
    ex = get(id)
    problems = ex.problems(_text(id, text), hidden=False)
    if problems:
        print("Not yet: " + problems[0])
        return False
    if any(spec.hidden for spec in ex.checks):
        print("Looks right. (The autograder runs a few more checks when you submit.)")
    else:
        print("Looks right.")
    return True


def grade(id: str, text: str | None = None, *, hidden: bool = False) -> None:
    """The autograder's test: AssertionError with the problem when the answer does not hold."""
    problems = get(id).problems(_text(id, text), hidden=hidden)
    if problems:
        raise AssertionError(problems[0])
