"""Label and field selectors as apimachinery parses them."""

import pytest

from k8scourse.kubectl.selectors import parse_fields, parse_labels


@pytest.mark.parametrize("text,labels,match", [
    ("app=web", {"app": "web"}, True),
    ("app==web", {"app": "web"}, True),
    ("app!=web", {"app": "db"}, True),
    ("app!=web", {}, True),
    ("app in (web, db)", {"app": "db"}, True),
    ("app notin (web,db)", {"app": "db"}, False),
    ("app notin (web,db)", {}, True),
    ("app", {"app": ""}, True),
    ("!app", {"app": "x"}, False),
    ("!canary,tier=front", {"tier": "front"}, True),
    ("env=prod,tier=front", {"env": "prod", "tier": "back"}, False),
])
def test_requirements_match_like_kubernetes(text, labels, match):
    """Each operator as labels.Selector.Matches evaluates it."""
    assert parse_labels(text).matches(labels) is match


def test_empty_selector_matches_everything():
    """An empty selector is labels.Everything()."""
    assert parse_labels("").matches({"a": "b"})


@pytest.mark.parametrize("text,message", [
    ("app in (web", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("app=web,", "found '', expected: identifier after ','"),
    ("=web", "found '=', expected: !, identifier, or 'end of string'"),
])
def test_parse_errors(text, message):
    """Syntax errors carry the parser's words."""
    with pytest.raises(ValueError) as e:
        parse_labels(text)
    assert str(e.value) == message


def test_field_selectors():
    """`status.phase=Running,spec.nodeName!=node01`."""
    reqs = parse_fields("status.phase=Running,spec.nodeName!=node01")
    assert [(r.field, r.op, r.value) for r in reqs] == [
        ("status.phase", "=", "Running"), ("spec.nodeName", "!=", "node01")]
    with pytest.raises(ValueError, match="invalid selector: 'foo'; can't understand 'foo'"):
        parse_fields("foo")
