"""`kubectl create -f ...` and the generators: create deployment, service, namespace, configmap.

The generated objects are exactly what kubectl's typed generators build
(staging/src/k8s.io/kubectl/pkg/cmd/create/*.go); `--dry-run=client -o yaml` prints them as kubectl
does, with `creationTimestamp: null` and the empty `status`. The typed clients wrap server errors
as plain text (`error: failed to create deployment: deployments.apps "web" already exists`).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError
from k8scourse.kubectl import builder, mutate, printing
from k8scourse.kubectl.render import Exit, UsageError, add_source, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env


def name_from_args(env: "Env", fl: "FlagSet", args: list[str]) -> str:
    """NameFromCommandArgs: exactly one NAME before `--`."""
    n = fl.args_len_at_dash if fl.args_len_at_dash >= 0 else len(args)
    if n != 1:
        raise UsageError(f"exactly one NAME is required, got {n}", env.path)
    return args[0]


def run_create(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import helptext

    if not fl["filename"] and not fl["kustomize"]:
        env.ewrite("Error: must specify one of -f and -k\n\n")
        if args:
            raise UsageError(f'unknown command "{" ".join(args)}"', env.path)
        env.ewrite(helptext.help_for(env.command))
        raise Exit(1)
    if fl["kustomize"]:
        raise ClientError("kustomize (-k) is not available in this course's cluster")
    if fl["edit"]:
        raise ClientError("--edit needs an interactive editor, which this course's notebook "
                          "cannot open")
    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    directive = mutate.validation_directive(fl)
    if args:
        raise UsageError(f"Unexpected args: [{' '.join(args)}]", env.path)
    res = builder.build(env, [], filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], latest=False,
                        validate=mutate.client_validate(directive))
    errors = list(res.errors)
    count = 0
    from k8scourse.apiserver.store import clone

    for info in res.infos:
        obj = clone(info.local)
        mutate.default_namespace(info.rtype, obj, info.namespace or env.namespace)
        if fl["save-config"]:
            mutate.set_last_applied(obj)
        try:
            if dry != "client":
                obj = mutate.send_create(env, info.rtype, obj, directive=directive, dry_run=dry)
        except K8sError as e:
            errors.append(add_source("creating", info.source, e))
            continue
        count += 1
        name = (obj.get("metadata") or {}).get("name") or info.name
        printing.success(env, fmt, f"{info.rtype.ref}/{name}", "created", obj, dry)
    if errors:
        raise aggregate(errors)
    if count == 0:
        raise ClientError("no objects passed to create")


def run_create_unsupported(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    name = env.command.name
    raise ClientError(f'"kubectl create {name}" is not available in this course\'s cluster: '
                      f"write the {name} as a manifest and use kubectl create -f instead")


# --- generators ------------------------------------------------------------------------------

def _print_generated(env: "Env", fl: "FlagSet", ref_kind: str, obj: dict, dry: str,
                     server_obj: dict | None) -> None:
    fmt = fl["output"]
    shown = server_obj if server_obj is not None else obj
    name = obj["metadata"]["name"]
    printing.success(env, fmt, f"{ref_kind}/{name}", "created", shown, dry)


def _typed_meta(name: str, namespace: str, labels: dict | None = None) -> dict:
    meta: dict = {"creationTimestamp": None}
    if labels is not None:
        meta["labels"] = dict(labels)
    meta["name"] = name
    if namespace:
        meta["namespace"] = namespace
    return meta


def _container_name(image: str) -> str:
    name = image.split("/")[-1]
    if ":" in name:
        name = name.split(":")[0]
    if "@" in name:
        name = name.split("@")[0]
    return name


def deployment_object(env: "Env", name: str, images: list[str], replicas: int, port: int,
                      command: list[str], namespace: str) -> dict:
    labels = {"app": name}
    containers = []
    for image in images:
        cname = _container_name(image)
        if "_" in cname or "." in cname:
            cname = cname.replace("_", "-").replace(".", "-") + "-" + env.cluster.rand.suffix(5)
        c: dict = {}
        if command:
            c["command"] = list(command)
        c["image"] = image
        c["name"] = cname
        c["resources"] = {}
        containers.append(c)
    if port >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": port}]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _typed_meta(name, namespace, labels),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": dict(labels)},
                "spec": {"containers": containers},
            },
        },
        "status": {},
    }


def _generated(env: "Env", fl: "FlagSet", obj: dict, ref_kind: str, wrap: str | None) -> None:
    """Send (unless client dry run) and print a generated object; `wrap` is the typed-client
    prefix (`failed to create deployment`), None when the error is reported as the server's."""
    from k8scourse.kubectl.resources import for_kind

    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    directive = mutate.validation_directive(fl)
    if fl["save-config"]:
        mutate.set_last_applied(obj)
    server_obj = None
    if dry != "client":
        send = strip_nulls(obj)
        if not send["metadata"].get("namespace") and for_kind(obj["kind"]).namespaced:
            send["metadata"]["namespace"] = env.namespace
        try:
            server_obj = mutate.send_create(env, for_kind(obj["kind"]), send,
                                            directive=directive, dry_run=dry)
        except K8sError as e:
            if wrap:
                raise ClientError(f"{wrap}: {e}") from None
            raise
    _print_generated(env, fl, ref_kind, obj, dry, server_obj)


