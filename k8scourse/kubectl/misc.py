"""The smaller commands: cluster-info, version, api-resources, api-versions, explain, config,
exec, top, auth, wait, options, help, and the real commands this course does not offer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8scourse.errors import BadRequest, ClientError, K8sError, NotFound
from k8scourse.kubectl import builder, resources
from k8scourse.kubectl.render import Exit, UsageError, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env

CLIENT_VERSION = "v1.32.5"
KUSTOMIZE_VERSION = "v5.5.0"


# --- contexts ----------------------------------------------------------------------------------

def _contexts(cluster: Any) -> dict:
    """The kubeconfig's contexts, created the way kubeadm or minikube write them."""
    kc = cluster.kubeconfig
    if "contexts" not in kc:
        cfg = cluster.config
        if cfg.flavour == "minikube":
            name, ctx = "minikube", {"cluster": "minikube", "user": "minikube",
                                     "namespace": "default"}
        else:
            name = f"kubernetes-admin@{cfg.name}"
            ctx = {"cluster": cfg.name, "user": "kubernetes-admin"}
            if kc.get("namespace") not in (None, "", "default"):
                ctx["namespace"] = kc["namespace"]
        kc["contexts"] = {name: ctx}
        kc["current-context"] = name
    return kc["contexts"]


def context_name(cluster: Any) -> str:
    """The current context: `kubernetes-admin@kubernetes` (kubeadm) or `minikube`."""
    _contexts(cluster)
    return cluster.kubeconfig["current-context"]


def _sync_namespace(cluster: Any) -> None:
    ctx = _contexts(cluster).get(context_name(cluster)) or {}
    cluster.kubeconfig["namespace"] = ctx.get("namespace") or "default"


