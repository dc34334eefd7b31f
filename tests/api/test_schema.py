"""Schema data for kubectl explain (k8scourse.api.schema)."""

from k8scourse.api import schema


def test_field_info_for_containers():
    """spec.containers is a required list of Container."""
    info = schema.field_info("Pod", "spec.containers")
    assert info["name"] == "containers" and info["type_text"] == "<[]Container>"
    assert info["required"] is True
    assert ("image", "<string>") in info["fields"] and "name" in info["required_fields"]


def test_type_texts():
    """Types as kubectl explain (v1.32) names them."""
    assert schema.field_info("Deployment", "spec.replicas")["type_text"] == "<integer>"
    assert schema.field_info("Pod", "metadata.labels")["type_text"] == "<map[string]string>"
    assert schema.field_info("Pod", "spec.hostNetwork")["type_text"] == "<boolean>"
    assert schema.field_info("Pod", "metadata")["type_text"] == "<ObjectMeta>"


def test_descriptions_are_kubernetes_text():
    """Descriptions come from the published schema."""
    assert schema.field_info("Deployment", "spec.replicas")["description"].startswith(
        "Number of desired pods.")


def test_explain_layout():
    """The explain header names group, kind, version and field."""
    text = schema.explain("Deployment", "spec.replicas")
    assert text.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
                           "FIELD: replicas <integer>\n\nDESCRIPTION:\n    Number of desired pods.")