def strip_nulls(v):
    """The typed object as the API server decodes it: JSON nulls are absent fields."""
    if isinstance(v, dict):
        return {k: strip_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [strip_nulls(x) for x in v]
    return v


def run_create_deployment(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    name = name_from_args(env, fl, args)
    command = args[1:] if len(args) > 1 else []
    images = fl["image"]
    if len(images) > 1 and command:
        raise ClientError("cannot specify multiple --image options and command")
    obj = deployment_object(env, name, images, fl["replicas"], fl["port"], command,
                            env.namespace if env.explicit_namespace else "")
    _generated(env, fl, obj, "deployment.apps", "failed to create deployment")


def _parse_port(text: str, port_type: str = "tcp") -> tuple[int, int | str]:
    parts = text.split(":")
    p = parts[0]
    if not re.fullmatch(r"[0-9]+", p):
        raise ClientError(f'strconv.ParseUint: parsing "{p}": invalid syntax')
    port = int(p)
    if port > 65535:
        raise ClientError(f'strconv.ParseUint: parsing "{p}": value out of range')
    if len(parts) == 1:
        return port, port
    tp = parts[1]
    if re.fullmatch(r"[+-]?[0-9]+", tp):
        n = int(tp)
        if not 1 <= n <= 65535:
            raise ClientError("must be between 1 and 65535, inclusive")
        return port, n
    errs = _port_name_errors(tp)
    if errs:
        raise ClientError(",".join(errs))
    return port, tp


def _port_name_errors(name: str) -> list[str]:
    """validation.IsValidPortName."""
    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not re.fullmatch(r"[-a-z0-9]+", name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name and (name[0] == "-" or name[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def _run_create_service(env: "Env", fl: "FlagSet", args: list[str], stype: str) -> None:
    name = name_from_args(env, fl, args)
    tcp = fl["tcp"]
    cluster_ip = fl["clusterip"] if "clusterip" in fl.formal else ""
    node_port = fl["node-port"] if "node-port" in fl.formal else 0
    external = fl["external-name"] if "external-name" in fl.formal else ""
    if cluster_ip == "None" and stype != "ClusterIP":
        raise ClientError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not tcp and stype != "ExternalName":
        raise ClientError("at least one tcp port specifier must be provided")
    if stype == "ExternalName":
        from k8scourse.kubectl.selectors import _DNS1123_SUB_RE

        if len(external) > 253 or not _DNS1123_SUB_RE.match(external):
            raise ClientError(f"invalid service external name {external}")
    ports = []
    for spec in tcp:
        port, target = _parse_port(spec)
        p: dict = {"name": spec.replace(":", "-")}
        if node_port:
            p["nodePort"] = node_port
        p["port"] = port
        p["protocol"] = "TCP"
        p["targetPort"] = target
        ports.append(p)
    spec_: dict = {}
    if cluster_ip:
        spec_["clusterIP"] = cluster_ip
    if external:
        spec_["externalName"] = external
    if ports:
        spec_["ports"] = ports
    spec_["selector"] = {"app": name}
    spec_["type"] = stype
    obj = {"apiVersion": "v1", "kind": "Service",
           "metadata": _typed_meta(name, env.namespace if env.explicit_namespace else "",
                                   {"app": name}),
           "spec": spec_, "status": {"loadBalancer": {}}}
    _generated(env, fl, obj, "service", f"failed to create {stype} service")


def run_create_service_group(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import helptext

    if args:
        raise UsageError(f'unknown command "{" ".join(args)}"', env.path)
    env.ewrite(helptext.help_for(env.command))
    raise Exit(1)


def run_create_service_clusterip(env, fl, args):
    _run_create_service(env, fl, args, "ClusterIP")


def run_create_service_nodeport(env, fl, args):
    _run_create_service(env, fl, args, "NodePort")


def run_create_service_loadbalancer(env, fl, args):
    _run_create_service(env, fl, args, "LoadBalancer")


def run_create_service_externalname(env, fl, args):
    _run_create_service(env, fl, args, "ExternalName")


def run_create_namespace(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    name = name_from_args(env, fl, args)
    if not name:
        raise ClientError("name must be specified")
    obj = {"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"creationTimestamp": None, "name": name}, "spec": {}, "status": {}}
    _generated(env, fl, obj, "namespace", None)


_CONFIGMAP_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def run_create_configmap(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    name = name_from_args(env, fl, args)
    if fl["from-file"] or fl["from-env-file"]:
        if fl["from-file"] and fl["from-env-file"]:
            raise ClientError("from-env-file cannot be combined with from-file or from-literal")
    data: dict[str, str] = {}
    for lit in fl["from-literal"]:
        if "=" not in lit or lit.startswith("="):
            raise ClientError(f"invalid literal source {lit}, expected key=value")
        key, value = lit.split("=", 1)
        _check_key(key, name, data)
        data[key] = value
    for spec in fl["from-file"]:
        key, _, path = spec.partition("=") if "=" in spec else ("", "", spec)
        full = path if os.path.isabs(path) or not env.cwd else os.path.join(env.cwd, path)
        if not os.path.exists(full):
            raise ClientError(f"error reading {path}: no such file or directory")
        if os.path.isdir(full):
            for fn in sorted(os.listdir(full)):
                fp = os.path.join(full, fn)
                if os.path.isfile(fp):
                    _check_key(fn, name, data)
                    with open(fp, encoding="utf-8") as f:
                        data[fn] = f.read()
            continue
        key = key or os.path.basename(path)
        _check_key(key, name, data)
        with open(full, encoding="utf-8") as f:
            data[key] = f.read()
    for path in fl["from-env-file"]:
        full = path if os.path.isabs(path) or not env.cwd else os.path.join(env.cwd, path)
        if not os.path.exists(full):
            raise ClientError(f"error reading {path}: no such file or directory")
        with open(full, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                k, _, v = line.partition("=")
                data[k] = v
    obj: dict = {"apiVersion": "v1"}
    if data:
        obj["data"] = data
    obj["kind"] = "ConfigMap"
    obj["metadata"] = _typed_meta(name, env.namespace if env.explicit_namespace else "")
    _generated(env, fl, obj, "configmap", None)


def _check_key(key: str, name: str, data: dict) -> None:
    if not key or len(key) > 253 or not _CONFIGMAP_KEY.match(key) or key in (".", "..") or \
            key.startswith(".."):
        msg = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
               "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
               "'[-._a-zA-Z0-9]+')")
        raise ClientError(f'"{key}" is not a valid key name for a ConfigMap: {msg}')
    if key in data:
        raise ClientError(f'cannot add key "{key}", another key by that name already exists in '
                          f'Data for ConfigMap "{name}"')
