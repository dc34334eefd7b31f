"""Field validation in Kubernetes' order and words (k8scourse.api.validation)."""

from k8scourse.api import defaults
from k8scourse.api.decode import load_manifests
from k8scourse.api.validation import validate

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
             "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
             "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
         "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
         "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
           "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
           "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
               "or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
               "'my_value',  or '12345', regex used for validation is "
               "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def _errors(text, old=None):
    obj = load_manifests(text, "f.yaml")[0]
    if obj["kind"] not in ("Namespace", "Node"):
        obj.setdefault("metadata", {})["namespace"] = "default"
    defaults.apply(obj)
    return [str(e) for e in validate(obj, old)]


def _obj(text):
    obj = load_manifests(text, "f.yaml")[0]
    obj.setdefault("metadata", {})["namespace"] = "default"
    defaults.apply(obj)
    return obj


POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec:\n  containers:\n%s"
NGINX = "  - {name: nginx, image: nginx}\n"


def test_valid_pod():
    """A correct pod has no errors."""
    assert _errors(POD % ("nginx", NGINX)) == []


def test_bad_pod_name_and_container_name():
    """kubectl run My_Pod: the subdomain error, then the container's label error."""
    assert _errors(POD % ("My_Pod", "  - {name: My_Pod, image: nginx}\n")) == [
        f'metadata.name: Invalid value: "My_Pod": {SUBDOMAIN}',
        f'spec.containers[0].name: Invalid value: "My_Pod": {LABEL}']


def test_missing_name():
    """No name and no generateName."""
    assert _errors("apiVersion: v1\nkind: Pod\nmetadata: {}\nspec:\n  containers:\n" + NGINX) == [
        "metadata.name: Required value: name or generateName is required"]


def test_no_containers():
    """containers: [] is required."""
    assert _errors(POD % ("nginx", "    []\n")) == [
        "spec.containers: Required value"]


def test_container_without_name_and_image():
    """Name first, then image."""
    assert _errors(POD % ("nginx", "  - {ports: []}\n")) == [
        "spec.containers[0].name: Required value", "spec.containers[0].image: Required value"]


def test_container_without_image():
    """A container needs an image."""
    assert _errors(POD % ("nginx", "  - {name: nginx}\n")) == ["spec.containers[0].image: Required value"]


def test_duplicate_container_name():
    """Two containers with one name."""
    assert _errors(POD % ("nginx", "  - {name: app, image: a}\n  - {name: app, image: b}\n")) == [
        'spec.containers[1].name: Duplicate value: "app"']


def test_restart_policy_unsupported():
    """restartPolicy Sometimes."""
    text = POD % ("nginx", NGINX) + "  restartPolicy: Sometimes\n"
    assert _errors(text) == ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
                             '"Always", "OnFailure", "Never"']


def test_container_ports():
    """containerPort missing, then out of range."""
    text = POD % ("nginx", "  - name: nginx\n    image: nginx\n    ports:\n    - {name: http}\n"
                           "    - {containerPort: 70000}\n")
    assert _errors(text) == ["spec.containers[0].ports[0].containerPort: Required value",
                             "spec.containers[0].ports[1].containerPort: Invalid value: 70000: "
                             "must be between 1 and 65535, inclusive"]


def test_requests_above_limits():
    """A request above its limit names the limit."""
    text = POD % ("nginx", "  - name: nginx\n    image: nginx\n    resources:\n"
                           "      limits: {cpu: 500m}\n      requests: {cpu: '1'}\n")
    assert _errors(text) == ['spec.containers[0].resources.requests: Invalid value: "1": must be '
                             "less than or equal to cpu limit of 500m"]


def test_bad_label_value():
    """Label values are checked against the label-value regex (field metadata.labels)."""
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n  labels: {app: -web}\nspec:\n  containers:\n" + NGINX
    assert _errors(text) == [f'metadata.labels: Invalid value: "-web": {LABEL_VALUE}']


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend}
spec:
%s  template:
    metadata: {labels: {app: %s}}
    spec:
      containers: [{name: web, image: nginx}]
