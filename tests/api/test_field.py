from k8scourse.api import field
from k8scourse.api.field import Path


def test_invalid_prints_path_type_value_and_detail():
    """field.Invalid: `<path>: Invalid value: <value>: <detail>`."""
    e = field.invalid(Path("spec").child("replicas"), -1, "must be greater than or equal to 0")
    assert str(e) == "spec.replicas: Invalid value: -1: must be greater than or equal to 0"


def test_required_never_prints_a_value():
    """Required value has only the optional detail."""
    assert str(field.required(Path("spec", "containers").index(0).child("image"))) == \
        "spec.containers[0].image: Required value"
    assert str(field.required(Path("metadata", "name"), "name or generateName is required")) == \
        "metadata.name: Required value: name or generateName is required"


def test_strings_are_go_quoted_and_label_maps_use_go_syntax():
    """Strings use %q; a labels map prints as map[string]string{...} with sorted keys."""
    e = field.invalid(Path("metadata", "name"), "My_Pod", "x")
    assert str(e) == 'metadata.name: Invalid value: "My_Pod": x'
    m = field.go_value({"tier": "web", "app": "x"})
    assert m == 'map[string]string{"app":"x", "tier":"web"}'


def test_not_supported_lists_quoted_values():
    """Unsupported value names the supported ones, each quoted."""
    e = field.not_supported(Path("spec", "restartPolicy"), "Sometimes", ["Always", "OnFailure", "Never"])
    assert str(e) == ('spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
                      '"Always", "OnFailure", "Never"')


def test_aggregate_drops_duplicates_and_brackets_several():
    """One error prints alone; several as [a, b]; identical texts once."""
    a = field.required(Path("spec", "selector"))
    b = field.required(Path("spec", "template"))
    assert field.aggregate([a]) == "spec.selector: Required value"
    assert field.aggregate([a, a, b]) == "[spec.selector: Required value, spec.template: Required value]"
