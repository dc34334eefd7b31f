"""Chapters 6-10: the files a notebook writes are the ones its graders use, and the grading
helpers those chapters share behave as their exercises rely on."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat
import pytest

from k8scourse import grading
from k8scourse.grading.core import Answer

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CHAPTERS = {"06": "06-replicasets", "07": "07-deployments", "08": "08-networking",
            "09": "09-services", "10": "10-microservices"}


def written_files(folder: str) -> dict[str, list[tuple[int, str]]]:
    """file name -> [(cell index, text)] for every `%%writefile NAME` cell of a chapter."""
    nb = nbformat.read(str(NOTEBOOKS / folder / f"{folder}.ipynb"), as_version=4)
    out: dict[str, list[tuple[int, str]]] = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("%%writefile "):
            head, _, body = cell.source.partition("\n")
            out.setdefault(head.split()[1], []).append((i, body))
    return out


def task_index(folder: str, ex_id: str) -> int:
    nb = nbformat.read(str(NOTEBOOKS / folder / f"{folder}.ipynb"), as_version=4)
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == f"{ex_id}-task")


def present() -> list[str]:
    return [n for n, f in CHAPTERS.items() if (NOTEBOOKS / f / f"{f}.ipynb").is_file()]


@pytest.mark.parametrize("number", present())
def test_graders_use_the_files_the_notebook_writes(number):
    """Every file a commands exercise runs beside is written, with the same text, by a
    `%%writefile` cell of the notebook before that exercise."""
    module = importlib.import_module(f"k8scourse.grading.exercises.ch{number}")
    files = getattr(module, "FILES", {})
    written = written_files(CHAPTERS[number])
    for name, text in files.items():
        assert name in written, f"the notebook never writes {name}"
        first_index, first_text = written[name][0]
        assert first_text.strip() == text.strip(), f"{name}: the notebook writes another text"
    from_answers = answer_files(CHAPTERS[number])
    for name, ex_id in getattr(module, "ANSWER_FILES", {}).items():
        assert from_answers.get(name) == ex_id, f"no cell writes {name} from the answer to {ex_id}"
    for ex_id, ex in grading.EXERCISES.items():
        if not ex_id.startswith(f"ch{number}-") or not getattr(ex, "start", ()):
            continue
        for line in ex.start:
            for name in re.findall(r"-f\s+(\S+)", line):
                if name in from_answers:
                    continue
                assert name in files, f"{ex_id}: {name} is not among the chapter's FILES"
                assert written[name][0][0] < task_index(CHAPTERS[number], ex_id)


def answer_files(folder: str) -> dict[str, str]:
    """file name -> exercise id, for cells that write a learner's answer into a file."""
    nb = nbformat.read(str(NOTEBOOKS / folder / f"{folder}.ipynb"), as_version=4)
    out = {}
    for cell in nb.cells:
        m = re.search(r'open\("([^"]+)", "w"\)\.write\(answers\.get\("(ch\d\d-ex\d+)"', cell.source)
        if cell.cell_type == "code" and m:
            out[m.group(1)] = m.group(2)
    return out


def test_voting_app_manifests_are_the_courses():
    """Chapter 10's manifests (and the db Service its graders expect) are data/voting-app's files."""
    import yaml

    from k8scourse.grading.exercises import ch10

    data = {p.name: yaml.safe_load(p.read_text())
            for p in (NOTEBOOKS.parent / "data" / "voting-app").glob("*/*.yaml")}
    assert set(ch10.ALL_FILES) == set(data)
    for name, text in ch10.ALL_FILES.items():
        assert yaml.safe_load(text) == data[name], name


def test_after_runs_commands_beside_the_files_and_caches():
    """`after` starts from the starting state in a directory holding the files, and keeps the
    result for the same answer."""
    from k8scourse.grading.exercises import ch06

    ex = grading.get("ch06-ex7")
    answer = Answer(ex, "kubectl scale --replicas=4 -f replicaset-definition.yml")
    cluster, before = ch06.after(answer, seed=6, start=("create -f replicaset-definition.yml",),
                                 files=ch06.FILES)
    assert len(before) == 3 and all(n.startswith("myapp-replicaset-") for n in before)
    assert cluster.api.get("ReplicaSet", "default", "myapp-replicaset")["spec"]["replicas"] == 4
    assert len(ch06.owned_pods(cluster, "ReplicaSet", "myapp-replicaset")) == 4
    again, _ = ch06.after(answer, seed=6, start=("create -f replicaset-definition.yml",),
                          files=ch06.FILES)
    assert again is cluster


def test_after_reports_a_failing_command_in_kubectls_words():
    """A command kubectl refuses becomes the problem, with kubectl's error text."""
    from k8scourse.grading.exercises import ch06

    answer = Answer(grading.get("ch06-ex7"), "kubectl scale --replicas=4 -f nowhere.yml")
    with pytest.raises(grading.AnswerError, match='the path "nowhere.yml" does not exist'):
        ch06.after(answer, seed=6, files=ch06.FILES)
    answer = Answer(grading.get("ch06-ex7"), "docker ps")
    with pytest.raises(grading.AnswerError, match="should be a kubectl command"):
        ch06.after(answer, seed=6)


def test_selector_check_accepts_match_expressions_and_names_a_mismatch():
    """A selector written with matchExpressions is left to the cluster; a matchLabels selector
    that misses the template's labels is named."""
    from k8scourse.grading.exercises import ch06

    rs = {"kind": "ReplicaSet", "spec": {
        "selector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}]},
        "template": {"metadata": {"labels": {"tier": "backend"}},
                     "spec": {"containers": [{"name": "a", "image": "httpd"}]}}}}
    assert ch06.check_selector(rs, "ReplicaSet") is None
    rs["spec"]["selector"] = {"matchLabels": {"tier": "back-end"}}
    assert "does not match the labels in its pod template" in ch06.check_selector(rs, "ReplicaSet")