def run_config_current_context(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    env.println(context_name(env.cluster))


def run_config_get_contexts(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl.tabwriter import format_rows

    contexts = _contexts(env.cluster)
    current = context_name(env.cluster)
    fmt = fl["output"]
    names = sorted(contexts)
    if args:
        missing = [a for a in args if a not in contexts]
        if missing:
            raise ClientError(f'context {missing[0]} not found')
        names = [a for a in args]
    if fmt == "name":
        for n in names:
            env.println(n)
        return
    if fmt:
        raise ClientError(f"output must be one of '' or 'name'")
    rows = [] if fl["no-headers"] else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
    for n in names:
        c = contexts[n]
        rows.append(["*" if n == current else "", n, c.get("cluster", ""), c.get("user", ""),
                     c.get("namespace", "")])
    env.write(format_rows(rows))


def run_config_get_clusters(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    env.println("NAME")
    seen = []
    for c in _contexts(env.cluster).values():
        if c.get("cluster") and c["cluster"] not in seen:
            seen.append(c["cluster"])
    for name in seen:
        env.println(name)


def run_config_get_users(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    env.println("NAME")
    seen = []
    for c in _contexts(env.cluster).values():
        if c.get("user") and c["user"] not in seen:
            seen.append(c["user"])
    for name in seen:
        env.println(name)


def run_config_set_context(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    contexts = _contexts(env.cluster)
    if fl["current"]:
        if args:
            raise ClientError("you cannot specify a context name and --current")
        name = context_name(env.cluster)
    else:
        if len(args) != 1:
            raise UsageError("Unexpected args: " + str(args) if args else
                             "you must specify a non-empty context name or --current", env.path)
        name = args[0]
    exists = name in contexts
    ctx = dict(contexts.get(name) or {})
    if fl.is_set("cluster"):
        ctx["cluster"] = fl["cluster"]
    if fl.is_set("user"):
        ctx["user"] = fl["user"]
    if fl.is_set("namespace"):
        if fl["namespace"]:
            ctx["namespace"] = fl["namespace"]
        else:
            ctx.pop("namespace", None)
    contexts[name] = ctx
    _sync_namespace(env.cluster)
    env.println(f'Context "{name}" {"modified" if exists else "created"}.')


def run_config_use_context(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    if len(args) != 1:
        raise ClientError("Unexpected args: " + str(args) if args else
                          "empty context names are not allowed")
    contexts = _contexts(env.cluster)
    name = args[0]
    if name not in contexts:
        raise ClientError(f'no context exists with the name: "{name}"')
    env.cluster.kubeconfig["current-context"] = name
    _sync_namespace(env.cluster)
    env.println(f'Switched to context "{name}".')


def run_config_view(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import output

    cfg = env.cluster.config
    contexts = _contexts(env.cluster)
    current = context_name(env.cluster)
    raw = fl["raw"]
    minikube = cfg.flavour == "minikube"
    clusters = []
    cluster_names = []
    for c in contexts.values():
        if c.get("cluster") and c["cluster"] not in cluster_names:
            cluster_names.append(c["cluster"])
    for cname in cluster_names:
        if minikube:
            entry = {"certificate-authority": "/home/student/.minikube/ca.crt",
                     "extensions": [{"extension": {"last-update": "Wed, 01 Jan 2025 00:00:00 UTC",
                                                   "provider": "minikube.sigs.k8s.io",
                                                   "version": "v1.35.0"},
                                     "name": "cluster_info"}],
                     "server": cfg.api_server_url}
        else:
            entry = {"certificate-authority-data": "DATA+OMITTED" if not raw else "LS0tLS1CRUdJTi"
                     "BDRVJUSUZJQ0FURS0tLS0tCg==", "server": cfg.api_server_url}
        clusters.append({"cluster": entry, "name": cname})
    ctx_list = []
    for name in sorted(contexts):
        c = contexts[name]
        body = {"cluster": c.get("cluster", "")}
        if minikube:
            body["extensions"] = [{"extension": {"last-update": "Wed, 01 Jan 2025 00:00:00 UTC",
                                                 "provider": "minikube.sigs.k8s.io",
                                                 "version": "v1.35.0"}, "name": "context_info"}]
        if c.get("namespace"):
            body["namespace"] = c["namespace"]
        body["user"] = c.get("user", "")
        ctx_list.append({"context": body, "name": name})
    if fl["minify"]:
        ctx_list = [c for c in ctx_list if c["name"] == current]
    users = []
    for uname in sorted({c.get("user") for c in contexts.values() if c.get("user")}):
        if minikube:
            u = {"client-certificate": "/home/student/.minikube/profiles/minikube/client.crt",
                 "client-key": "/home/student/.minikube/profiles/minikube/client.key"}
        else:
            u = {"client-certificate-data": "DATA+OMITTED" if not raw else "REDACTED",
                 "client-key-data": "DATA+OMITTED" if not raw else "REDACTED"}
        users.append({"name": uname, "user": u})
    doc = {"apiVersion": "v1", "clusters": clusters, "contexts": ctx_list,
           "current-context": current, "kind": "Config", "preferences": {}, "users": users}
    fmt = fl["output"] or "yaml"
    if fmt == "json":
        env.write(output.to_json(doc))
    elif fmt == "yaml":
        env.write(output.to_yaml(doc))
    else:
        from k8scourse.kubectl import printing

        env.write(printing.render(env, fmt, doc))


# --- cluster-info --------------------------------------------------------------------------

def run_cluster_info(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    if args:
        raise UsageError(f'unknown command "{" ".join(args)}"', env.path)
    url = env.cluster.config.api_server_url
    ns = env.flags.get("namespace") or "kube-system"
    env.println(f"Kubernetes control plane is running at {url}")
    t = resources.for_kind("Service")
    for svc in builder.list_by_selector(env, t, ns, "kubernetes.io/cluster-service=true", ""):
        spec = svc.get("spec") or {}
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        if ingress:
            ip = ingress[0].get("ip") or ingress[0].get("hostname", "")
            link = "".join(f"http://{ip}:{p.get('port')} " for p in spec.get("ports") or [])
        else:
            name = svc["metadata"]["name"]
            ports = spec.get("ports") or []
            if ports:
                port = ports[0]
                scheme = "https" if port.get("name") == "https" or port.get("port") == 443 else ""
                pname = port.get("name", "")
                if scheme:
                    name = f"{scheme}:{name}:{pname}"
                elif pname:
                    name = f"{name}:{pname}"
            link = f"{url}/api/v1/namespaces/{svc['metadata'].get('namespace')}/services/{name}/proxy"
        label = (svc["metadata"].get("labels") or {}).get("kubernetes.io/name") or \
            svc["metadata"]["name"]
        env.println(f"{label} is running at {link}")
    env.println("")
    env.println("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")


def run_cluster_info_dump(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    """A dump as kubectl writes it to stdout: JSON lists, then each container's log."""
    from k8scourse.kubectl import output

    if fl["output-directory"]:
        raise ClientError("--output-directory is not available in this course's cluster; the "
                          "dump is printed instead")
    fmt = fl["output"] or "json"

    def emit(items: list[dict], kind: str) -> None:
        doc = {"kind": f"{kind}List", "apiVersion": "v1" if kind not in (
            "Deployment", "ReplicaSet", "DaemonSet") else "apps/v1",
               "metadata": {"resourceVersion": str(env.api.store.resource_version)},
               "items": items}
        env.write(output.to_json(doc) if fmt == "json" else output.to_yaml(doc))

    emit(env.api.list("Node"), "Node")
    if fl["all-namespaces"]:
        namespaces = [n["metadata"]["name"] for n in env.api.list("Namespace")]
    else:
        namespaces = fl["namespaces"] or ["kube-system", "default"]
    from k8scourse.kubectl.logs import read_logs

    for ns in namespaces:
        for kind in ("Event", "ReplicationController", "Service", "DaemonSet", "Deployment",
                     "ReplicaSet", "Pod"):
            emit(env.api.list(kind, ns), kind)
        for pod in env.api.list("Pod", ns):
            for c in (pod.get("spec") or {}).get("containers") or []:
                env.println(f"==== START logs for container {c['name']} of pod "
                            f"{ns}/{pod['metadata']['name']} ====")
                try:
                    env.write(read_logs(env, pod, c["name"], previous=False, tail=None,
                                        timestamps=False))
                except K8sError as e:
                    env.println(f"Request log error: {e}")
                env.println(f"==== END logs for container {c['name']} of pod "
                            f"{ns}/{pod['metadata']['name']} ====")
    env.eprintln("Cluster info dumped to standard output")


# --- version, api-resources, api-versions, explain ----------------------------------------------

_VERSION_INFO = {
    "major": "1", "minor": "32", "gitVersion": CLIENT_VERSION,
    "gitCommit": "9894294ef13a5b32803e3ca2c0d620a088cc84d1", "gitTreeState": "clean",
    "buildDate": "2025-05-15T09:00:42Z", "goVersion": "go1.23.8", "compiler": "gc",
}


def run_version(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import output

    fmt = fl["output"]
    if fmt not in ("", "yaml", "json"):
        raise ClientError("--output must be 'yaml' or 'json'")
    client = {**_VERSION_INFO, "platform": "linux/amd64"}
    server = {**_VERSION_INFO, "platform": "linux/amd64"}
    if fmt:
        doc: dict = {"clientVersion": client, "kustomizeVersion": KUSTOMIZE_VERSION}
        if not fl["client"]:
            doc["serverVersion"] = server
        env.write(output.to_json(doc) if fmt == "json" else output.to_yaml(doc))
        return
    env.println(f"Client Version: {CLIENT_VERSION}")
    env.println(f"Kustomize Version: {KUSTOMIZE_VERSION}")
    if not fl["client"]:
        env.println(f"Server Version: {CLIENT_VERSION}")


def run_api_resources(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import apiresources

    if args:
        raise UsageError(f"unexpected arguments: {args}", env.path)
    namespaced = fl["namespaced"] if fl.is_set("namespaced") else None
    env.write(apiresources.table(output=fl["output"] or None, namespaced=namespaced,
                                 no_headers=fl["no-headers"],
                                 api_group=fl["api-group"] if fl.is_set("api-group") else None,
                                 sort_by=fl["sort-by"] or None))


def run_api_versions(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import apiresources

    versions = {r.api_version for r in apiresources.resources()} | {"autoscaling/v1"}
    for v in sorted(versions):
        env.println(v)


def run_explain(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.api import schema

    if not args:
        env.eprintln('You must specify the type of resource to explain. Use "kubectl '
                     'api-resources" for a complete list of supported resources.\n')
        raise UsageError("Required resource not specified.", env.path)
    if len(args) > 1:
        raise UsageError(f"We accept only this format: explain RESOURCE", env.path)
    fmt = fl["output"]
    if fmt not in ("plaintext", "plaintext-openapiv2"):
        raise ClientError(f'unsupported output format: {fmt}; supported formats: "plaintext", '
                          '"plaintext-openapiv2"')
    word, _, path = args[0].partition(".")
    t = resources.resolve(word)
    if not t.modelled or schema.kind_definition(t.kind) is None:
        raise ClientError(f'the explanation of "{t.plural}" is not available in this course\'s '
                          "cluster")
    if fl["api-version"] and fl["api-version"] != t.api_version:
        raise ClientError(f'couldn\'t find resource for "{fl["api-version"]}"')
    if fl["recursive"]:
        env.write(_explain_recursive(t.kind, path))
        return
    env.write(schema.explain(t.kind, path))


def _explain_recursive(kind: str, path: str) -> str:
    from k8scourse.api import schema

    info = schema.field_info(kind, path)
    lines = schema.explain_head(kind, info)
    if info["fields"]:
        lines.append("FIELDS:")

        def walk(p: str, depth: int, seen: tuple) -> None:
            sub = schema.field_info(kind, p)
            for fname, ttext in sub["fields"]:
                req = " -required-" if fname in sub["required_fields"] else ""
                lines.append(f"{'  ' * depth}{fname}\t{ttext}{req}")
                child = f"{p}.{fname}" if p else fname
                inner = schema.field_info(kind, child)
                tname = ttext.strip("<>").lstrip("[]")
                if inner["fields"] and tname not in seen and depth < 12:
                    walk(child, depth + 1, seen + (tname,))

        walk(path, 1, ())
    return "\n".join(lines) + "\n\n"


# --- exec, top, auth ------------------------------------------------------------------------

def run_exec(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl.logs import choose_container, pod_for

    dash = fl.args_len_at_dash
    if not args or dash == 0:
        raise UsageError("pod, type/name or --filename must be specified", env.path)
    if dash < 0 and len(args) > 1:
        raise ClientError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- "
                          "[COMMAND] instead")
    target = args[0]
    command = args[dash:] if dash > 0 else []
    if dash > 1:
        raise ClientError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- "
                          "[COMMAND] instead")
    if not command:
        raise ClientError("you must specify at least one command for the container")
    word, _, name = target.partition("/") if "/" in target else ("pods", "", target)
    t = resources.resolve(word)
    obj = builder.fetch(env, t, env.namespace if t.namespaced else "", name)
    pod = pod_for(env, resources.Info(t, env.namespace, name, obj), quiet=fl["quiet"])
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise ClientError(f"cannot exec into a container in a completed pod; current phase is "
                          f"{phase}")
    container = choose_container(env, pod, fl["container"]) if not fl["quiet"] else \
        (fl["container"] or (pod["spec"].get("containers") or [{}])[0].get("name", ""))
    if fl["tty"] and not fl["stdin"]:
        env.eprintln("Unable to use a TTY - input is not a terminal or the right kind of file")
    node = (pod.get("spec") or {}).get("nodeName")
    if not node:
        raise BadRequest(f"pod {pod['metadata']['name']} does not have a host assigned")
    if fl["stdin"] and command[0] in ("sh", "bash", "/bin/sh", "/bin/bash", "ash", "zsh") and \
            len(command) == 1:
        raise ClientError("this course's notebook cannot open an interactive shell; run one "
                          f"command at a time: kubectl exec {pod['metadata']['name']} -- "
                          "<command> [args...]")
    kubelet = getattr(env.cluster, "kubelets", {}).get(node)
    exec_fn = getattr(kubelet, "exec", None) if kubelet is not None else None
    if exec_fn is None:
        raise ClientError("unable to upgrade connection: exec is not available in this course's "
                          "cluster yet")
    import inspect

    kwargs = {}
    if fl["stdin"] and "stdin" in inspect.signature(exec_fn).parameters:
        kwargs["stdin"] = env.stdin
    try:
        result = exec_fn(pod["metadata"].get("namespace", "default"), pod["metadata"]["name"],
                         container, list(command), **kwargs)
    except BadRequest as e:
        if str(e).startswith("unable to upgrade connection"):
            raise ClientError(str(e)) from None
        raise
    code, out, err = _exec_result(result)
    env.write(out)
    env.ewrite(err)
    if code:
        env.eprintln(f"command terminated with exit code {code}")
        raise Exit(code)


def _exec_result(result: Any) -> tuple[int, str, str]:
    if isinstance(result, tuple) and len(result) == 3:
        return int(result[0]), result[1] or "", result[2] or ""
    code = getattr(result, "exit_code", 0)
    return int(code or 0), getattr(result, "stdout", "") or "", getattr(result, "stderr", "") or ""


def run_top(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    raise ClientError("Metrics API not available")


def run_can_i(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl.tabwriter import format_rows

    if fl["list"]:
        if args:
            raise ClientError("list option must be specified with no arguments")
        rows = [["Resources", "Non-Resource URLs", "Resource Names", "Verbs"],
                ["*.*", "[]", "[]", "[*]"], ["", "[*]", "[]", "[*]"]]
        if fl["no-headers"]:
            rows = rows[1:]
        env.write(format_rows(rows))
        return
    if len(args) < 2 and not (len(args) == 2):
        if len(args) == 1 and args[0].startswith("/"):
            pass
        else:
            raise UsageError("you must specify two arguments: verb resource or verb "
                             "resource/resourceName.", env.path)
    if not fl["quiet"]:
        env.println("yes")


def run_whoami(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl.tabwriter import format_rows

    if env.cluster.config.flavour == "minikube":
        user, groups = "minikube-user", ["system:masters", "system:authenticated"]
    else:
        user, groups = "kubernetes-admin", ["kubeadm:cluster-admins", "system:authenticated"]
    env.write(format_rows([["ATTRIBUTE", "VALUE"], ["Username", user],
                           ["Groups", "[" + " ".join(groups) + "]"]]))


# --- wait ------------------------------------------------------------------------------------

def run_wait(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    """`kubectl wait --for=condition=Ready|delete|jsonpath=...` in simulated time."""
    cond = fl["for"]
    if not cond:
        raise ClientError("--for must be specified")
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], field_selector=fl["field-selector"],
                        all_namespaces=fl["all-namespaces"], select_all=fl["all"],
                        allow_empty_selector=False, fetch_objects=cond != "delete")
    errors = [e for e in res.errors if not (cond == "delete" and isinstance(e, NotFound))]
    if errors:
        raise aggregate(errors)
    if not res.infos:
        raise ClientError("no matching resources found")
    check = _wait_condition(cond)
    clock = env.cluster.clock
    deadline = clock.now + fl["timeout"]
    for info in res.infos:
        t = info.rtype
        while True:
            obj = env.api.store.get(t.kind, info.namespace if t.namespaced else "", info.name)
            if check(obj):
                break
            nxt = clock.next_time()
            if nxt is None or nxt > deadline:
                clock.run(deadline) if nxt is not None else None
                obj = env.api.store.get(t.kind, info.namespace if t.namespaced else "",
                                        info.name)
                if check(obj):
                    break
                raise ClientError(f"timed out waiting for the condition on "
                                  f"{t.qualified_plural}/{info.name}")
            clock.step()
        verb = "deleted" if cond == "delete" else "condition met"
        env.println(f"{t.ref}/{info.name} {verb}")


def _wait_condition(cond: str):
    if cond == "delete":
        return lambda obj: obj is None
    if cond.startswith("condition="):
        spec = cond[len("condition="):]
        name, _, want = spec.partition("=")
        want = want or "True"

        def has(obj: dict | None) -> bool:
            if obj is None:
                return False
            for c in (obj.get("status") or {}).get("conditions") or []:
                if c.get("type", "").lower() == name.lower():
                    return str(c.get("status", "")).lower() == want.lower()
            return False
        return has
    if cond.startswith("jsonpath="):
        from k8scourse.kubectl import output

        spec = cond[len("jsonpath="):]
        expr, sep, want = spec.rpartition("=") if "}=" in spec else (spec, "", "")
        if not sep:
            expr = spec

        def matches(obj: dict | None) -> bool:
            if obj is None:
                return False
            try:
                got = output.jsonpath(expr, obj)
            except K8sError:
                return False
            return got == want if sep else bool(got)
        return matches
    raise ClientError(f"unrecognized condition: \"{cond}\"")


# --- help, options, the rest -----------------------------------------------------------------

def run_help(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import helptext
    from k8scourse.kubectl.commands import root

    cmd = root()
    for a in args:
        nxt = cmd.find(a)
        if nxt is None:
            env.println(f'Unknown help topic [`{" ".join(args)}`]')
            env.write(helptext.help_for(cmd))
            return
        cmd = nxt
    env.write(helptext.help_for(cmd))


def run_options(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import helptext

    env.write(helptext.help_for(env.command))


def run_not_in_course(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    raise ClientError(f'"{env.path}" is not available in this course\'s cluster')

