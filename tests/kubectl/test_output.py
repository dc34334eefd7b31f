"""`kubectl get -o yaml|json|name`: the bytes kubectl prints (expected texts from real kubectl)."""

from k8scourse.kubectl.output import names, to_json, to_yaml

LAST_APPLIED = ('{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"myapp",'
                '"namespace":"default"},"spec":{"containers":[{"image":"nginx:1.14.2","name":"nginx",'
                '"ports":[{"containerPort":80}]}]}}\n')


def applied_pod():
    """The pod of a real `kubectl get pod myapp -o yaml` (kubeadm cluster), built by hand."""
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "annotations": {
                "cni.projectcalico.org/podIP": "192.168.1.4/32",
                "kubectl.kubernetes.io/last-applied-configuration": LAST_APPLIED},
            "creationTimestamp": "2025-09-26T19:14:26Z", "generation": 1, "name": "myapp",
            "namespace": "default", "resourceVersion": "5806",
            "uid": "7f1d3f15-bb73-4e6f-8c6c-5df5ff3c4012"},
        "spec": {
            "containers": [{
                "image": "nginx:1.14.2", "imagePullPolicy": "IfNotPresent", "name": "nginx",
                "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                  "name": "kube-api-access-s5lxw", "readOnly": True}]}],
            "dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "nodeName": "node01",
            "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "securityContext": {},
            "serviceAccount": "default", "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                 "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                 "operator": "Exists", "tolerationSeconds": 300}],
            "volumes": [{"name": "kube-api-access-s5lxw", "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}],
                                   "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1",
                                                             "fieldPath": "metadata.namespace"},
                                                "path": "namespace"}]}}]}}]},
        "status": {"conditions": [{"lastProbeTime": None,
                                   "lastTransitionTime": "2025-09-26T19:14:26Z",
                                   "status": "True", "type": "PodScheduled"}],
                   "phase": "Running"},
    }


POD_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  annotations:
    cni.projectcalico.org/podIP: 192.168.1.4/32
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"myapp","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.14.2","name":"nginx","ports":[{"containerPort":80}]}]}}
  creationTimestamp: "2025-09-26T19:14:26Z"
  generation: 1
  name: myapp
  namespace: default
  resourceVersion: "5806"
  uid: 7f1d3f15-bb73-4e6f-8c6c-5df5ff3c4012
spec:
  containers:
  - image: nginx:1.14.2
    imagePullPolicy: IfNotPresent
    name: nginx
    ports:
    - containerPort: 80
      protocol: TCP
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: kube-api-access-s5lxw
      readOnly: true
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: node01
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: default
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
  tolerations:
  - effect: NoExecute
    key: node.kubernetes.io/not-ready
    operator: Exists
    tolerationSeconds: 300
  - effect: NoExecute
    key: node.kubernetes.io/unreachable
    operator: Exists
    tolerationSeconds: 300
  volumes:
  - name: kube-api-access-s5lxw
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
      - configMap:
          items:
          - key: ca.crt
            path: ca.crt
          name: kube-root-ca.crt
      - downwardAPI:
          items:
          - fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
            path: namespace
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2025-09-26T19:14:26Z"
    status: "True"
    type: PodScheduled
  phase: Running
