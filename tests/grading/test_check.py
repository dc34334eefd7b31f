"""The learner's self-check: what `check()` prints."""

import pytest

import k8scourse.grading as grading


@pytest.fixture
def exercises():
    made = []

    def make(id, hidden_checks):
        ex = grading.exercise(id, 1, "concept", "a test exercise")
        ex.check(lambda a: None if a.text.strip() == "yes" else "Answer yes.")
        for _ in range(hidden_checks):
            ex.check(lambda a: None, hidden=True)
        made.append(id)
        return ex

    yield make
    for id in made:
        grading.EXERCISES.pop(id, None)


def test_looks_right_mentions_more_checks_only_when_there_are_hidden_ones(exercises, capsys):
    """The "(The autograder runs a few more checks ...)" line appears only for exercises with hidden checks."""
    exercises("zz99-ex1", hidden_checks=0)
    exercises("zz99-ex2", hidden_checks=1)
    assert grading.check("zz99-ex1", "yes") is True
    assert capsys.readouterr().out == "Looks right.\n"
    assert grading.check("zz99-ex2", "yes") is True
    assert capsys.readouterr().out == "Looks right. (The autograder runs a few more checks when you submit.)\n"
    assert grading.check("zz99-ex2", "no") is False
    assert capsys.readouterr().out == "Not yet: Answer yes.\n"
