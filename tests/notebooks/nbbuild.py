"""Build a chapter notebook with the course's exact nbgrader cell layout (an authoring helper).

The .ipynb files under notebooks/ are the sources; this module only saves typing the metadata by
hand and is what the layout checks in test_notebooks.py expect:

    nb = ChapterNotebook("04-yaml", "Chapter 4: YAML", intro="...", seed=4)
    nb.md("A dictionary keeps properties of one thing.")
    nb.code("%kubectl get nodes")
    nb.exercise(1, points=2, task="Write ...", solution="Car:\\n  Color: Blue")
    nb.manual(points=2, question="Why ...?", answer="Because ...")
    nb.write()                                   # notebooks/04-yaml/04-yaml.ipynb, without outputs

An exercise is three cells: the task (markdown, locked), the answer cell (`%%answer chNN-exM`
and the solution between `### BEGIN SOLUTION` / `### END SOLUTION`), and the test cell (locked,
graded, calls `grade` and, inside the hidden-tests block, `grade(..., hidden=True)`).
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import nbformat

ROOT = Path(__file__).resolve().parents[2]

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def test_cell_source(exercise_id: str) -> str:
    """The exact source of an exercise's test cell."""
    return (f'from k8scourse.grading import grade\n'
            f'grade("{exercise_id}")\n'
            f'### BEGIN HIDDEN TESTS\n'
            f'grade("{exercise_id}", hidden=True)\n'
            f'### END HIDDEN TESTS')


def setup_source(seed: int, preset: str = "kubeadm", extra: str = "") -> str:
    """The setup cell that opens every chapter: the magics and this chapter's cluster."""
    cluster = {"kubeadm": f"Cluster.kubeadm(workers=2, seed={seed})",
               "minikube": f"Cluster.minikube(seed={seed})"}.get(preset, preset)
    src = ("%load_ext k8scourse\n"
           "from k8scourse import Cluster, session\n"
           f"cluster = session.use({cluster}).cluster")
    return src + ("\n" + extra.strip() if extra.strip() else "")


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: int | None = None) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _clean(text: str) -> str:
    return dedent(text).strip("\n")


class ChapterNotebook:
    """A chapter notebook being written, cell by cell."""

    def __init__(self, folder: str, title: str, intro: str, *, seed: int, preset: str = "kubeadm",
                 setup_extra: str = ""):
        self.folder = folder
        self.chapter = folder[:2]
        self.cells: list = []
        self._n = 0
        self.md(f"# {title}\n\n{_clean(intro)}", grade_id=f"ch{self.chapter}-intro")
        self.code(setup_source(seed, preset, setup_extra), grade_id=f"ch{self.chapter}-setup")

    def _id(self) -> str:
        self._n += 1
        return f"ch{self.chapter}-c{self._n:03d}"

    def md(self, text: str, *, grade_id: str | None = None) -> None:
        """A narrative markdown cell (locked when given a grade_id)."""
        cell = nbformat.v4.new_markdown_cell(_clean(text))
        cell.id = grade_id or self._id()
        if grade_id:
            cell.metadata.update(_meta(grade_id, locked=True))
        self.cells.append(cell)

    def code(self, source: str, *, grade_id: str | None = None) -> None:
        """A code cell the learner runs (locked when given a grade_id)."""
        cell = nbformat.v4.new_code_cell(_clean(source))
        cell.id = grade_id or self._id()
        if grade_id:
            cell.metadata.update(_meta(grade_id, locked=True))
        self.cells.append(cell)

    def exercise(self, number: int, *, points: int, task: str, solution: str, intro: str = "") -> str:
        """The three cells of an autograded exercise; returns its id."""
        ex_id = f"ch{self.chapter}-ex{number}"
        plural = "point" if points == 1 else "points"
        head = f"## Exercise {number} ({points} {plural})\n\n{_clean(task)}"
        self.md(head, grade_id=f"{ex_id}-task")
        answer = nbformat.v4.new_code_cell(
            f"%%answer {ex_id}\n### BEGIN SOLUTION\n{_clean(solution)}\n### END SOLUTION")
        answer.id = f"{ex_id}-answer"
        answer.metadata.update(_meta(f"{ex_id}-answer", solution=True))
        self.cells.append(answer)
        test = nbformat.v4.new_code_cell(test_cell_source(ex_id))
        test.id = ex_id
        test.metadata.update(_meta(ex_id, grade=True, locked=True, points=points))
        self.cells.append(test)
        return ex_id

    def manual(self, *, points: int, question: str, answer: str) -> None:
        """A question answered in words and graded by a person (nbgrader manual grading)."""
        q_id = f"ch{self.chapter}-manual"
        plural = "point" if points == 1 else "points"
        self.md(f"## In your own words ({points} {plural}, graded by a person)\n\n{_clean(question)}",
                grade_id=f"{q_id}-task")
        cell = nbformat.v4.new_markdown_cell(_clean(answer))
        cell.id = q_id
        cell.metadata.update(_meta(q_id, grade=True, solution=True, points=points))
        self.cells.append(cell)

    def notebook(self) -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook()
        nb.cells = self.cells
        nb.metadata = {"kernelspec": dict(KERNELSPEC),
                       "language_info": {"name": "python"}}
        nbformat.validate(nb)
        return nb

    def write(self, root: Path = ROOT) -> Path:
        """Save notebooks/<folder>/<folder>.ipynb (no outputs, no execution counts)."""
        path = root / "notebooks" / self.folder / f"{self.folder}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(self.notebook(), str(path))
        return path