"""


def test_yaml_of_a_pod_is_what_kubectl_prints():
    """Keys sorted at every level, list items level with their key, timestamps and numeric
    strings double-quoted, a trailing-newline annotation as a `|` block, empty maps as {}."""
    assert to_yaml(applied_pod()) == POD_YAML


def test_yaml_key_order_is_go_yamls_not_plain_sorting():
    """go-yaml v2 orders keys with non-letters before letters and numbers by value."""
    obj = {"item10": 1, "item9": 2, "aZ": 3, "a_": 4, "a": 5}
    assert to_yaml(obj) == "a: 5\na_: 4\naZ: 3\nitem9: 2\nitem10: 1\n"


def test_yaml_quotes_strings_that_would_read_back_as_something_else():
    """Strings that look like numbers, booleans, null or dates are double-quoted; strings plain
    YAML cannot start with are single-quoted; ordinary strings stay plain. Keys follow the
    same rule (a key `n` reads back as false, so it is quoted)."""
    obj = {"a": "80", "b": "true", "c": "", "d": "yes", "e": "1.5", "f": "2025-01-01",
           "g": "*", "h": '{"k":"v"}', "i": "nginx:1.27", "j": "0777", "k": "y",
           "l": "web-7854ff8877", "m": "- x", "n": "10.96.0.1"}
    assert to_yaml(obj) == (
        'a: "80"\nb: "true"\nc: ""\nd: "yes"\ne: "1.5"\nf: "2025-01-01"\n'
        "g: '*'\nh: '{\"k\":\"v\"}'\ni: nginx:1.27\nj: \"0777\"\nk: \"y\"\n"
        "l: web-7854ff8877\nm: '- x'\n\"n\": 10.96.0.1\n")


def test_yaml_folds_long_strings_at_80_columns():
    """A long scheduler message is folded as kubectl folds it (real output of kubectl)."""
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {test-unschedulable: true}, "
           "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
           "available: 3 Preemption is not helpful for scheduling..")
    obj = {"status": {"conditions": [{"lastProbeTime": None,
                                      "lastTransitionTime": "2026-04-22T06:51:29Z",
                                      "message": msg, "reason": "Unschedulable",
                                      "status": "False", "type": "PodScheduled"}],
                      "phase": "Pending", "qosClass": "BestEffort"}}
    assert to_yaml(obj) == (
        "status:\n"
        "  conditions:\n"
        "  - lastProbeTime: null\n"
        "    lastTransitionTime: \"2026-04-22T06:51:29Z\"\n"
        "    message: '0/3 nodes are available: 1 node(s) had untolerated taint {test-unschedulable:\n"
        "      true}, 2 node(s) didn''t match Pod''s node affinity/selector. preemption: 0/3\n"
        "      nodes are available: 3 Preemption is not helpful for scheduling..'\n"
        "    reason: Unschedulable\n"
        "    status: \"False\"\n"
        "    type: PodScheduled\n"
        "  phase: Pending\n"
        "  qosClass: BestEffort\n")


def test_yaml_folds_plain_strings_too():
    """Plain (unquoted) long strings fold the same way (real kubectl output)."""
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint "
           "{ToBeDeletedByClusterAutoscaler: 1732299539}, 2 Insufficient cpu. preemption: 0/3 "
           "nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption "
           "victims found for incoming pod.")
    text = to_yaml({"conditions": [{"message": msg}]})
    assert text == (
        "conditions:\n"
        "- message: '0/3 nodes are available: 1 node(s) had untolerated taint {ToBeDeletedByClusterAutoscaler:\n"
        "    1732299539}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption\n"
        "    is not helpful for scheduling, 2 No preemption victims found for incoming pod.'\n")


def test_several_objects_are_a_list():
    """`get pods -o yaml`: apiVersion v1, items, kind List, metadata.resourceVersion ""."""
    p = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}
    assert to_yaml([p]) == (
        "apiVersion: v1\n"
        "items:\n"
        "- apiVersion: v1\n"
        "  kind: Pod\n"
        "  metadata:\n"
        "    name: a\n"
        "kind: List\n"
        "metadata:\n"
        "  resourceVersion: \"\"\n")
    assert to_yaml([]) == "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"


def test_json_is_indented_by_four_with_sorted_keys_and_html_escapes():
    """-o json: Go's MarshalIndent with 4 spaces, sorted keys, `<`/`>`/`&` as \\u003c..."""
    obj = {"kind": "Pod", "apiVersion": "v1",
           "metadata": {"name": "a", "labels": {}, "annotations": {"note": "<none> & more"}},
           "spec": {"containers": [], "priority": 0, "enableServiceLinks": True},
           "status": {"lastProbeTime": None}}
    assert to_json(obj) == (
        '{\n'
        '    "apiVersion": "v1",\n'
        '    "kind": "Pod",\n'
        '    "metadata": {\n'
        '        "annotations": {\n'
        '            "note": "\\u003cnone\\u003e \\u0026 more"\n'
        '        },\n'
        '        "labels": {},\n'
        '        "name": "a"\n'
        '    },\n'
        '    "spec": {\n'
        '        "containers": [],\n'
        '        "enableServiceLinks": true,\n'
        '        "priority": 0\n'
        '    },\n'
        '    "status": {\n'
        '        "lastProbeTime": null\n'
        '    }\n'
        '}\n')


def test_json_list_of_objects():
    """Several objects in JSON are the same List, with its empty resourceVersion."""
    assert to_json([]) == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n'
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')


def test_names_are_type_slash_name():
    """-o name: `pod/nginx`, `deployment.apps/web`, `service/web`, one a line."""
    objs = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx"}},
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}},
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-7854ff8877"}}]
    assert names(objs) == ("pod/nginx\ndeployment.apps/web\nservice/web\n"
                           "replicaset.apps/web-7854ff8877\n")
