"""The image catalog: what the registries hold, how big each image is and how long it takes to pull.

Image references are parsed as docker/distribution's `reference.ParseNormalizedNamed` does:

    >>> parse("nginx").full
    'docker.io/library/nginx:latest'
    >>> parse("registry.k8s.io/pause:3.10").familiar
    'registry.k8s.io/pause:3.10'

The catalog knows the repositories the course uses, their real tags (with `latest` pointing at the
version it pointed at in mid-2025) and realistic compressed sizes (what containerd reports as
"Image size" in the Pulled event). A repository it does not know does not exist (a pull fails with
the registry's "pull access denied"); a tag it does not know for a known repository fails with
"not found". The course's own local images (`voting-app`, `worker`, `result-app`) are served by the
course's local registry: they pull like any other image.

Digests are deterministic: sha256 of the image's name and version, so the same image shows the same
imageID on every node and in every run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

DEFAULT_DOMAIN = "docker.io"
OFFICIAL_PREFIX = "library/"
DEFAULT_TAG = "latest"

# docker/distribution reference grammar (reference/regexp.go)
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?)"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
REFERENCE_RE = re.compile(rf"^({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?$")
_HEX64_RE = re.compile(r"^[a-f0-9]{64}$")
NAME_TOTAL_LENGTH_MAX = 255


class ReferenceError_(ValueError):
    """An image reference the runtime cannot parse; str() is distribution's error text."""


@dataclass(frozen=True)
class ImageRef:
    """A parsed image reference: `docker.io` / `library/nginx` : `1.27` @ `sha256:...`."""

    domain: str
    path: str
    tag: str           # "" when only a digest was given
    digest: str = ""
    original: str = ""

    @property
    def name(self) -> str:
        """The full repository name: `docker.io/library/nginx`."""
        return f"{self.domain}/{self.path}"

    @property
    def full(self) -> str:
        """What containerd pulls and reports: `docker.io/library/nginx:latest`."""
        if self.digest and not self.tag:
            return f"{self.name}@{self.digest}"
        return f"{self.name}:{self.tag}"

    @property
    def repository(self) -> str:
        """The repository as people write it (the catalog's and the apps' key): `nginx`,
        `kodekloud/webapp-color`, `registry.k8s.io/pause`."""
        if self.domain == DEFAULT_DOMAIN:
            return self.path[len(OFFICIAL_PREFIX):] if self.path.startswith(OFFICIAL_PREFIX) else self.path
        return self.name

    @property
    def familiar(self) -> str:
        """docker's short form with the tag: `nginx:latest`, `kodekloud/webapp-color:v1`."""
        if self.digest and not self.tag:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag}"


@lru_cache(maxsize=4096)
def parse(reference: str) -> ImageRef:
    """ParseNormalizedNamed plus the kubelet's default tag (`:latest` when there is neither a tag
    nor a digest). Raises ReferenceError_ with distribution's text for a malformed reference."""
    s = reference
    if _HEX64_RE.match(s):
        raise ReferenceError_(f"invalid repository name ({s}), cannot specify 64-byte "
                              "hexadecimal strings")
    m = REFERENCE_RE.match(s)
    if m is None:
        if not s:
            raise ReferenceError_("repository name must have at least one component")
        if REFERENCE_RE.match(s.lower()):
            raise ReferenceError_("invalid reference format: repository name must be lowercase")
        raise ReferenceError_("invalid reference format")
    name, tag, digest = m.group(1), m.group(2) or "", m.group(3) or ""
    if len(name) > NAME_TOTAL_LENGTH_MAX:
        raise ReferenceError_(f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} "
                              "characters")
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        domain, path = first, rest
    else:
        domain, path = DEFAULT_DOMAIN, name
    if domain == "index.docker.io":
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in path:
        path = OFFICIAL_PREFIX + path
    if any(c.isupper() for c in path):
        raise ReferenceError_("invalid reference format: repository name must be lowercase")
    if not tag and not digest:
        tag = DEFAULT_TAG
    return ImageRef(domain, path, tag, digest, reference)


