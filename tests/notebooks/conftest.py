"""The chapter notebooks as test data: their cells, exercises, solutions and wrong answers.

Every notebook under notebooks/NN-topic/NN-topic.ipynb is found by globbing, so a chapter is
tested as soon as it exists. Tests receive, through parametrized fixtures:

* `chapter`  one Chapter (a parsed notebook) per notebook;
* `case`     one Exercise (from a notebook: id, points, task text, solution) per graded exercise;
* `wrong`    one (Exercise, WrongAnswer) per entry in tests/notebooks/wrong_answers/chNN.yaml,
             whose format is `chNN-exM: [{answer: "...", problem: "words the message must contain"}]`
             (`hidden: true` on an entry means only the autograder's hidden checks catch it).

Notebook run timings are collected here and printed at the end of the session.

Writing a chapter: tests/notebooks/nbbuild.py lays the cells out exactly as these tests expect
(title, setup cell, exercise task/answer/test cells, the manually graded question). Checks that
chapters share live in the chapter modules: `choice` and `predicted` (hashed choices and predicted
values) in k8scourse/grading/exercises/ch01.py, `cluster_after` (a fresh cluster from a starting
state, after the learner's kubectl commands) in ch02.py; a commands exercise that starts from a
state declares it as `ex.start = ("run web --image=nginx", ...)` and the notebook runs the same
commands as `%kubectl` lines before the task.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
WRONG_DIR = Path(__file__).resolve().parent / "wrong_answers"

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
#: what nbgrader puts in an answer cell it clears (ClearSolutions.code_stub for python)
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"

os.environ.setdefault("K8SCOURSE_LIVE", "0")


@dataclass
class Exercise:
    """One graded exercise as a notebook presents it."""

    id: str
    number: int
    points: int
    task: str                 # the task markdown (heading and text)
    answer_source: str        # the whole answer cell, as written in the source notebook
    solution: str             # the text between the solution markers
    test_source: str
    chapter: "Chapter"

    @property
    def cell_body(self) -> str:
        """What `%%answer` receives when the source notebook's answer cell runs."""
        return self.answer_source.split("\n", 1)[1] if "\n" in self.answer_source else ""

    @property
    def stub_body(self) -> str:
        """What `%%answer` receives from the released (cleared) answer cell."""
        return CODE_STUB


@dataclass
class WrongAnswer:
    answer: str
    problem: str
    hidden: bool = False


@dataclass
class Chapter:
    """A chapter notebook, parsed."""

    path: Path
    nb: nbformat.NotebookNode
    exercises: list[Exercise] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return self.path.parent.name

    @property
    def number(self) -> str:
        return self.folder[:2]

    def nbgrader(self, cell) -> dict:
        return cell.metadata.get("nbgrader", {})

    def visible_text(self) -> str:
        """Everything a learner sees in the released notebook (solutions and hidden tests out)."""
        parts = []
        for cell in self.nb.cells:
            meta = self.nbgrader(cell)
            if meta.get("solution"):
                continue
            parts.append(_strip_region(cell.source, BEGIN_HIDDEN, END_HIDDEN))
        return "\n".join(parts)


def _strip_region(text: str, begin: str, end: str) -> str:
    out, inside = [], False
    for line in text.split("\n"):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def solution_of(source: str) -> str:
    """The text between the solution markers of an answer cell."""
    lines = source.split("\n")
    try:
        a = next(i for i, ln in enumerate(lines) if BEGIN_SOLUTION in ln)
        b = next(i for i, ln in enumerate(lines) if END_SOLUTION in ln)
    except StopIteration:
        return ""
    return "\n".join(lines[a + 1:b])


HEADING = re.compile(r"^## Exercise (\d+) \((\d+) points?\)")


def parse_chapter(path: Path) -> Chapter:
    nb = nbformat.read(str(path), as_version=4)
    chapter = Chapter(path, nb)
    cells = nb.cells
    for i, cell in enumerate(cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        m = re.search(r'grade\("(ch\d\d-ex(\d+))"\)', cell.source)
        if not m:
            continue
        ex_id = m.group(1)
        answer = next((c for c in reversed(cells[:i]) if c.cell_type == "code"
                       and c.source.startswith(f"%%answer {ex_id}")), None)
        task = next((c for c in reversed(cells[:i]) if c.cell_type == "markdown"
                     and HEADING.match(c.source)), None)
        answer_source = answer.source if answer is not None else ""
        chapter.exercises.append(Exercise(
            id=ex_id, number=int(m.group(2)), points=meta.get("points", 0),
            task=task.source if task is not None else "", answer_source=answer_source,
            solution=solution_of(answer_source), test_source=cell.source, chapter=chapter))
    return chapter


def notebook_paths() -> list[Path]:
    return sorted(p for p in NOTEBOOK_DIR.glob("*/*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and p.stem == p.parent.name)


CHAPTERS = [parse_chapter(p) for p in notebook_paths()]


def load_wrong_answers() -> dict[str, list[WrongAnswer]]:
    out: dict[str, list[WrongAnswer]] = {}
    for f in sorted(WRONG_DIR.glob("ch*.yaml")):
        data = yaml.safe_load(f.read_text()) or {}
        for ex_id, entries in data.items():
            for e in entries or []:
                out.setdefault(ex_id, []).append(
                    WrongAnswer(str(e["answer"]), str(e["problem"]), bool(e.get("hidden", False))))
    return out


WRONG = load_wrong_answers()


def all_exercises() -> list[Exercise]:
    return [ex for ch in CHAPTERS for ex in ch.exercises]


def pytest_generate_tests(metafunc):
    if "chapter" in metafunc.fixturenames:
        metafunc.parametrize("chapter", CHAPTERS, ids=[c.folder for c in CHAPTERS])
    if "case" in metafunc.fixturenames:
        exs = all_exercises()
        metafunc.parametrize("case", exs, ids=[e.id for e in exs])
    if "wrong" in metafunc.fixturenames:
        by_id = {e.id: e for e in all_exercises()}
        pairs, ids = [], []
        for ex_id, entries in WRONG.items():
            for i, w in enumerate(entries):
                pairs.append((by_id.get(ex_id), ex_id, w))
                ids.append(f"{ex_id}-w{i + 1}")
        metafunc.parametrize("wrong", pairs, ids=ids)


@pytest.fixture(scope="session")
def wrong_answers() -> dict[str, list[WrongAnswer]]:
    return WRONG


# --- timings ---------------------------------------------------------------------------------

#: measured figures by section ("nbclient", "nbgrader"), printed at the end, never asserted
TIMINGS: dict[str, dict[str, float]] = {}


def pytest_terminal_summary(terminalreporter):
    tr = terminalreporter
    for section, figures in TIMINGS.items():
        tr.write_sep("-", f"{section} timings (measured, not asserted)")
        for name, secs in sorted(figures.items()):
            tr.write_line(f"{name:<44} {secs:6.2f} s")
        tr.write_line(f"{'total':<44} {sum(figures.values()):6.2f} s")


@pytest.fixture(scope="session")
def timings() -> dict[str, dict[str, float]]:
    return TIMINGS
