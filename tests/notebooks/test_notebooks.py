"""Every chapter notebook: the course's cell layout, and a clean run top to bottom with its solutions."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from k8scourse import grading

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
HEADING = re.compile(r"^## Exercise (\d+) \((\d+) points?\)\n\n\S")
SETUP_LINES = ("%load_ext k8scourse", "from k8scourse import Cluster, session",
               "cluster = session.use(Cluster.")
NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
KINDS = {"manifest", "commands", "predict", "fix", "concept"}


def expected_test_source(ex_id: str) -> str:
    return (f'from k8scourse.grading import grade\ngrade("{ex_id}")\n### BEGIN HIDDEN TESTS\n'
            f'grade("{ex_id}", hidden=True)\n### END HIDDEN TESTS')


def nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


FOLDERS = ["01-containers", "02-architecture", "03-setup", "04-yaml", "05-pods", "06-replicasets",
           "07-deployments", "08-networking", "09-services", "10-microservices"]


def test_chapter_folders_are_the_courses():
    """Every folder under notebooks/ is one of the ten chapters, holding NN-topic/NN-topic.ipynb."""
    folders = sorted(p.name for p in NOTEBOOK_DIR.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert folders and set(folders) <= set(FOLDERS)
    for f in folders:
        assert (NOTEBOOK_DIR / f / f"{f}.ipynb").is_file()


def test_is_a_python3_nbformat4_notebook_without_outputs(chapter):
    """The source notebook is nbformat 4 for the python3 kernel, committed without outputs."""
    nb = chapter.nb
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert re.fullmatch(r"\d\d-[a-z]+", chapter.folder)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs"
            assert cell.execution_count is None, f"cell {i} has an execution count"


def test_opens_with_a_title_and_the_setup_cell(chapter):
    """The first cells are a title with what the learner will do, then the magics and the cluster."""
    first, second = chapter.nb.cells[0], chapter.nb.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith(f"# Chapter {int(chapter.number)}")
    assert len(first.source.split("\n\n", 1)) == 2, "the title needs a few sentences after it"
    assert second.cell_type == "code"
    lines = second.source.split("\n")
    for want, got in zip(SETUP_LINES, lines):
        assert got.startswith(want), f"setup cell line {got!r} should start with {want!r}"


def test_every_exercise_has_task_answer_and_test_cells(chapter):
    """Each exercise is a locked task heading, an %%answer solution cell and a locked graded test."""
    cells = chapter.nb.cells
    found = 0
    for i, cell in enumerate(cells):
        m = HEADING.match(cell.source) if cell.cell_type == "markdown" else None
        if not m:
            continue
        found += 1
        number, points = int(m.group(1)), int(m.group(2))
        ex_id = f"ch{chapter.number}-ex{number}"
        task, answer, test = cells[i], cells[i + 1], cells[i + 2]
        assert nbg(task) == {"grade": False, "solution": False, "locked": True,
                             "grade_id": f"{ex_id}-task", "schema_version": 3, "task": False}
        assert answer.cell_type == "code"
        assert answer.source.split("\n")[0] == f"%%answer {ex_id}"
        assert answer.source.split("\n")[1] == BEGIN_SOLUTION
        assert answer.source.split("\n")[-1] == END_SOLUTION
        assert answer.source.count(BEGIN_SOLUTION) == 1
        assert nbg(answer) == {"grade": False, "solution": True, "locked": False,
                               "grade_id": f"{ex_id}-answer", "schema_version": 3, "task": False}
        assert test.cell_type == "code" and test.source == expected_test_source(ex_id)
        assert nbg(test) == {"grade": True, "solution": False, "locked": True, "points": points,
                             "grade_id": ex_id, "schema_version": 3, "task": False}
    assert found == len(chapter.exercises)
    assert [e.number for e in chapter.exercises] == list(range(1, found + 1))


def test_has_at_least_five_exercises_of_mixed_kinds(chapter):
    """A chapter grades at least five exercises, of at least three kinds, declared in its module."""
    assert len(chapter.exercises) >= 5
    kinds = set()
    for ex in chapter.exercises:
        declared = grading.get(ex.id)
        assert declared.points == ex.points, f"{ex.id}: module and notebook disagree on points"
        assert declared.kind in KINDS
        kinds.add(declared.kind)
    assert len(kinds) >= 3, f"only {sorted(kinds)}"
    module_ids = {i for i in grading.EXERCISES if i.startswith(f"ch{chapter.number}-")}
    assert module_ids == {e.id for e in chapter.exercises}


def test_has_one_question_graded_by_a_person(chapter):
    """One markdown answer cell is graded manually, after a locked question."""
    manual = [(i, c) for i, c in enumerate(chapter.nb.cells)
              if c.cell_type == "markdown" and nbg(c).get("grade") and nbg(c).get("solution")]
    assert len(manual) == 1
    i, cell = manual[0]
    assert nbg(cell)["points"] > 0 and not nbg(cell)["locked"]
    question = chapter.nb.cells[i - 1]
    assert question.cell_type == "markdown" and nbg(question).get("locked")
    assert cell.source.strip(), "the source keeps a model answer for graders"


def test_grade_ids_are_unique(chapter):
    """nbgrader needs a unique grade_id for every cell it tracks."""
    ids = [nbg(c)["grade_id"] for c in chapter.nb.cells if nbg(c)]
    assert len(ids) == len(set(ids))
    assert all(nbg(c).get("schema_version") == 3 for c in chapter.nb.cells if nbg(c))


def _sentences(markdown: str) -> int:
    prose, fence = [], False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fence = not fence
            continue
        if fence or line.startswith(("#", "*", "-", "|", ">", " ")) or re.match(r"\d+\.|[a-e]\. ", line):
            continue
        prose.append(line)
    text = re.sub(r"`[^`]*`", "X", " ".join(prose))
    text = re.sub(r"\b(e\.g|i\.e|etc|vs)\.", "X", text)
    return len(re.findall(r"[.!?](?=\s|$)", text))


def test_narrative_cells_are_short(chapter):
    """Narrative markdown has at most 3 sentences; plain code cells at most 5 lines."""
    for i, cell in enumerate(chapter.nb.cells):
        meta = nbg(cell)
        if meta or "## Recap" in cell.source:   # laid out on their own
            continue
        if cell.cell_type == "markdown":
            assert _sentences(cell.source) <= 3, f"cell {i} is long: {cell.source[:60]!r}"
        elif not cell.source.startswith("%%"):
            assert len(cell.source.split("\n")) <= 5, f"cell {i} has more than 5 lines"


def test_every_figure_is_introduced_by_a_sentence(chapter):
    """A cell that draws a picture follows a markdown cell that says what to look at."""
    cells = chapter.nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and re.search(r"\bdraw_\w+\(|_explorer\(", cell.source):
            assert cells[i - 1].cell_type == "markdown", f"cell {i} draws without an introduction"


def test_ends_with_a_recap_and_what_comes_next(chapter):
    """The last cell recaps the chapter and says what comes next."""
    last = chapter.nb.cells[-1]
    assert last.cell_type == "markdown" and "## Recap" in last.source
    assert "Next" in last.source or "next" in last.source


def test_runs_top_to_bottom_with_its_solutions(chapter, tmp_path, timings):
    """The source notebook runs without an error, and every solution passes its own self-check."""
    from nbclient import NotebookClient

    work = tmp_path / chapter.folder
    shutil.copytree(chapter.path.parent, work)
    nb = nbformat.read(str(work / chapter.path.name), as_version=4)
    client = NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(work)}})
    start = time.perf_counter()
    client.execute()
    timings.setdefault("nbclient", {})[chapter.folder] = time.perf_counter() - start
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"cell {i} raised {errors[0].ename}: {errors[0].evalue}"
        if cell.source.startswith("%%answer "):
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert "Looks right." in text, f"{cell.source.split()[1]}: {text!r}"


def test_starting_states_are_the_notebooks_own(chapter):
    """A commands exercise graded from a starting state sets that state up in the notebook first,
    with the same kubectl commands (`Exercise.start`), so the learner practises on it."""
    cells = chapter.nb.cells
    for ex in chapter.exercises:
        start = getattr(grading.get(ex.id), "start", ())
        if not start:
            continue
        task_index = next(i for i, c in enumerate(cells) if nbg(c).get("grade_id") == f"{ex.id}-task")
        lines = {ln.strip() for c in cells[:task_index] if c.cell_type == "code"
                 for ln in c.source.split("\n")}
        for cmd in start:
            assert f"%kubectl {cmd}" in lines, f"{ex.id}: the notebook never runs `kubectl {cmd}`"


def test_the_course_grades_at_least_fifty_exercises():
    """Five or more graded exercises per chapter: at least 50 across the ten chapters."""
    counts = {}
    for path in sorted(NOTEBOOK_DIR.glob("*/*.ipynb")):
        if path.stem == path.parent.name:
            nb = nbformat.read(str(path), as_version=4)
            counts[path.stem] = sum(1 for c in nb.cells if c.cell_type == "code" and nbg(c).get("grade"))
    assert counts and all(n >= 5 for n in counts.values()), counts
    if set(counts) == set(FOLDERS):
        assert sum(counts.values()) >= 50, counts
