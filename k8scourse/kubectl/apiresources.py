"""`kubectl api-resources`: the resources a kubeadm v1.32 cluster serves.

The list is data (api_resources.tsv beside this file): the core group and every built-in
group that is GA and enabled by default in v1.32, with the short names, verbs and categories
the API server's discovery reports. kubectl sorts by group, then by name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from k8scourse.errors import ClientError
from k8scourse.kubectl.tabwriter import format_rows

__all__ = ["APIResource", "resources", "table"]

_DATA = Path(__file__).with_name("api_resources.tsv")


@dataclass(frozen=True)
class APIResource:
    """One row of discovery: `deployments deploy apps/v1 true Deployment`."""

    name: str
    short_names: tuple[str, ...]
    api_version: str
    namespaced: bool
    kind: str
    verbs: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]


def _split(field: str) -> tuple[str, ...]:
    return tuple(field.split(",")) if field else ()


@functools.lru_cache(maxsize=1)
def resources() -> tuple[APIResource, ...]:
    """Every served resource, in the order `kubectl api-resources` prints them."""
    rows = []
    lines = [ln for ln in _DATA.read_text().splitlines() if ln and not ln.startswith("#")]
    for line in lines[1:]:
        name, short, version, namespaced, kind, verbs, categories = line.split("\t")
        rows.append(APIResource(name, _split(short), version, namespaced == "true", kind,
                                _split(verbs), _split(categories)))
    # sort.Stable by API group, then by name
    rows.sort(key=lambda r: (r.group, r.name))
    return tuple(rows)


def table(wide: bool = False, namespaced: bool | None = None, output: str | None = None, *,
          no_headers: bool = False, api_group: str | None = None,
          sort_by: str | None = None) -> str:
    """The text `kubectl api-resources` prints.

    `namespaced` is `--namespaced=true|false` (None: both), `output` is `-o wide|name`,
    `api_group` is `--api-group`, `sort_by` is `--sort-by=name|kind`.
    """
    if wide:
        output = "wide"
    if output not in (None, "", "wide", "name"):
        raise ClientError(f"--output {output} is not available")
    if sort_by not in (None, "", "name", "kind"):
        raise ClientError("--sort-by accepts only name or kind")
    rows = [r for r in resources()
            if (namespaced is None or r.namespaced == namespaced)
            and (api_group is None or r.group == api_group)]
    if sort_by == "name":
        rows.sort(key=lambda r: (r.name, r.name))
    elif sort_by == "kind":
        rows.sort(key=lambda r: (r.kind, r.name))
    if output == "name":
        return "".join(f"{r.name}.{r.group}\n" if r.group else f"{r.name}\n" for r in rows)
    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if output == "wide":
        header += ["VERBS", "CATEGORIES"]
    lines = [] if no_headers else [header]
    for r in rows:
        line = [r.name, ",".join(r.short_names), r.api_version,
                "true" if r.namespaced else "false", r.kind]
        if output == "wide":
            line += [",".join(r.verbs), ",".join(r.categories)]
        lines.append(line)
    return format_rows(lines)
