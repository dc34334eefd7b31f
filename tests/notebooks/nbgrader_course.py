"""Release, submit and autograde chapters in a course copy: one worker of test_nbgrader.py.

    python nbgrader_course.py COURSE_ROOT WORKER_ID FOLDER [FOLDER ...]

COURSE_ROOT holds notebooks/ and graders/nbgrader_config.py (a copy of the repository's). For
each chapter folder this runs what `cd graders && nbgrader generate_assignment <id> --force` and
`nbgrader autograde <id>` do, through nbgrader's Python API with that config, for two learners:
`solved` (the release with the source's solutions written into its answer cells) and `untouched`
(the release handed back as it is). Each worker keeps its own gradebook (nbgrader does not
support parallel runs on one SQLite file), so several workers can share the course copy. It
prints one JSON line per chapter: the API's results, the scores read back from the gradebook and
the measured seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

SOLVED, UNTOUCHED = "solved", "untouched"


def nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def fill_in(release, source):
    """A learner's submission: the release with every answer cell as the source's solution."""
    import nbformat

    solutions = {nbg(c)["grade_id"]: c.source for c in source.cells if nbg(c).get("solution")}
    out = nbformat.from_dict(release)
    for cell in out.cells:
        gid = nbg(cell).get("grade_id")
        if nbg(cell).get("solution") and gid in solutions:
            cell.source = solutions[gid]
    return out


def main(root: Path, worker: str, folders: list[str]) -> None:
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    # A new gradebook records the newest migration, which nbgrader asks a `alembic heads`
    # subprocess for (seconds on a busy machine); read the same head from its scripts in-process.
    import nbgrader.api
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(Path(nbgrader.api.__file__).parent / "alembic")).get_current_head()
    nbgrader.api.get_alembic_version = lambda: head
    bindir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    os.environ["K8SCOURSE_EXCHANGE"] = str(root / "exchange")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root / "graders")).load_config()
    assert config.CourseDirectory.root == str(root), config.CourseDirectory.root
    config.CourseDirectory.db_url = f"sqlite:///{root / 'graders' / f'gradebook-{worker}.db'}"
    api = NbGraderAPI(config=config)

    for folder in folders:
        out: dict = {"folder": folder, "seconds": {}}
        start = time.perf_counter()
        out["generate"] = api.generate_assignment(folder, force=True)
        out["seconds"]["generate_assignment"] = time.perf_counter() - start
        release = root / "graders" / "release" / folder / f"{folder}.ipynb"
        if release.exists():
            released = nbformat.read(str(release), as_version=4)
            source = nbformat.read(str(root / "notebooks" / folder / f"{folder}.ipynb"), as_version=4)
            for student, nb in ((SOLVED, fill_in(released, source)), (UNTOUCHED, released)):
                sub = root / "graders" / "submitted" / student / folder
                sub.mkdir(parents=True, exist_ok=True)
                for extra in release.parent.iterdir():     # files released beside the notebook
                    if extra.name != release.name:
                        (shutil.copytree if extra.is_dir() else shutil.copy)(extra, sub / extra.name)
                nbformat.write(nb, str(sub / release.name))
            start = time.perf_counter()
            out["autograde"] = api.autograde(folder, "*", force=True)
            out["seconds"]["autograde (2 submissions)"] = time.perf_counter() - start
            with Gradebook(config.CourseDirectory.db_url) as gb:
                for student in (SOLVED, UNTOUCHED):
                    try:
                        sub = gb.find_submission_notebook(folder, folder, student)
                    except Exception as e:  # MissingEntry: autograde did not record it
                        out[student] = {"missing": repr(e)}
                        continue
                    out[student] = {
                        "code_score": sub.code_score, "max_code_score": sub.max_code_score,
                        "score": sub.score,
                        "grades": {g.name: [g.score, g.max_score, g.cell_type, g.needs_manual_grade]
                                   for g in sub.grades}}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:])
