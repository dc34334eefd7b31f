"""kubectl apply (three-way merge), patch, expose, scale -f and label/annotate details."""

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
"""


def test_apply_keeps_fields_it_does_not_manage(cluster):
    """A label added by `kubectl label` survives a re-apply; one dropped from the file goes."""
    two = DEPLOY.replace("    app: web\nspec", "    app: web\n    team: a\nspec")
    cluster.kubectl("apply -f -", stdin=two)
    cluster.kubectl("label deployment web owner=ops")
    r = cluster.kubectl("apply -f -", stdin=DEPLOY)
    assert r.stdout == "deployment.apps/web configured\n"
    assert cluster.get("Deployment", "web").labels == {"app": "web", "owner": "ops"}


def test_apply_a_new_image_rolls_out(cluster):
    """Changing the image in the file updates the template; the controller makes a new RS."""
    cluster.kubectl("apply -f -", stdin=DEPLOY)
    cluster.settle()
    cluster.kubectl("apply -f -", stdin=DEPLOY.replace("image: nginx", "image: nginx:1.27"))
    cluster.settle()
    assert cluster.get("Deployment", "web").spec["template"]["spec"]["containers"][0][
        "image"] == "nginx:1.27"
    assert len(cluster.list("ReplicaSet")) == 2


def test_apply_restores_replicas_scaled_by_hand(cluster):
    """The file says 2: apply sets it back after `kubectl scale`."""
    cluster.kubectl("apply -f -", stdin=DEPLOY)
    cluster.kubectl("scale deployment web --replicas=5")
    assert cluster.kubectl("apply -f -", stdin=DEPLOY).stdout == \
        "deployment.apps/web configured\n"
    assert cluster.get("Deployment", "web").spec["replicas"] == 2


def test_apply_forbidden_pod_update(cluster):
    """Adding a port to a running pod: the API server's Forbidden message (reference 1.2)."""
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n"
           "  - name: nginx\n    image: nginx\n")
    cluster.kubectl("apply -f -", stdin=pod)
    r = cluster.kubectl("apply -f -", stdin=pod + "    ports:\n    - containerPort: 80\n")
    assert r.exit_code == 1
    assert r.stderr.startswith(
        'The Pod "nginx" is invalid: spec: Forbidden: pod updates may not change fields other '
        "than `spec.containers[*].image`,`spec.initContainers[*].image`,"
        "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
        "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
        "previously negative)")


def test_apply_writes_the_last_applied_configuration(cluster):
    """The annotation holds the applied object as compact JSON, with `annotations: {}`."""
    cluster.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Namespace\nmetadata:\n"
                                        "  name: dev\n")
    ann = cluster.get("Namespace", "dev", namespace="").annotations
    assert ann["kubectl.kubernetes.io/last-applied-configuration"] == (
        '{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{},"name":"dev"}}\n')


def test_patch_strategic_merge_and_no_change(cluster):
    """patch -p: `patched`, then `patched (no change)` for the same patch."""
    cluster.kubectl("apply -f -", stdin=DEPLOY)
    patch = ["patch", "deployment", "web", "-p", '{"spec":{"replicas":3}}']
    assert cluster.kubectl(patch).stdout == "deployment.apps/web patched\n"
    assert cluster.kubectl(patch).stdout == "deployment.apps/web patched (no change)\n"
    r = cluster.kubectl(["patch", "deployment", "web", "-p",
                         '{"spec":{"template":{"spec":{"containers":[{"name":"web",'
                         '"image":"nginx:1.27"}]}}}}'])
    assert r.exit_code == 0
    c = cluster.get("Deployment", "web").spec["template"]["spec"]["containers"][0]
    assert c["image"] == "nginx:1.27" and c["ports"][0]["containerPort"] == 80


def test_patch_json_and_merge_types(cluster):
    """--type json with RFC 6902 operations, --type merge replacing lists."""
    cluster.kubectl("apply -f -", stdin=DEPLOY)
    r = cluster.kubectl(["patch", "deploy", "web", "--type=json", "-p",
                         '[{"op":"replace","path":"/spec/replicas","value":1}]'])
    assert r.stdout == "deployment.apps/web patched\n"
    assert cluster.get("Deployment", "web").spec["replicas"] == 1
    r = cluster.kubectl(["patch", "deploy", "web", "--type=json", "-p",
                         '[{"op":"remove","path":"/spec/nope"}]'])
    assert r.exit_code == 1 and r.stderr.startswith("The request is invalid: ")
    r = cluster.kubectl(["patch", "deploy", "web", "--type=yaml", "-p", "{}"])
    assert r.stderr == 'error: --type must be one of [json merge strategic], not "yaml"\n'
    assert cluster.kubectl("patch deploy web").stderr == (
        "error: must specify --patch or --patch-file containing the contents of the patch\n")


def test_patch_a_yaml_patch(cluster):
    """-p also takes YAML."""
    cluster.kubectl("apply -f -", stdin=DEPLOY)
    r = cluster.kubectl(["patch", "deploy", "web", "-p", "spec:\n  replicas: 4\n"])
    assert r.stdout == "deployment.apps/web patched\n"


def test_expose_a_deployment_uses_its_selector_and_port(cluster):
    """The service selects the Deployment's pods on the container port."""
    cluster.kubectl("apply -f -", stdin=DEPLOY)
    assert cluster.kubectl("expose deployment web --type=NodePort").stdout == \
        "service/web exposed\n"
    svc = cluster.get("Service", "web")
    assert svc.spec["selector"] == {"app": "web"}
    assert svc.spec["ports"][0]["port"] == 80 and svc.spec["ports"][0]["targetPort"] == 80
    assert svc.spec["type"] == "NodePort"


def test_expose_has_no_node_port_flag(cluster):
    """--node-port is not a flag of kubectl expose."""
    cluster.kubectl("apply -f -", stdin=DEPLOY)
    assert cluster.kubectl("expose deployment web --node-port=30080").stderr == \
        "error: unknown flag: --node-port\nSee 'kubectl expose --help' for usage.\n"


def test_scale_several_names(cluster):
    """scale takes several names of one type."""
    cluster.kubectl("create deployment a --image=nginx")
    cluster.kubectl("create deployment b --image=nginx")
    assert cluster.kubectl("scale deployment a b --replicas=2").stdout == \
        "deployment.apps/a scaled\ndeployment.apps/b scaled\n"


def test_label_all_and_selector(cluster):
    """--all labels every object of the type; -l only the matching ones."""
    cluster.kubectl("run a --image=nginx --labels=app=a")
    cluster.kubectl("run b --image=nginx --labels=app=b")
    assert cluster.kubectl("label pods --all env=dev").stdout == \
        "pod/a labeled\npod/b labeled\n"
    assert cluster.kubectl("label pods -l app=a tier=web").stdout == "pod/a labeled\n"
    assert cluster.kubectl("label pod a").stderr == \
        "error: at least one label update is required\n"


def test_annotate_overwrite(cluster):
    """An existing annotation needs --overwrite."""
    cluster.kubectl("run a --image=nginx")
    cluster.kubectl("annotate pod a note=one")
    assert cluster.kubectl("annotate pod a note=two").stderr == (
        "error: --overwrite is false but found the following declared annotation(s): 'note' "
        "already has a value (one)\n")
    assert cluster.kubectl("annotate pod a note=two --overwrite").stdout == "pod/a annotated\n"