@lru_cache(maxsize=4096)
def digest_of(name: str, version: str) -> str:
    """A stable `sha256:<64 hex>` for one image version."""
    return "sha256:" + hashlib.sha256(f"{name}:{version}".encode()).hexdigest()


# ----------------------------------------------------------------------------------------------
# the catalog

@dataclass
class Repository:
    """One repository of a registry and the versions it holds."""

    name: str                               # as written: "nginx", "registry.k8s.io/pause"
    sizes: dict[str, int]                   # tag -> compressed size in bytes
    aliases: dict[str, str] = field(default_factory=dict)   # tag -> the tag it points at
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    ports: tuple[str, ...] = ()             # EXPOSE, e.g. ("80/tcp",)
    #: "busybox" (ash and its applets), "debian"/"ubuntu"/"alpine" (a distro userland), or ""
    #: (distroless: no shell, only the image's own binary)
    userland: str = "debian"
    #: extra executables the image adds to the userland (nginx, redis-server, ...)
    binaries: tuple[str, ...] = ()
    #: the course's local registry serves it (no public registry has it)
    local: bool = False
    #: what the default command does when the catalog has no richer behaviour: "server" runs until
    #: stopped, "shell" is a shell that exits at once without a terminal
    kind: str = "server"

    def resolve(self, tag: str) -> str | None:
        """The concrete version a tag names, or None when the registry has no such tag."""
        tag = self.aliases.get(tag, tag)
        return tag if tag in self.sizes else None


@dataclass(frozen=True)
class Image:
    """One image version as a node stores it."""

    name: str            # docker.io/library/nginx
    version: str         # the concrete tag (latest resolved): 1.27.5
    size: int
    digest: str
    repository: Repository

    @property
    def repo_digest(self) -> str:
        return f"{self.name}@{self.digest}"


def _mb(x: float) -> int:
    return int(x * 1_000_000)


def _repo(name, sizes, latest=None, aliases=None, **kw) -> Repository:
    al = dict(aliases or {})
    if latest is not None:
        al["latest"] = latest
    return Repository(name, {k: int(v) for k, v in sizes.items()}, al, **kw)


K8S = "v1.32.5"

