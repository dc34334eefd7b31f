"""kubectl create/run generators: the objects they build (`--dry-run=client -o yaml`)."""

RUN_POD = """apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: nginx
  name: nginx
spec:
  containers:
  - image: nginx
    name: nginx
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        ports:
        - containerPort: 80
        resources: {}
status: {}
"""

NODEPORT = """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: myapp
  name: myapp
spec:
  ports:
  - name: 80-80
    nodePort: 30008
    port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: myapp
  type: NodePort
status:
  loadBalancer: {}
"""


def _out(c, cmd):
    r = c.kubectl(cmd)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_run_dry_run_yaml(bare):
    """The run-pod generator: label run=NAME, container NAME, ClusterFirst, Always."""
    assert _out(bare, "run nginx --image=nginx --dry-run=client -o yaml") == RUN_POD
    assert bare.api.store.get("Pod", "default", "nginx") is None


def test_run_with_port_env_labels_and_args(bare):
    """--port, --env, --labels and the arguments after `--`."""
    out = _out(bare, "run box --image=busybox --port=8080 --env=MODE=dev --labels=app=box "
                     "--restart=Never --dry-run=client -o yaml -- sleep 3600")
    assert "  - args:\n    - sleep\n    - \"3600\"\n" in out
    assert "    env:\n    - name: MODE\n      value: dev\n" in out
    assert "    ports:\n    - containerPort: 8080\n" in out
    assert "  labels:\n    app: box\n" in out and "restartPolicy: Never" in out
    out = _out(bare, "run box --image=busybox --command --dry-run=client -o yaml -- sleep 1")
    assert "  - command:\n    - sleep\n" in out


def test_run_interactive_is_refused_clearly(bare):
    """-it --rm needs a terminal the notebook does not have."""
    r = bare.kubectl("run -it --rm box --image=busybox --restart=Never -- sh")
    assert r.exit_code == 1 and r.stderr.startswith("error: unable to attach to the container")
    assert bare.kubectl("run x --image=nginx --rm").stderr == \
        "error: --rm should only be used for attached containers\n"


def test_create_deployment_dry_run_yaml(bare):
    """The deployment generator: app=NAME, container named after the image, strategy {}."""
    assert _out(bare, "create deployment web --image=nginx:1.27 --replicas=3 --port=80 "
                      "--dry-run=client -o yaml") == DEPLOYMENT


def test_create_service_nodeport_dry_run_yaml(bare):
    """Port name `80-80`, selector app=NAME, type NodePort (reference 2.3)."""
    assert _out(bare, "create service nodeport myapp --tcp=80:80 --node-port=30008 "
                      "--dry-run=client -o yaml") == NODEPORT


def test_create_service_single_port_name(bare):
    """`--tcp=80` gives the port name "80" and targetPort 80."""
    out = _out(bare, "create service clusterip web --tcp=80 --dry-run=client -o yaml")
    assert '  - name: "80"\n    port: 80\n    protocol: TCP\n    targetPort: 80\n' in out


def test_create_namespace_and_configmap_dry_run(bare):
    """Namespace and ConfigMap generators."""
    assert _out(bare, "create namespace dev --dry-run=client -o yaml") == (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: dev\n"
        "spec: {}\nstatus: {}\n")
    assert _out(bare, "create configmap cfg --from-literal=a=1 --dry-run=client -o yaml") == (
        'apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n'
        "  creationTimestamp: null\n  name: cfg\n")


def test_dry_run_client_success_line(bare):
    """Without -o, a client dry run says so."""
    assert _out(bare, "create deployment web --image=nginx --dry-run=client") == \
        "deployment.apps/web created (dry run)\n"
    assert _out(bare, "create deployment web --image=nginx --dry-run=server") == \
        "deployment.apps/web created (server dry run)\n"
    assert bare.api.store.get("Deployment", "default", "web") is None


def test_save_config_writes_the_last_applied_annotation(bare):
    """--save-config stores the configuration for later applies."""
    _out(bare, "create namespace dev --save-config")
    ns = bare.api.get("Namespace", "", "dev")
    assert "kubectl.kubernetes.io/last-applied-configuration" in ns["metadata"]["annotations"]


def test_create_without_a_file(bare):
    """`kubectl create` alone: the hint and create's help on stderr, exit 1."""
    r = bare.kubectl("create")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: must specify one of -f and -k\n\n")


def test_exactly_one_name(bare):
    """Generators need exactly one NAME."""
    r = bare.kubectl("create deployment --image=nginx")
    assert r.stderr == ("error: exactly one NAME is required, got 0\n"
                        "See 'kubectl create deployment -h' for help and examples\n")


def test_namespace_flag_is_written_into_the_object(bare):
    """With -n the generated object names its namespace."""
    out = _out(bare, "create deployment web --image=nginx -n dev --dry-run=client -o yaml")
    assert "  name: web\n  namespace: dev\n" in out
