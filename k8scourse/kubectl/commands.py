"""kubectl's command tree: names, flags (pflag definitions) and the function each one runs.

Only the flag definitions live here; each command's behaviour is in its own module (get.py,
create.py, ...), imported when the command runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from k8scourse.kubectl.flags import ARRAY, BOOL, DURATION, INT, SLICE, STRING, Flag


@dataclass
class Command:
    """One cobra command."""

    name: str
    flags: list[Flag] = field(default_factory=list)
    #: "module:function", called as fn(env, flags, args); None for a group (prints its help)
    run: str | None = None
    aliases: tuple[str, ...] = ()
    subcommands: list["Command"] = field(default_factory=list)
    parent: "Command | None" = None
    short: str = ""
    hidden: bool = False
    suggest_for: tuple[str, ...] = ()
    #: cobra's MarkFlagRequired
    required: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        parts = []
        c: Command | None = self
        while c is not None:
            parts.append(c.name)
            c = c.parent
        return " ".join(reversed(parts))

    def find(self, word: str) -> "Command | None":
        for c in self.subcommands:
            if c.name == word or word in c.aliases:
                return c
        return None


# --- flag groups ------------------------------------------------------------------------------

def _print_flags(output_default: str = "") -> list[Flag]:
    return [
        Flag("output", STRING, output_default, "o"),
        Flag("template", STRING),
        Flag("allow-missing-template-keys", BOOL, True),
        Flag("show-managed-fields", BOOL),
    ]


def _filename_flags() -> list[Flag]:
    return [Flag("filename", SLICE, None, "f"), Flag("kustomize", STRING, "", "k"),
            Flag("recursive", BOOL, False, "R")]


def _dry_run() -> Flag:
    return Flag("dry-run", STRING, "none", no_opt="unchanged")


def _validate() -> Flag:
    return Flag("validate", STRING, "strict", no_opt="strict")


def _field_manager(default: str) -> Flag:
    return Flag("field-manager", STRING, default)


def _selector() -> Flag:
    return Flag("selector", STRING, "", "l")


def _mutation_flags(manager: str) -> list[Flag]:
    return [*_print_flags(), _dry_run(), Flag("save-config", BOOL), _validate(),
            _field_manager(manager)]


GLOBAL_FLAGS: list[Flag] = [
    Flag("as", STRING), Flag("as-group", ARRAY), Flag("as-uid", STRING),
    Flag("cache-dir", STRING, "$HOME/.kube/cache"), Flag("certificate-authority", STRING),
    Flag("client-certificate", STRING), Flag("client-key", STRING), Flag("cluster", STRING),
    Flag("context", STRING), Flag("disable-compression", BOOL),
    Flag("insecure-skip-tls-verify", BOOL), Flag("kubeconfig", STRING),
    Flag("match-server-version", BOOL), Flag("namespace", STRING, "", "n"),
    Flag("password", STRING), Flag("profile", STRING, "none"),
    Flag("profile-output", STRING, "profile.pprof"), Flag("request-timeout", STRING, "0"),
    Flag("server", STRING, "", "s"), Flag("tls-server-name", STRING), Flag("token", STRING),
    Flag("user", STRING), Flag("username", STRING), Flag("warnings-as-errors", BOOL),
    Flag("v", STRING, "0", "v"), Flag("vmodule", STRING),
    Flag("log-flush-frequency", DURATION, 5.0),
]


def _c(name: str, run: str | None, flags: list[Flag] | None = None, **kw) -> Command:
    return Command(name, flags or [], run, **kw)


def _tree() -> Command:
    m = "k8scourse.kubectl."
    get = _c("get", m + "get:run_get", [
        *_print_flags(), Flag("no-headers", BOOL), Flag("show-labels", BOOL),
        Flag("show-kind", BOOL), Flag("label-columns", SLICE, None, "L"), Flag("sort-by", STRING),
        Flag("raw", STRING), Flag("watch", BOOL, False, "w"), Flag("watch-only", BOOL),
        Flag("output-watch-events", BOOL), Flag("ignore-not-found", BOOL),
        Flag("field-selector", STRING), Flag("all-namespaces", BOOL, False, "A"),
        Flag("server-print", BOOL, True), *_filename_flags(), Flag("chunk-size", INT, 500),
        _selector(), Flag("subresource", STRING)], suggest_for=("list", "ps"))
    describe = _c("describe", m + "describecmd:run_describe", [
        _selector(), Flag("all-namespaces", BOOL, False, "A"), Flag("show-events", BOOL, True),
        Flag("chunk-size", INT, 500), *_filename_flags()])

    create_common = _mutation_flags("kubectl-create")
    create = _c("create", m + "create:run_create", [
        *_filename_flags(), Flag("edit", BOOL), Flag("windows-line-endings", BOOL),
        Flag("save-config", BOOL), _selector(), Flag("raw", STRING), _dry_run(), *_print_flags(),
        _validate(), _field_manager("kubectl-create")])
    svc_common = [Flag("tcp", SLICE), Flag("clusterip", STRING), *create_common]
    create.subcommands = [
        _c("deployment", m + "create:run_create_deployment", [
            Flag("image", SLICE), Flag("port", INT, -1), Flag("replicas", INT, 1, "r"),
            *create_common], aliases=("deploy",), required=("image",)),
        _c("service", m + "create:run_create_service_group", [], aliases=("svc",),
           subcommands=[
               _c("clusterip", m + "create:run_create_service_clusterip", list(svc_common)),
               _c("nodeport", m + "create:run_create_service_nodeport",
                  [Flag("tcp", SLICE), Flag("node-port", INT, 0), *create_common]),
               _c("loadbalancer", m + "create:run_create_service_loadbalancer",
                  [Flag("tcp", SLICE), *create_common]),
               _c("externalname", m + "create:run_create_service_externalname",
                  [Flag("tcp", SLICE), Flag("external-name", STRING), *create_common],
                  required=("external-name",)),
           ]),
        _c("namespace", m + "create:run_create_namespace", list(create_common), aliases=("ns",)),
        _c("configmap", m + "create:run_create_configmap", [
            Flag("from-file", SLICE), Flag("from-literal", ARRAY), Flag("from-env-file", SLICE),
            Flag("append-hash", BOOL), *create_common], aliases=("cm",)),
    ]
    for sub in create.subcommands[1].subcommands:
        sub.parent = create.subcommands[1]
    for name in ("clusterrole", "clusterrolebinding", "cronjob", "ingress", "job",
                 "poddisruptionbudget", "priorityclass", "quota", "role", "rolebinding", "secret",
                 "serviceaccount", "token"):
        create.subcommands.append(_c(name, m + "create:run_create_unsupported", list(
            create_common)))

    apply = _c("apply", m + "apply:run_apply", [
        *_filename_flags(), *_print_flags(), _dry_run(), Flag("prune", BOOL), Flag("all", BOOL),
        _selector(), Flag("force", BOOL), Flag("grace-period", INT, -1),
        Flag("timeout", DURATION), Flag("wait", BOOL), Flag("overwrite", BOOL, True),
        Flag("cascade", STRING, "background", no_opt="background"),
        _field_manager("kubectl-client-side-apply"), _validate(), Flag("server-side", BOOL),
        Flag("force-conflicts", BOOL), Flag("prune-allowlist", ARRAY),
        Flag("openapi-patch", BOOL, True)])
    apply.subcommands = [
        _c("view-last-applied", m + "apply:run_view_last_applied",
           [*_filename_flags(), Flag("output", STRING, "yaml", "o"), _selector(),
            Flag("all", BOOL)]),
        _c("set-last-applied", m + "apply:run_unsupported", [*_filename_flags(), *_print_flags(),
                                                              _dry_run(), Flag("create-annotation", BOOL)]),
        _c("edit-last-applied", m + "apply:run_unsupported", [*_filename_flags(), *_print_flags()]),
    ]
    replace = _c("replace", m + "apply:run_replace", [
        *_filename_flags(), Flag("force", BOOL), Flag("grace-period", INT, -1),
        Flag("timeout", DURATION), Flag("wait", BOOL),
        Flag("cascade", STRING, "background", no_opt="background"), *_print_flags(), _dry_run(),
        Flag("save-config", BOOL), _validate(), Flag("raw", STRING), Flag("subresource", STRING),
        _field_manager("kubectl-replace")])
    delete = _c("delete", m + "delete:run_delete", [
        Flag("all", BOOL), Flag("all-namespaces", BOOL, False, "A"),
        Flag("cascade", STRING, "background", no_opt="background"), Flag("field-selector", STRING),
        *_filename_flags(), Flag("force", BOOL), Flag("grace-period", INT, -1),
        Flag("ignore-not-found", BOOL), Flag("interactive", BOOL, False, "i"), Flag("now", BOOL),
        Flag("output", STRING, "", "o"), Flag("raw", STRING), _selector(),
        Flag("timeout", DURATION), Flag("wait", BOOL, True), _dry_run()], suggest_for=("rm",))
    run = _c("run", m + "runpod:run_run", [
        Flag("image", STRING), Flag("port", STRING), Flag("labels", STRING, "", "l"),
        Flag("env", ARRAY), Flag("command", BOOL), Flag("restart", STRING, "Always"),
        Flag("rm", BOOL), Flag("stdin", BOOL, False, "i"), Flag("tty", BOOL, False, "t"),
        Flag("attach", BOOL), Flag("leave-stdin-open", BOOL), Flag("quiet", BOOL, False, "q"),
        Flag("expose", BOOL), Flag("overrides", STRING), Flag("image-pull-policy", STRING),
        Flag("annotations", ARRAY), Flag("privileged", BOOL),
        Flag("pod-running-timeout", DURATION, 60.0), *_print_flags(), Flag("dry-run", STRING, "none"),
        Flag("save-config", BOOL), _field_manager("kubectl-run"), *_filename_flags(),
        Flag("cascade", STRING, "background", no_opt="background"), Flag("force", BOOL),
        Flag("grace-period", INT, -1), Flag("timeout", DURATION), Flag("wait", BOOL)],
        required=("image",))
    expose = _c("expose", m + "expose:run_expose", [
        Flag("protocol", STRING), Flag("port", STRING), Flag("type", STRING),
        Flag("load-balancer-ip", STRING), Flag("selector", STRING), Flag("labels", STRING, "", "l"),
        Flag("container-port", STRING), Flag("target-port", STRING), Flag("external-ip", STRING),
        Flag("name", STRING), Flag("session-affinity", STRING), Flag("cluster-ip", STRING),
        Flag("override-type", STRING, "merge"), Flag("overrides", STRING), *_print_flags(),
        _dry_run(), Flag("save-config", BOOL), _field_manager("kubectl-expose"),
        *_filename_flags()])
    scale = _c("scale", m + "scale:run_scale", [
        Flag("all", BOOL), _selector(), Flag("resource-version", STRING),
        Flag("current-replicas", INT, -1), Flag("replicas", INT, -1), Flag("timeout", DURATION),
        *_print_flags(), _dry_run(), *_filename_flags(), Flag("record", BOOL)],
        required=("replicas",))
    set_ = _c("set", None, [], subcommands=[
        _c("image", m + "scale:run_set_image", [
            Flag("all", BOOL), _selector(), Flag("local", BOOL), *_print_flags(), _dry_run(),
            *_filename_flags(), _field_manager("kubectl-set"), Flag("record", BOOL)]),
        _c("env", m + "scale:run_set_unsupported", [*_filename_flags(), *_print_flags()]),
        _c("resources", m + "scale:run_set_unsupported", [*_filename_flags(), *_print_flags()]),
        _c("selector", m + "scale:run_set_unsupported", [*_filename_flags(), *_print_flags()]),
        _c("serviceaccount", m + "scale:run_set_unsupported",
           [*_filename_flags(), *_print_flags()], aliases=("sa",)),
        _c("subject", m + "scale:run_set_unsupported", [*_filename_flags(), *_print_flags()]),
    ])
    label = _c("label", m + "label:run_label", [
        Flag("overwrite", BOOL), Flag("local", BOOL), Flag("all", BOOL),
        Flag("all-namespaces", BOOL, False, "A"), _selector(), Flag("field-selector", STRING),
        Flag("resource-version", STRING), Flag("list", BOOL), *_filename_flags(), *_print_flags(),
        _dry_run(), _field_manager("kubectl-label")])
    annotate = _c("annotate", m + "label:run_annotate", [
        Flag("overwrite", BOOL), Flag("local", BOOL), Flag("all", BOOL),
        Flag("all-namespaces", BOOL, False, "A"), _selector(), Flag("field-selector", STRING),
        Flag("resource-version", STRING), Flag("list", BOOL), *_filename_flags(), *_print_flags(),
        _dry_run(), _field_manager("kubectl-annotate")])
    patch = _c("patch", m + "patch:run_patch", [
        Flag("patch", STRING, "", "p"), Flag("patch-file", STRING), Flag("type", STRING, "strategic"),
        Flag("local", BOOL), *_print_flags(), _dry_run(), *_filename_flags(),
        Flag("subresource", STRING), _field_manager("kubectl-patch")])
    rollout_common = [*_filename_flags(), _selector()]
    rollout = _c("rollout", None, [], subcommands=[
        _c("status", m + "rollout:run_status", [
            Flag("watch", BOOL, True, "w"), Flag("revision", INT, 0), Flag("timeout", DURATION),
            *rollout_common]),
        _c("history", m + "rollout:run_history", [Flag("revision", INT, 0), *rollout_common,
                                                   *_print_flags()]),
        _c("undo", m + "rollout:run_undo", [Flag("to-revision", INT, 0), _dry_run(),
                                             *rollout_common, *_print_flags()]),
        _c("pause", m + "rollout:run_pause", [*rollout_common, *_print_flags(),
                                               _field_manager("kubectl-rollout")]),
        _c("resume", m + "rollout:run_resume", [*rollout_common, *_print_flags(),
                                                 _field_manager("kubectl-rollout")]),
        _c("restart", m + "rollout:run_restart", [*rollout_common, *_print_flags(),
                                                   _field_manager("kubectl-rollout")]),
    ])
    logs = _c("logs", m + "logs:run_logs", [
        Flag("all-containers", BOOL), Flag("all-pods", BOOL), Flag("container", STRING, "", "c"),
        Flag("follow", BOOL, False, "f"), Flag("ignore-errors", BOOL),
        Flag("insecure-skip-tls-verify-backend", BOOL), Flag("limit-bytes", INT, 0),
        Flag("max-log-requests", INT, 5), Flag("pod-running-timeout", DURATION, 20.0),
        Flag("prefix", BOOL), Flag("previous", BOOL, False, "p"), _selector(),
        Flag("since", DURATION), Flag("since-time", STRING), Flag("tail", INT, -1),
        Flag("timestamps", BOOL)])
    cordon = _c("cordon", m + "nodes:run_cordon", [_dry_run(), _selector()])
    uncordon = _c("uncordon", m + "nodes:run_uncordon", [_dry_run(), _selector()])
    drain = _c("drain", m + "nodes:run_drain", [
        Flag("force", BOOL), Flag("grace-period", INT, -1), Flag("ignore-daemonsets", BOOL),
        Flag("ignore-errors", BOOL), Flag("delete-emptydir-data", BOOL),
        Flag("delete-local-data", BOOL), Flag("timeout", DURATION), _dry_run(), _selector(),
        Flag("pod-selector", STRING), Flag("skip-wait-for-delete-timeout", INT, 0),
        Flag("disable-eviction", BOOL), Flag("chunk-size", INT, 500)])
    taint = _c("taint", m + "nodes:run_taint", [
        Flag("all", BOOL), Flag("overwrite", BOOL), _selector(), _validate(), *_print_flags(),
        _dry_run(), _field_manager("kubectl-taint")])
    cluster_info = _c("cluster-info", m + "misc:run_cluster_info", [], subcommands=[
        _c("dump", m + "misc:run_cluster_info_dump", [
            Flag("all-namespaces", BOOL, False, "A"), Flag("namespaces", SLICE),
            Flag("output-directory", STRING), Flag("pod-running-timeout", DURATION, 20.0),
            *_print_flags("json")])])
    version = _c("version", m + "misc:run_version", [Flag("client", BOOL),
                                                      Flag("output", STRING, "", "o")])
    api_resources = _c("api-resources", m + "misc:run_api_resources", [
        Flag("api-group", STRING), Flag("cached", BOOL), Flag("categories", SLICE),
        Flag("namespaced", BOOL, True), Flag("no-headers", BOOL), Flag("output", STRING, "", "o"),
        Flag("sort-by", STRING), Flag("verbs", SLICE)])
    api_versions = _c("api-versions", m + "misc:run_api_versions", [])
    explain = _c("explain", m + "misc:run_explain", [
        Flag("api-version", STRING), Flag("recursive", BOOL),
        Flag("output", STRING, "plaintext", "o")])
    config = _c("config", None, [], subcommands=[
        _c("current-context", m + "misc:run_config_current_context", []),
        _c("get-contexts", m + "misc:run_config_get_contexts", [
            Flag("no-headers", BOOL), Flag("output", STRING, "", "o")]),
        _c("get-clusters", m + "misc:run_config_get_clusters", []),
        _c("get-users", m + "misc:run_config_get_users", []),
        _c("set-context", m + "misc:run_config_set_context", [
            Flag("current", BOOL), Flag("cluster", STRING), Flag("user", STRING),
            Flag("namespace", STRING)]),
        _c("use-context", m + "misc:run_config_use_context", [], aliases=("use",)),
        _c("view", m + "misc:run_config_view", [
            Flag("minify", BOOL), Flag("flatten", BOOL), Flag("raw", BOOL),
            Flag("merge", STRING, "true"), *_print_flags("yaml")]),
    ])
    exec_ = _c("exec", m + "misc:run_exec", [
        Flag("container", STRING, "", "c"), Flag("filename", SLICE, None, "f"),
        Flag("pod-running-timeout", DURATION, 60.0), Flag("quiet", BOOL, False, "q"),
        Flag("stdin", BOOL, False, "i"), Flag("tty", BOOL, False, "t")])
    top = _c("top", None, [], subcommands=[
        _c("node", m + "misc:run_top", [_selector(), Flag("no-headers", BOOL),
                                         Flag("sort-by", STRING), Flag("show-capacity", BOOL),
                                         Flag("use-protocol-buffers", BOOL, True)],
           aliases=("nodes", "no")),
        _c("pod", m + "misc:run_top", [_selector(), Flag("no-headers", BOOL),
                                        Flag("sort-by", STRING), Flag("containers", BOOL),
                                        Flag("all-namespaces", BOOL, False, "A"),
                                        Flag("field-selector", STRING), Flag("sum", BOOL),
                                        Flag("use-protocol-buffers", BOOL, True)],
           aliases=("pods", "po")),
    ])
    auth = _c("auth", None, [], subcommands=[
        _c("can-i", m + "misc:run_can_i", [
            Flag("all-namespaces", BOOL, False, "A"), Flag("list", BOOL),
            Flag("no-headers", BOOL), Flag("quiet", BOOL, False, "q"),
            Flag("subresource", STRING)]),
        _c("whoami", m + "misc:run_whoami", [Flag("output", STRING, "", "o")]),
        _c("reconcile", m + "misc:run_not_in_course", [*_filename_flags()]),
    ])
    events = _c("events", m + "get:run_events", [
        Flag("all-namespaces", BOOL, False, "A"), Flag("chunk-size", INT, 500),
        Flag("for", STRING), Flag("no-headers", BOOL), Flag("output", STRING, "", "o"),
        Flag("types", SLICE), Flag("watch", BOOL, False, "w"), Flag("template", STRING),
        Flag("allow-missing-template-keys", BOOL, True), Flag("show-managed-fields", BOOL)])
    wait = _c("wait", m + "misc:run_wait", [
        Flag("all", BOOL), Flag("all-namespaces", BOOL, False, "A"),
        Flag("field-selector", STRING), *_filename_flags(), Flag("for", STRING),
        Flag("local", BOOL), _selector(), Flag("timeout", DURATION, 30.0), *_print_flags()])

    not_here = m + "misc:run_not_in_course"
    others = [
        _c("edit", not_here, [*_filename_flags(), *_print_flags(), Flag("output-patch", BOOL),
                              Flag("windows-line-endings", BOOL), Flag("save-config", BOOL),
                              _validate(), _field_manager("kubectl-edit"),
                              Flag("subresource", STRING)]),
        _c("autoscale", not_here, [*_filename_flags(), *_print_flags(), Flag("min", INT, -1),
                                   Flag("max", INT, -1), Flag("cpu-percent", INT, -1),
                                   Flag("name", STRING), _dry_run(), Flag("save-config", BOOL),
                                   _field_manager("kubectl-autoscale")]),
        _c("certificate", not_here, []),
        _c("attach", not_here, [Flag("container", STRING, "", "c"), Flag("stdin", BOOL, False, "i"),
                                Flag("tty", BOOL, False, "t"), Flag("quiet", BOOL, False, "q"),
                                Flag("pod-running-timeout", DURATION, 60.0)]),
        _c("port-forward", not_here, [Flag("address", SLICE),
                                      Flag("pod-running-timeout", DURATION, 60.0)]),
        _c("proxy", not_here, [Flag("port", INT, 8001, "p"), Flag("address", STRING),
                               Flag("accept-hosts", STRING), Flag("www", STRING, "", "w")]),
        _c("cp", not_here, [Flag("container", STRING, "", "c"), Flag("no-preserve", BOOL),
                            Flag("retries", INT, 0)]),
        _c("debug", not_here, [Flag("image", STRING), Flag("stdin", BOOL, False, "i"),
                               Flag("tty", BOOL, False, "t"), Flag("target", STRING),
                               Flag("container", STRING, "", "c"), Flag("copy-to", STRING),
                               Flag("profile", STRING, "legacy")]),
        _c("diff", not_here, [*_filename_flags(), Flag("server-side", BOOL), _selector(),
                              Flag("prune", BOOL), _field_manager("kubectl-client-side-apply"),
                              Flag("force-conflicts", BOOL), Flag("concurrency", INT, 1)]),
        _c("kustomize", not_here, []),
        _c("completion", not_here, []),
        _c("plugin", not_here, []),
        _c("options", m + "misc:run_options", []),
        _c("alpha", None, [], hidden=True),
    ]
    by_name = {c.name: c for c in others}
    root = Command("kubectl", [], None, subcommands=[
        create, expose, run, set_, explain, get, by_name["edit"], delete, rollout, scale,
        by_name["autoscale"], by_name["certificate"], cluster_info, top, cordon, uncordon, drain,
        taint, describe, logs, by_name["attach"], exec_, by_name["port-forward"],
        by_name["proxy"], by_name["cp"], auth, by_name["debug"], events, by_name["diff"], apply,
        patch, replace, wait, by_name["kustomize"], label, annotate, by_name["completion"],
        by_name["alpha"], config, by_name["plugin"], version, api_versions, api_resources,
        by_name["options"], _c("help", m + "misc:run_help", []),
    ])
    _link(root)
    return root


def _link(cmd: Command) -> None:
    for sub in cmd.subcommands:
        sub.parent = cmd
        _link(sub)


_ROOT: Command | None = None


def root() -> Command:
    global _ROOT
    if _ROOT is None:
        _ROOT = _tree()
    return _ROOT
