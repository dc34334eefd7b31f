"""How kubectl words errors (reference 0.3): Invalid layout, Status errors, plain errors, sources."""

from k8scourse.api import field
from k8scourse.errors import AlreadyExists, BadRequest, ClientError, Invalid, NotFound
from k8scourse.kubectl.render import Aggregate, add_source, check_err


def test_invalid_with_one_cause_is_one_line():
    """One cause is printed on the header line; the group never shows."""
    err = Invalid("Pod", "nginx", [field.required(field.Path("spec", "containers").index(0)
                                                  .child("image"))])
    assert check_err(err) == \
        'The Pod "nginx" is invalid: spec.containers[0].image: Required value\n'


def test_invalid_with_several_causes_has_a_trailing_space():
    """Two causes: the header ends with `: ` and each cause is a `* ` line."""
    p = field.Path("spec", "containers").index(0)
    err = Invalid("Pod", "broken", [field.required(p.child("name")),
                                    field.required(p.child("image"))])
    assert check_err(err) == ('The Pod "broken" is invalid: \n'
                              "* spec.containers[0].name: Required value\n"
                              "* spec.containers[0].image: Required value\n")


def test_invalid_deployment_says_the_kind_without_group():
    """`The Deployment`, not `Deployment.apps`."""
    err = Invalid("Deployment", "frontend", [field.invalid(field.Path("spec", "replicas"), -1,
                                                           "must be greater than or equal to 0")],
                  group="apps")
    assert check_err(err) == ('The Deployment "frontend" is invalid: spec.replicas: Invalid '
                              "value: -1: must be greater than or equal to 0\n")


def test_status_errors_name_their_reason():
    """Any other API Status: `Error from server (<Reason>): <message>`."""
    assert check_err(NotFound("pods", "nope")) == \
        'Error from server (NotFound): pods "nope" not found\n'
    assert check_err(AlreadyExists("deployments", "web", "apps")) == \
        'Error from server (AlreadyExists): deployments.apps "web" already exists\n'


def test_errors_from_a_file_name_the_file():
    """AddSourceToErr: `error when creating "pod.yaml": ...` inside the Status message."""
    err = add_source("creating", "pod.yaml", AlreadyExists("pods", "nginx"))
    assert check_err(err) == ('Error from server (AlreadyExists): error when creating '
                              '"pod.yaml": pods "nginx" already exists\n')
    err = add_source("deleting", "pod.yaml", NotFound("pods", "nginx"))
    assert check_err(err) == ('Error from server (NotFound): error when deleting "pod.yaml": '
                              'pods "nginx" not found\n')


def test_invalid_from_a_file_does_not_name_the_file():
    """The Invalid layout ignores the wrapped message (no `error when creating`)."""
    err = add_source("creating", "pod.yaml", Invalid("Pod", "nginx", [
        field.required(field.Path("spec", "containers"))]))
    assert check_err(err) == 'The Pod "nginx" is invalid: spec.containers: Required value\n'


def test_client_errors_get_the_error_prefix_once():
    """Plain errors are `error: <msg>`, never `error: error: ...`."""
    assert check_err(ClientError("the server doesn't have a resource type \"pood\"")) == \
        'error: the server doesn\'t have a resource type "pood"\n'
    assert check_err(ClientError("error: already prefixed")) == "error: already prefixed\n"


def test_aggregates_print_one_line_each():
    """Several errors: each on its own line, Status ones with their reason."""
    err = Aggregate([NotFound("pods", "a"), NotFound("pods", "b")])
    assert check_err(err) == ('Error from server (NotFound): pods "a" not found\n'
                              'Error from server (NotFound): pods "b" not found\n')


def test_an_aggregate_of_one_is_that_error():
    """utilerrors aggregates of one error are unwrapped first."""
    err = Aggregate([BadRequest("Pod in version \"v1\" cannot be handled as a Pod: x")])
    assert check_err(err) == ('Error from server (BadRequest): Pod in version "v1" cannot be '
                              'handled as a Pod: x\n')