#: Every repository the model's registries hold, keyed by its written name.
CATALOG: dict[str, Repository] = {r.name: r for r in [
    # web servers ------------------------------------------------------------------------------
    _repo("nginx", {
        "1.27.5": 72_195_292, "1.27.4": 72_188_133, "1.27.3": 72_099_410, "1.26.3": 71_027_551,
        "1.25.5": 70_987_012, "1.24.0": 56_816_519, "1.23.4": 56_757_343, "1.21.6": 54_168_401,
        "1.20.2": 53_629_345, "1.19.10": 53_377_905, "1.18.0": 53_603_616, "1.17.10": 51_228_163,
        "1.16.1": 51_030_575, "1.15.12": 44_690_024, "1.14.2": 44_708_492, "1.13.12": 44_294_231,
        "1.27.5-alpine": 20_509_134, "1.26.3-alpine": 20_377_962,
    }, latest="1.27.5", aliases={
        "1.27": "1.27.5", "1": "1.27.5", "mainline": "1.27.5", "stable": "1.26.3", "1.26": "1.26.3",
        "1.25": "1.25.5", "1.24": "1.24.0", "1.23": "1.23.4", "1.21": "1.21.6", "1.20": "1.20.2",
        "1.19": "1.19.10", "1.18": "1.18.0", "1.17": "1.17.10", "1.16": "1.16.1", "1.15": "1.15.12",
        "1.14": "1.14.2", "1.13": "1.13.12", "alpine": "1.27.5-alpine",
        "1.27-alpine": "1.27.5-alpine", "stable-alpine": "1.26.3-alpine",
    }, entrypoint=["/docker-entrypoint.sh"], cmd=["nginx", "-g", "daemon off;"], ports=("80/tcp",),
        binaries=("nginx", "nginx-debug", "/docker-entrypoint.sh", "curl")),
    _repo("httpd", {"2.4.63": 58_202_874, "2.4.62": 58_117_602, "2.4.63-alpine": 23_004_412},
          latest="2.4.63", aliases={"2.4": "2.4.63", "2": "2.4.63", "alpine": "2.4.63-alpine"},
          cmd=["httpd-foreground"], ports=("80/tcp",), binaries=("httpd-foreground", "httpd")),
    # data stores ----------------------------------------------------------------------------
    _repo("redis", {"7.4.2": 45_021_811, "7.2.7": 40_963_515, "6.2.17": 40_301_287,
                    "5.0.14": 35_174_023, "7.4.2-alpine": 17_124_210},
          latest="7.4.2", aliases={"7.4": "7.4.2", "7": "7.4.2", "7.2": "7.2.7", "6.2": "6.2.17",
                                   "6": "6.2.17", "5.0": "5.0.14", "5": "5.0.14",
                                   "alpine": "7.4.2-alpine"},
          entrypoint=["docker-entrypoint.sh"], cmd=["redis-server"], ports=("6379/tcp",),
          binaries=("redis-server", "redis-cli", "docker-entrypoint.sh")),
    _repo("postgres", {"17.4": 157_632_118, "16.8": 154_280_744, "15.12": 150_713_290,
                       "14.17": 149_019_367, "13.20": 147_528_911, "12.22": 143_982_730,
                       "11.22": 107_890_551, "10.23": 78_524_310, "9.6.24": 73_651_012,
                       "9.5.25": 71_245_803, "9.4.26": 70_903_561, "17.4-alpine": 108_731_205},
          latest="17.4", aliases={"17": "17.4", "16": "16.8", "15": "15.12", "14": "14.17",
                                  "13": "13.20", "12": "12.22", "11": "11.22", "10": "10.23",
                                  "9.6": "9.6.24", "9.5": "9.5.25", "9.4": "9.4.26",
                                  "9": "9.6.24", "alpine": "17.4-alpine"},
          entrypoint=["docker-entrypoint.sh"], cmd=["postgres"], ports=("5432/tcp",),
          binaries=("postgres", "psql", "pg_ctl", "docker-entrypoint.sh")),
    _repo("mysql", {"9.2.0": 172_140_377, "8.4.4": 166_208_133, "8.0.41": 165_190_228,
                    "5.7.44": 137_389_241},
          latest="9.2.0", aliases={"9.2": "9.2.0", "9": "9.2.0", "8.4": "8.4.4", "8": "8.4.4",
                                   "lts": "8.4.4", "8.0": "8.0.41", "5.7": "5.7.44", "5": "5.7.44"},
          entrypoint=["docker-entrypoint.sh"], cmd=["mysqld"], ports=("3306/tcp", "33060/tcp"),
          userland="oracle", binaries=("mysqld", "mysql", "docker-entrypoint.sh")),
    _repo("memcached", {"1.6.37": 33_807_211, "1.6.37-alpine": 5_030_117},
          latest="1.6.37", aliases={"1.6": "1.6.37", "1": "1.6.37", "alpine": "1.6.37-alpine"},
          entrypoint=["docker-entrypoint.sh"], cmd=["memcached"], ports=("11211/tcp",),
          binaries=("memcached",)),
    _repo("mongo", {"8.0.5": 284_018_432, "7.0.16": 246_775_010, "6.0.20": 236_005_371,
                    "5.0.31": 250_112_907, "4.4.29": 178_350_146},
          latest="8.0.5", aliases={"8.0": "8.0.5", "8": "8.0.5", "7.0": "7.0.16", "7": "7.0.16",
                                   "6.0": "6.0.20", "6": "6.0.20", "5.0": "5.0.31", "5": "5.0.31",
                                   "4.4": "4.4.29", "4": "4.4.29"},
          entrypoint=["docker-entrypoint.sh"], cmd=["mongod"], ports=("27017/tcp",),
          userland="ubuntu", binaries=("mongod", "mongosh", "mongo")),
    # operating systems and languages ----------------------------------------------------------
    _repo("busybox", {"1.37.0": 2_222_260, "1.36.1": 2_152_018, "1.35.0": 2_226_132,
                      "1.34.1": 1_394_302, "1.28.4": 727_869, "1.37.0-musl": 862_117},
          latest="1.37.0", aliases={"1.37": "1.37.0", "1": "1.37.0", "stable": "1.36.1",
                                    "1.36": "1.36.1", "1.35": "1.35.0", "1.34": "1.34.1",
                                    "1.28": "1.28.4", "musl": "1.37.0-musl"},
          cmd=["sh"], userland="busybox", kind="shell"),
    _repo("alpine", {"3.21.3": 3_642_993, "3.20.6": 3_625_614, "3.19.7": 3_418_437,
                     "3.18.12": 3_413_297},
          latest="3.21.3", aliases={"3.21": "3.21.3", "3": "3.21.3", "3.20": "3.20.6",
                                    "3.19": "3.19.7", "3.18": "3.18.12"},
          cmd=["/bin/sh"], userland="alpine", kind="shell"),
    _repo("ubuntu", {"24.04": 29_754_290, "22.04": 29_535_971, "20.04": 27_508_962,
                     "18.04": 25_691_156},
          latest="24.04", aliases={"noble": "24.04", "jammy": "22.04", "focal": "20.04",
                                   "bionic": "18.04"},
          cmd=["/bin/bash"], userland="ubuntu", kind="shell"),
    _repo("debian", {"12.9": 48_494_272, "11.11": 55_080_550},
          latest="12.9", aliases={"12": "12.9", "bookworm": "12.9", "11": "11.11",
                                  "bullseye": "11.11"},
          cmd=["bash"], userland="debian", kind="shell"),
    _repo("python", {"3.13.2": 398_410_122, "3.12.9": 392_671_005, "3.11.11": 390_040_556,
                     "3.10.16": 385_225_071, "3.13.2-slim": 44_998_381,
                     "3.12.9-slim": 44_731_804, "3.13.2-alpine": 18_104_226},
          latest="3.13.2", aliases={"3.13": "3.13.2", "3": "3.13.2", "3.12": "3.12.9",
                                    "3.11": "3.11.11", "3.10": "3.10.16",
                                    "slim": "3.13.2-slim", "3.13-slim": "3.13.2-slim",
                                    "3.12-slim": "3.12.9-slim", "alpine": "3.13.2-alpine"},
          cmd=["python3"], kind="shell", binaries=("python", "python3", "pip")),
    _repo("node", {"23.9.0": 398_126_774, "22.14.0": 394_552_301, "20.18.3": 389_070_625,
                   "18.20.7": 384_517_339, "22.14.0-alpine": 50_421_076},
          latest="23.9.0", aliases={"23": "23.9.0", "22": "22.14.0", "lts": "22.14.0",
                                    "20": "20.18.3", "18": "18.20.7",
                                    "alpine": "22.14.0-alpine", "lts-alpine": "22.14.0-alpine"},
          entrypoint=["docker-entrypoint.sh"], cmd=["node"], kind="shell",
          binaries=("node", "npm", "npx")),
    # the course's web apps ------------------------------------------------------------------
    _repo("kodekloud/webapp-color", {"v1": 31_761_284, "v2": 31_761_301, "v3": 31_761_317},
          latest="v1", cmd=["python", "app.py"], ports=("8080/tcp",), userland="alpine",
          binaries=("python", "python3")),
    _repo("kodekloud/examplevotingapp_vote", {"v1": 32_187_644},
          cmd=["gunicorn", "app:app", "-b", "0.0.0.0:80", "--log-file", "-",
               "--access-logfile", "-", "--workers", "4", "--keep-alive", "0"],
          ports=("80/tcp",), userland="alpine", binaries=("gunicorn", "python")),
    _repo("kodekloud/examplevotingapp_worker", {"v1": 61_204_811},
          cmd=["java", "-XX:+UnlockExperimentalVMOptions", "-XX:+UseCGroupMemoryLimitForHeap",
               "-jar", "target/worker-jar-with-dependencies.jar"],
          userland="alpine", binaries=("java",)),
    _repo("kodekloud/examplevotingapp_result", {"v1": 51_802_917},
          cmd=["node", "server.js"], ports=("80/tcp",), binaries=("node", "nodemon")),
    _repo("dockersamples/examplevotingapp_vote", {"before": 51_021_337, "after": 51_021_402},
          latest="before", cmd=["gunicorn", "app:app", "-b", "0.0.0.0:80", "--log-file", "-",
                                "--access-logfile", "-", "--workers", "4", "--keep-alive", "0"],
          ports=("80/tcp",), binaries=("gunicorn", "python")),
    _repo("dockersamples/examplevotingapp_worker", {"before": 76_533_870, "after": 76_533_912},
          latest="before", entrypoint=["dotnet", "Worker.dll"], binaries=("dotnet",)),
    _repo("dockersamples/examplevotingapp_result", {"before": 57_260_111, "after": 57_260_175},
          latest="before", entrypoint=["/usr/bin/tini", "--"], cmd=["node", "server.js"],
          ports=("80/tcp",), binaries=("node", "nodemon", "/usr/bin/tini")),
    # minikube's hello-minikube (jmalloc/echo-server built for amd64/arm64, FROM scratch)
    _repo("kicbase/echo-server", {"1.0": 4_939_776}, entrypoint=["/bin/echo-server"],
          ports=("8080/tcp",), userland="", binaries=("echo-server",)),
    # the seed's short names: images of the course's local registry (built from the voting app)
    _repo("voting-app", {"latest": 51_021_337}, cmd=["gunicorn", "app:app", "-b", "0.0.0.0:80"],
          ports=("80/tcp",), local=True, binaries=("gunicorn", "python")),
    _repo("worker", {"latest": 76_533_870}, entrypoint=["dotnet", "Worker.dll"], local=True,
          binaries=("dotnet",)),
    _repo("result-app", {"latest": 57_260_111}, cmd=["node", "server.js"], ports=("80/tcp",),
          local=True, binaries=("node",)),
    # Kubernetes itself ------------------------------------------------------------------------
    _repo("registry.k8s.io/kube-apiserver", {K8S: 28_671_624, "v1.32.4": 28_669_302,
                                             "v1.31.9": 28_079_440},
          entrypoint=["/usr/local/bin/kube-apiserver"], userland="",
          binaries=("kube-apiserver",)),
    _repo("registry.k8s.io/kube-controller-manager", {K8S: 26_259_392, "v1.32.4": 26_257_111,
                                                      "v1.31.9": 25_725_806},
          entrypoint=["/usr/local/bin/kube-controller-manager"], userland="",
          binaries=("kube-controller-manager",)),
    _repo("registry.k8s.io/kube-scheduler", {K8S: 20_657_536, "v1.32.4": 20_655_902,
                                             "v1.31.9": 20_197_923},
          entrypoint=["/usr/local/bin/kube-scheduler"], userland="",
          binaries=("kube-scheduler",)),
    _repo("registry.k8s.io/kube-proxy", {K8S: 30_907_858, "v1.32.4": 30_906_114,
                                         "v1.31.9": 30_229_262},
          entrypoint=["/usr/local/bin/kube-proxy"], userland="debian",
          binaries=("kube-proxy", "iptables")),
    _repo("registry.k8s.io/etcd", {"3.5.16-0": 57_680_541, "3.5.15-0": 56_909_194},
          cmd=["/usr/local/bin/etcd"], userland="", binaries=("etcd", "etcdctl")),
    _repo("registry.k8s.io/coredns/coredns", {"v1.11.3": 18_562_039, "v1.11.1": 18_182_961},
          entrypoint=["/coredns"], ports=("53/tcp", "53/udp"), userland="", binaries=("coredns",)),
    _repo("registry.k8s.io/pause", {"3.10": 320_368, "3.9": 321_520}, entrypoint=["/pause"],
          userland="", binaries=("pause",)),
    _repo("docker.io/flannel/flannel", {"v0.26.7": 32_001_206, "v0.26.3": 32_435_011,
                                        "v0.26.1": 32_361_105},
          latest="v0.26.7", entrypoint=["/opt/bin/flanneld"], userland="alpine",
          binaries=("flanneld", "/opt/bin/flanneld", "cp")),
    _repo("docker.io/flannel/flannel-cni-plugin", {"v1.6.2-flannel1": 4_856_838,
                                                   "v1.6.0-flannel1": 4_850_211,
                                                   "v1.5.1-flannel2": 4_757_128},
          latest="v1.6.2-flannel1", userland="alpine", binaries=("cp", "flannel")),
    _repo("gcr.io/k8s-minikube/storage-provisioner", {"v5": 9_058_936},
          entrypoint=["/storage-provisioner"], userland="", binaries=("storage-provisioner",)),
]}


