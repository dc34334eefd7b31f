"""nbgrader end to end on a copy of the course: release every chapter, then autograde a learner
who wrote the solutions and one who handed the release back untouched.

Everything happens in a temporary course directory (notebooks/ and graders/nbgrader_config.py
copied), so nothing nbgrader generates lands in the tree. nbgrader_course.py does the work with
nbgrader's Python API and the course's own nbgrader_config.py (what `cd graders && nbgrader
generate_assignment <id> --force` and `nbgrader autograde <id>` do), in a few parallel worker
processes, each paying nbgrader's start-up once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "nbgrader_course.py"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"
SECRETS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS",
           "hidden=True")
SOLVED, UNTOUCHED = "solved", "untouched"


def nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


#: parallel nbgrader workers (each with its own gradebook); the notes measured x1.46 for 2 on 2 cores
WORKERS = max(1, min(2, os.cpu_count() or 1))


@pytest.fixture(scope="session")
def course(tmp_path_factory, timings):
    """Copy the course, release every chapter, submit two learners per chapter and autograde,
    in WORKERS parallel processes; their results by chapter folder (and the course root)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (root / "graders").mkdir()
    shutil.copy(ROOT / "graders" / "nbgrader_config.py", root / "graders" / "nbgrader_config.py")
    folders = sorted(p.parent.name for p in (root / "notebooks").glob("*/*.ipynb")
                     if p.stem == p.parent.name)
    shards = [folders[i::WORKERS] for i in range(WORKERS)]
    env = dict(os.environ, K8SCOURSE_LIVE="0")
    # each worker writes to files, not pipes: a full pipe would stall it until it is read
    procs = []
    for i, shard in enumerate(s for s in shards if s):
        out, err = root / f"worker{i}.out", root / f"worker{i}.err"
        with open(out, "w") as fout, open(err, "w") as ferr:
            procs.append((subprocess.Popen([sys.executable, str(DRIVER), str(root), f"w{i}", *shard],
                                           stdout=fout, stderr=ferr, text=True, env=env), out, err))
    result: dict = {f: {} for f in folders}
    figures = timings.setdefault("nbgrader", {})
    for proc, out, err in procs:
        proc.wait(timeout=900)
        assert proc.returncode == 0, err.read_text()[-3000:]
        for line in out.read_text().splitlines():
            if line.startswith("{"):
                data = json.loads(line)
                result[data["folder"]] = data
                for what, secs in data["seconds"].items():
                    figures[f"{what} {data['folder']}"] = secs
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
    assert not re.search(r"^\[(ERROR|CRITICAL)\]", res.get("log") or "", re.M), _log(res)
    scores = course[chapter.folder][UNTOUCHED]
    assert "missing" not in scores, scores
    assert scores["code_score"] == 0 and scores["max_code_score"] > 0
    autograded = course["_root"] / "graders" / "autograded" / UNTOUCHED / chapter.folder
    assert (autograded / chapter.path.name).is_file()


def test_the_documented_command_releases_a_chapter(tmp_path):
    """`cd graders && nbgrader generate_assignment <id> --force` works with the course's config."""
    folder = sorted(p.parent.name for p in (ROOT / "notebooks").glob("*/*.ipynb")
                    if p.stem == p.parent.name)[0]
    shutil.copytree(ROOT / "notebooks" / folder, tmp_path / "notebooks" / folder,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (tmp_path / "graders").mkdir()
    shutil.copy(ROOT / "graders" / "nbgrader_config.py", tmp_path / "graders")
    bindir = Path(sys.executable).parent
    env = dict(os.environ, K8SCOURSE_EXCHANGE=str(tmp_path / "exchange"),
               PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([str(bindir / "nbgrader"), "generate_assignment", folder, "--force"],
                          cwd=tmp_path / "graders", env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    release = tmp_path / "graders" / "release" / folder / f"{folder}.ipynb"
    assert release.is_file() and "### BEGIN SOLUTION" not in release.read_text()
