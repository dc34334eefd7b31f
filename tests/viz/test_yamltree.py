"""The YAML structure tree: dictionaries, lists and lists of dictionaries with their keys."""

from __future__ import annotations

import pytest

from tests.viz.conftest import save
from k8scourse.viz import draw_yaml, layout_problems

EMPLOYEE = "data/seed/employee.yml"


def texts(ax) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_text()]


def frames(ax) -> list[str]:
    return sorted(a.get_gid() for a in ax.figure.findobj() if (a.get_gid() or "").startswith("yaml/"))


def test_employee_payslips_is_a_list_of_dictionaries():
    """The seed's example: Employee a dictionary of 6 keys, Projects a list, Payslips a list of 3 dictionaries."""
    ax = draw_yaml(EMPLOYEE)
    save(ax, "yaml-employee")
    words = texts(ax)
    assert words.count("Employee:") == 1
    assert "dictionary · 6 keys" in words
    assert "list · 2 items" in words
    assert "list of dictionaries · 3 items" in words
    assert words.count("item 1: dictionary · 2 keys") == 1
    for key in ("Name:", "Sex:", "Age:", "Title:", "Projects:", "Payslips:"):
        assert key in words
    assert words.count("Month:") == 3 and words.count("Wage:") == 3
    assert "Automation" in words and "Support" in words


def test_employee_frames_nest_as_the_data_does():
    """Blue frames for the 5 dictionaries with content, orange for the 2 lists."""
    kinds = [g.split("/")[1] for g in frames(draw_yaml(EMPLOYEE))]
    assert kinds.count("dictionary") == 5
    assert kinds.count("list") == 1 and kinds.count("list of dictionaries") == 1


def test_scalars_are_written_as_yaml_would():
    """Booleans, null and strings that look like numbers keep their YAML spelling."""
    words = texts(draw_yaml("a: true\nb: null\nc: '80'\nd: 80\n"))
    assert "true" in words and "null" in words and '"80"' in words and "80" in words


def test_several_documents_are_drawn_one_after_the_other():
    """`---` separated documents each get their own root."""
    words = texts(draw_yaml("kind: Pod\n---\nkind: Service\n"))
    assert "document 1" in words and "document 2" in words


def test_parsed_data_can_be_drawn_too():
    """A Python dict is drawn like the YAML it would be."""
    words = texts(draw_yaml({"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}))
    assert "containers:" in words and "list of dictionaries · 1 item" in words


@pytest.mark.parametrize("path", ["data/seed/employee.yml", "data/seed/deployment-definition.yml",
                                  "data/seed/service-definition.yml",
                                  "data/seed/replicaset-definition.yml"])
def test_seed_manifests_are_readable(path):
    """Each of the seed's files draws without overlaps or anything outside the figure."""
    assert layout_problems(draw_yaml(path).figure) == []


def test_long_values_are_cut_to_the_width():
    """A very long value is shortened and stays inside the figure."""
    ax = draw_yaml({"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "x" * 400}})
    assert layout_problems(ax.figure) == []
    assert any(t.endswith("…") for t in texts(ax))