@lru_cache(maxsize=4096)
def repository_of(ref: ImageRef) -> Repository | None:
    """The catalog entry for a parsed reference (docker.io/flannel/flannel is also `flannel/...`)."""
    return CATALOG.get(ref.repository) or CATALOG.get(ref.name)


@lru_cache(maxsize=4096)
def lookup(ref: ImageRef) -> Image | None:
    """The image a registry would serve for `ref`, or None (no such repository or tag). Images
    are immutable: every pull of one reference gets the same object."""
    repo = repository_of(ref)
    if repo is None:
        return None
    if ref.digest and not ref.tag:
        for version in repo.sizes:
            if digest_of(ref.name, version) == ref.digest:
                return Image(ref.name, version, repo.sizes[version], ref.digest, repo)
        return None
    version = repo.resolve(ref.tag)
    if version is None:
        return None
    return Image(ref.name, version, repo.sizes[version], digest_of(ref.name, version), repo)


# ----------------------------------------------------------------------------------------------
# pulling

#: A registry's throughput as a node sees it, bytes per second (about 50 MB/s).
BANDWIDTH = 50_000_000


def pull_seconds(size: int, rand, cached: bool = False) -> float:
    """How long a pull takes: the manifest round trips (0.5-2 s) plus the layers at ~50 MB/s.

    With the layers already on the node (`imagePullPolicy: Always` on a cached image) only the
    manifest is checked: a few hundred milliseconds.
    """
    if cached:
        return round(0.25 + rand.random() * 0.6, 3)
    latency = 0.5 + rand.random() * 1.5
    rate = BANDWIDTH * (0.8 + rand.random() * 0.4)
    return round(latency + size / rate, 3)


