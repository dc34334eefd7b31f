"""nbgrader end to end on a copy of the course: release every chapter, then autograde a learner
who wrote the solutions and one who handed the release back untouched.

Everything happens in a temporary course directory (notebooks/ and graders/nbgrader_config.py
copied), so nothing nbgrader generates lands in the tree. nbgrader runs in this process through
its Python API with the course's own nbgrader_config.py (what `cd graders && nbgrader
generate_assignment <id> --force` and `nbgrader autograde <id>` do, without paying nbgrader's
start-up once per chapter).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"
SECRETS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS",
           "hidden=True")
SOLVED, UNTOUCHED = "solved", "untouched"


def nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def fill_in(release: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A learner's submission: the release with every answer cell as the source's solution."""
    solutions = {nbg(c)["grade_id"]: c.source for c in source.cells if nbg(c).get("solution")}
    out = nbformat.from_dict(release)
    for cell in out.cells:
        gid = nbg(cell).get("grade_id")
        if nbg(cell).get("solution") and gid in solutions:
            cell.source = solutions[gid]
    return out


@pytest.fixture(scope="session")
def course(tmp_path_factory, timings):
    """Release every chapter, submit two learners per chapter, autograde; the gradebook's scores."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (root / "graders").mkdir()
    shutil.copy(ROOT / "graders" / "nbgrader_config.py", root / "graders" / "nbgrader_config.py")
    os.environ["K8SCOURSE_EXCHANGE"] = str(root / "exchange")
    # nbgrader runs `alembic` (the gradebook's migrations) from PATH: the venv's own
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root / "graders")).load_config()
    assert config.CourseDirectory.root == str(root)
    api = NbGraderAPI(config=config)
    figures = timings.setdefault("nbgrader", {})
    folders = sorted(p.parent.name for p in (root / "notebooks").glob("*/*.ipynb")
                     if p.stem == p.parent.name)
    result: dict[str, dict] = {f: {} for f in folders}

    for folder in folders:
        start = time.perf_counter()
        result[folder]["generate"] = api.generate_assignment(folder, force=True)
        figures[f"generate_assignment {folder}"] = time.perf_counter() - start
        release = root / "graders" / "release" / folder / f"{folder}.ipynb"
        if not release.exists():
            continue
        released = nbformat.read(str(release), as_version=4)
        source = nbformat.read(str(root / "notebooks" / folder / f"{folder}.ipynb"), as_version=4)
        for student, nb in ((SOLVED, fill_in(released, source)), (UNTOUCHED, released)):
            sub = root / "graders" / "submitted" / student / folder
            sub.mkdir(parents=True)
            for extra in release.parent.iterdir():     # files released beside the notebook
                if extra.name != release.name:
                    (shutil.copytree if extra.is_dir() else shutil.copy)(extra, sub / extra.name)
            nbformat.write(nb, str(sub / release.name))
        start = time.perf_counter()
        result[folder]["autograde"] = api.autograde(folder, "*", force=True)
        figures[f"autograde {folder} (2 submissions)"] = time.perf_counter() - start

    with Gradebook(config.CourseDirectory.db_url) as gb:
        for folder in folders:
            for student in (SOLVED, UNTOUCHED):
                try:
                    sub = gb.find_submission_notebook(folder, folder, student)
                except Exception as e:  # MissingEntry: autograde did not record it
                    result[folder][student] = {"missing": repr(e)}
                    continue
                grades = {g.name: (g.score, g.max_score, g.cell_type, g.needs_manual_grade)
                          for g in sub.grades}
                result[folder][student] = {"code_score": sub.code_score,
                                           "max_code_score": sub.max_code_score,
                                           "score": sub.score, "grades": grades}
    result["_root"] = root
    return result


def _log(res: dict) -> str:
    return (res.get("error") or "") + "\n" + (res.get("log") or "")


def test_generate_assignment_builds_the_chapter(chapter, course):
    """`nbgrader generate_assignment` releases the chapter with the course's config."""
    res = course[chapter.folder]["generate"]
    assert res["success"], _log(res)
    assert (course["_root"] / "graders" / "release" / chapter.folder / chapter.path.name).is_file()


def test_release_holds_no_solution_and_no_hidden_test(chapter, course):
    """The released notebook has the stubs in place of answers and no hidden test or solution."""
    release = course["_root"] / "graders" / "release" / chapter.folder / chapter.path.name
    raw = release.read_text()
    for secret in SECRETS:
        assert secret not in raw, f"the release contains {secret!r}"
    nb = nbformat.reads(raw, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    visible = chapter.visible_text()
    for ex in chapter.exercises:
        cell = next(c for c in nb.cells if nbg(c).get("grade_id") == f"{ex.id}-answer")
        assert cell.source == f"%%answer {ex.id}\n{CODE_STUB}"
        test = next(c for c in nb.cells if nbg(c).get("grade_id") == ex.id)
        assert test.source == f'from k8scourse.grading import grade\ngrade("{ex.id}")'
        for line in ex.solution.split("\n"):
            line = line.strip()
            if len(line) >= 12 and line not in visible:
                assert line not in text, f"{ex.id}: solution line {line!r} is in the release"
    manual = [c for c in nb.cells if c.cell_type == "markdown" and nbg(c).get("solution")]
    assert [c.source for c in manual] == [TEXT_STUB]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []


def test_solutions_autograde_to_full_marks(chapter, course):
    """A learner who wrote the solutions gets every autograded point (the question waits for a person)."""
    res = course[chapter.folder]["autograde"]
    assert res["success"], _log(res)
    scores = course[chapter.folder][SOLVED]
    assert "missing" not in scores, scores
    assert scores["max_code_score"] == sum(e.points for e in chapter.exercises)
    assert scores["code_score"] == scores["max_code_score"], scores["grades"]
    manual = [g for g in scores["grades"].values() if g[2] == "markdown"]
    assert len(manual) == 1 and manual[0][3], "the written answer waits for manual grading"


def test_untouched_release_grades_to_zero_without_errors(chapter, course):
    """The release handed back untouched is autograded without a failure and scores 0."""
    res = course[chapter.folder]["autograde"]
    assert res["success"], _log(res)
    assert not re.search(r"\[AutogradeApp \| (ERROR|CRITICAL)\]", res.get("log") or ""), _log(res)
    scores = course[chapter.folder][UNTOUCHED]
    assert "missing" not in scores, scores
    assert scores["code_score"] == 0 and scores["max_code_score"] > 0
    autograded = course["_root"] / "graders" / "autograded" / UNTOUCHED / chapter.folder
    assert (autograded / chapter.path.name).is_file()
