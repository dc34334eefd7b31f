from k8scourse.api import labels

SEL = {"matchLabels": {"tier": "frontend", "app": "web"},
       "matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["b", "a"]},
                            {"key": "env", "operator": "In", "values": ["qa", "prod"]},
                            {"key": "canary", "operator": "DoesNotExist"},
                            {"key": "app", "operator": "Exists"}]}


def test_requirements_sorted_by_key_with_sorted_values():
    """LabelSelectorAsSelector sorts requirements by key and prints In values sorted."""
    assert labels.selector_string(SEL) == \
        "app=web,app,!canary,env in (prod,qa),tier=frontend,zone notin (a,b)"


def test_nil_and_empty_selector_strings():
    """A nil or empty selector prints as "", FormatLabelSelector as <none>."""
    assert labels.selector_string(None) == ""
    assert labels.selector_string({}) == ""
    assert labels.format_selector(None) == "<none>"
    assert labels.format_selector({"matchLabels": {}}) == "<none>"
    assert labels.format_selector({"matchLabels": {"app": "web"}}) == "app=web"


def test_set_string():
    """SelectorFromSet prints its pairs sorted by key."""
    assert labels.set_string({"b": "2", "a": "1"}) == "a=1,b=2"
    assert labels.set_string(None) == ""


def test_matches_label_selector():
    """matchLabels and every matchExpression must hold."""
    ok = {"app": "web", "tier": "frontend", "env": "qa", "zone": "c"}
    assert labels.matches(SEL, ok)
    assert not labels.matches(SEL, {**ok, "canary": "1"})
    assert not labels.matches(SEL, {**ok, "zone": "a"})
    assert not labels.matches(SEL, {**ok, "env": "dev"})
    assert not labels.matches(SEL, {k: v for k, v in ok.items() if k != "env"})
    assert not labels.matches(SEL, {**ok, "tier": "db"})


def test_nil_matches_nothing_empty_everything():
    """A nil LabelSelector matches nothing, an empty one everything; an empty map everything."""
    assert not labels.matches(None, {"a": "b"})
    assert labels.matches({}, {"a": "b"})
    assert labels.is_empty({}) and not labels.is_empty(None)
    assert not labels.is_empty({"matchLabels": {"a": "b"}})
    assert labels.set_matches({}, {"a": "b"})
    assert labels.compile_selector(None)({"a": "b"}) is False
    assert labels.compile_set(None)({}) is True


def test_unknown_operator_matches_nothing_and_prints_nothing():
    """An operator LabelSelectorAsSelector refuses selects no pod."""
    sel = {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "x", "operator": "in",
                                                              "values": ["1"]}]}
    assert not labels.matches(sel, {"app": "web", "x": "1"})
    assert not labels.compile_selector(sel)({"app": "web", "x": "1"})
    assert labels.selector_string(sel) == "app=web"


def test_compiled_matchers_agree_with_matches():
    """The compiled matchers answer as matches and set_matches do."""
    cases = [{"app": "web"}, {"app": "web", "tier": "frontend", "env": "prod", "zone": "z"},
             {"app": "db", "tier": "frontend", "env": "prod"}, {}]
    for sel in (SEL, {"matchLabels": {"app": "web"}},
                {"matchLabels": {"app": "web", "tier": "frontend"}}, {}, None):
        match = labels.compile_selector(sel)
        for lbls in cases:
            assert match(lbls) == labels.matches(sel, lbls)
    match = labels.compile_set({"app": "web"})
    assert [match(x) for x in cases] == [True, True, False, False]


def test_parsed_operators():
    """==, !=, gt and lt from kubectl -l: gt/lt compare label values as base-10 integers."""
    reqs = [("a", "==", ("1",)), ("b", "!=", ("x",)), ("n", "gt", ("5",)), ("m", "lt", ("3",))]
    assert labels.requirements_string(reqs) == "a==1,b!=x,n>5,m<3"
    assert labels.requirements_match(reqs, {"a": "1", "n": "6", "m": "-1"})
    assert not labels.requirements_match(reqs, {"a": "1", "b": "x", "n": "6", "m": "-1"})
    assert not labels.requirements_match(reqs, {"a": "1", "n": "5", "m": "-1"})
    assert not labels.requirements_match(reqs, {"a": "1", "n": "1_0", "m": "-1"})
    assert not labels.requirements_match(reqs, {"a": "1", "m": "-1"})