def go_duration(seconds: float) -> str:
    """Go's time.Duration.String() of a duration truncated to milliseconds: `812ms`, `2.753s`,
    `1m4.5s`, `0s`."""
    ms = int(seconds * 1000 + 1e-6)
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    hours, rem = divmod(ms, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    secs, frac = divmod(rem, 1000)
    text = f"{secs}"
    if frac:
        text += ("." + f"{frac:03d}").rstrip("0")
    text += "s"
    if hours:
        return f"{hours}h{minutes}m{text}"
    if minutes:
        return f"{minutes}m{text}"
    return text


def pull_error(ref: ImageRef, runtime: str = "containerd") -> str:
    """The runtime's error for a failed pull of `ref` (the part after `Failed to pull image "x": `).

    containerd (kubeadm nodes) and Docker Engine through cri-dockerd (minikube) word it differently.
    """
    repo = repository_of(ref)
    if runtime == "docker":
        if repo is None:
            if ref.domain != DEFAULT_DOMAIN:
                return (f'Error response from daemon: Get "https://{ref.domain}/v2/": dial tcp: '
                        f"lookup {ref.domain.split(':')[0]} on 192.168.49.1:53: no such host")
            return (f"Error response from daemon: pull access denied for {ref.repository}, "
                    "repository does not exist or may require 'docker login': denied: requested "
                    "access to the resource is denied")
        return (f"Error response from daemon: manifest for {ref.familiar} not found: "
                "manifest unknown: manifest unknown")
    prefix = (f'failed to pull and unpack image "{ref.full}": failed to resolve reference '
              f'"{ref.full}": ')
    if repo is None:
        if ref.domain not in (DEFAULT_DOMAIN, "registry.k8s.io", "gcr.io", "quay.io", "ghcr.io"):
            host = ref.domain.split(":")[0]
            return (prefix + f'failed to do request: Head "https://{ref.domain}/v2/{ref.path}/'
                    f'manifests/{ref.tag or ref.digest}": dial tcp: lookup {host} on '
                    "127.0.0.53:53: no such host")
        if ref.domain == DEFAULT_DOMAIN:
            return (prefix + "pull access denied, repository does not exist or may require "
                    "authorization: server message: insufficient_scope: authorization failed")
    return prefix + f"{ref.full}: not found"


# ----------------------------------------------------------------------------------------------
# what is inside an image

#: BusyBox's applets (the ones a course meets), each a command in busybox and alpine images.
BUSYBOX_APPLETS = frozenset("""
    [ [[ ash awk base64 basename cat chmod chown cp cut date dd df dirname dmesg du echo env expr
    false find free grep gunzip gzip head hexdump hostname id ifconfig ip kill killall less ln ls
    md5sum mkdir mktemp more mount mv nc netstat nslookup ping ping6 printenv printf ps pwd readlink
    realpath rm rmdir route sed seq sh sha256sum sleep sort stat tail tar tee telnet test timeout
    top touch tr traceroute true uname uniq uptime usleep vi watch wc wget which whoami xargs yes
""".split())

#: A Debian/Ubuntu userland's usual commands (coreutils, bash, dash, procps-less).
DISTRO_COMMANDS = frozenset("""
    [ bash sh dash cat cp cut date dd df dirname du echo env expr false find grep head hostname id
    kill ln ls mkdir mktemp mv printenv printf pwd readlink realpath rm rmdir sed seq sleep sort stat
    tail tar tee test timeout touch tr true uname uniq wc which whoami xargs yes basename chmod chown
    awk gzip gunzip sha256sum md5sum nproc
""".split())

ALPINE_EXTRA = frozenset({"apk"})


def executables(repo: Repository) -> frozenset[str]:
    """The commands found in the image's $PATH (by base name)."""
    return _executables(repo.name)


@lru_cache(maxsize=256)
def _executables(name: str) -> frozenset[str]:
    repo = CATALOG[name]
    if repo.userland == "busybox":
        base = BUSYBOX_APPLETS | {"busybox"}
    elif repo.userland == "alpine":
        base = BUSYBOX_APPLETS | ALPINE_EXTRA | {"busybox"}
    elif repo.userland in ("debian", "ubuntu", "oracle"):
        base = DISTRO_COMMANDS
    else:
        base = frozenset()
    extra = {b.rsplit("/", 1)[-1] for b in repo.binaries}
    for argv in (repo.entrypoint, repo.cmd):
        if argv:
            extra.add(argv[0].rsplit("/", 1)[-1])
    return base | frozenset(extra)


def shell_of(repo: Repository) -> str:
    """Which `sh` the image has: "ash" (busybox, alpine), "dash" (Debian, Ubuntu), or "" (none)."""
    if repo.userland in ("busybox", "alpine"):
        return "ash"
    if repo.userland in ("debian", "ubuntu", "oracle"):
        return "dash"
    return ""