"""


def test_selector_does_not_match_template_labels():
    """The selector/labels mismatch prints the template labels as a Go map."""
    assert _errors(DEPLOY % ("  selector: {matchLabels: {app: frontend}}\n", "web")) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
        "`selector` does not match template `labels`"]


def test_deployment_without_selector_gives_two_errors():
    """A nil selector is required and matches nothing."""
    assert _errors(DEPLOY % ("", "frontend")) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"frontend"}: '
        "`selector` does not match template `labels`"]


def test_empty_selector():
    """An empty selector is invalid."""
    assert _errors(DEPLOY % ("  selector: {}\n", "web")) == [
        "spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]


def test_negative_replicas_and_zero_surge_and_unavailable():
    """Negative replicas; maxSurge and maxUnavailable both 0."""
    spec = ("  replicas: -1\n  selector: {matchLabels: {app: web}}\n"
            "  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n")
    assert _errors(DEPLOY % (spec, "web")) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, '
        'IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0']


def test_template_restart_policy_must_be_always():
    """Workload templates only allow Always."""
    text = (DEPLOY % ("  selector: {matchLabels: {app: web}}\n", "web")).replace(
        "    spec:\n", "    spec:\n      restartPolicy: Never\n")
    assert _errors(text) == ['spec.template.spec.restartPolicy: Unsupported value: "Never": '
                             'supported values: "Always"']


def test_replication_controller_without_selector_is_accepted():
    """The RC selector defaults from the template labels."""
    text = ("apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  template:\n"
            "    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n")
    assert _errors(text) == []


def test_selector_is_immutable():
    """Changing an apps/v1 selector on update."""
    old = _obj(DEPLOY % ("  selector: {matchLabels: {app: web}}\n", "web"))
    assert _errors(DEPLOY % ("  selector: {matchLabels: {app: web2}}\n", "web2"), old) == [
        'spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]


def test_pod_update_forbidden():
    """Changing a pod's ports is forbidden; only image and a few fields may change."""
    old = _obj(POD % ("nginx", "  - {name: nginx, image: nginx, ports: [{containerPort: 80}]}\n"))
    errors = _errors(POD % ("nginx", "  - {name: nginx, image: nginx, ports: [{containerPort: 8080}]}\n"), old)
    assert len(errors) == 1
    assert errors[0].startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
        "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
        "to 1 if it was previously negative)\n  core.PodSpec{")
    assert _errors(POD % ("nginx", "  - {name: nginx, image: 'nginx:1.27', imagePullPolicy: Always, "
                                   "ports: [{containerPort: 80}]}\n"), old) == []


def test_name_is_immutable():
    """metadata.name cannot change on update."""
    old = _obj(POD % ("nginx", NGINX))
    assert _errors(POD % ("nginx2", NGINX), old) == ['metadata.name: Invalid value: "nginx2": field is immutable']


SVC = "apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec:\n%s"


def test_service_name_is_dns1035():
    """1st-service is a valid pod name but not a service name."""
    assert _errors(SVC % ("1st-service", "  ports: [{port: 80}]\n")) == [
        f'metadata.name: Invalid value: "1st-service": {DNS1035}']


def test_service_type_typo():
    """Supported types are listed sorted."""
    assert _errors(SVC % ("web", "  type: Nodeport\n  ports: [{port: 80}]\n")) == [
        'spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", '
        '"LoadBalancer", "NodePort"']


def test_service_ports_need_names_when_several():
    """Each unnamed port of several is one cause."""
    assert _errors(SVC % ("web", "  ports: [{port: 80}, {port: 443}]\n")) == [
        "spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]


def test_service_without_ports():
    """A ClusterIP service needs ports."""
    assert _errors(SVC % ("web", "  selector: {app: web}\n")) == ["spec.ports: Required value"]


def test_service_port_out_of_range():
    """Port 0 (and the targetPort defaulted from it)."""
    assert _errors(SVC % ("web", "  ports: [{port: 0, targetPort: 80}]\n")) == [
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"]


def test_node_port_on_cluster_ip_service():
    """nodePort is forbidden for ClusterIP."""
    assert _errors(SVC % ("web", "  ports: [{port: 80, nodePort: 30008}]\n")) == [
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]


def test_namespace_name_is_a_label():
    """Namespace names are DNS-1123 labels."""
    assert _errors("apiVersion: v1\nkind: Namespace\nmetadata: {name: Dev}\n") == [
        f'metadata.name: Invalid value: "Dev": {LABEL}']


def test_config_map_key():
    """ConfigMap keys allow alphanumerics, '-', '_' and '.'."""
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {'a b': x}\n"
    assert _errors(text) == [
        "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric "
        "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used "
        "for validation is '[-._a-zA-Z0-9]+')"]


def test_toleration_operator():
    """An unknown toleration operator."""
    text = POD % ("nginx", NGINX) + "  tolerations: [{key: a, operator: Equals, value: b}]\n"
    assert _errors(text) == ['spec.tolerations[0].operator: Unsupported value: "Equals": supported '
                             'values: "Equal", "Exists"']
