"""The image catalog, image references and the runtimes' pull texts."""

from __future__ import annotations

import random

import pytest

from k8scourse.kubelet import images
from k8scourse.kubelet.images import ReferenceError_, go_duration, parse, pull_error


def test_short_name_gets_docker_hub_library_and_latest():
    """`nginx` is docker.io/library/nginx:latest, as docker/distribution normalizes it."""
    ref = parse("nginx")
    assert ref.full == "docker.io/library/nginx:latest"
    assert ref.familiar == "nginx:latest"
    assert ref.repository == "nginx"


def test_user_repository_and_tag():
    """`kodekloud/webapp-color:v2` keeps its user path, without library/."""
    ref = parse("kodekloud/webapp-color:v2")
    assert ref.full == "docker.io/kodekloud/webapp-color:v2"
    assert ref.repository == "kodekloud/webapp-color"


def test_registry_with_port_is_not_a_tag():
    """`localhost:5000/app` has a registry with a port and the default tag."""
    ref = parse("localhost:5000/app")
    assert (ref.domain, ref.path, ref.tag) == ("localhost:5000", "app", "latest")


def test_digest_only_reference_has_no_tag():
    """`busybox@sha256:<hex>` keeps the digest and gets no default tag."""
    digest = "sha256:" + "ab" * 32
    ref = parse(f"busybox@{digest}")
    assert ref.tag == "" and ref.digest == digest
    assert ref.full == f"docker.io/library/busybox@{digest}"


def test_uppercase_repository_is_invalid_with_distributions_text():
    """An upper-case name fails as ParseNormalizedNamed says."""
    with pytest.raises(ReferenceError_) as e:
        parse("Nginx")
    assert str(e.value) == "invalid reference format: repository name must be lowercase"


def test_malformed_reference_text():
    """A name with a space is an invalid reference format."""
    with pytest.raises(ReferenceError_) as e:
        parse("nginx latest")
    assert str(e.value) == "invalid reference format"


def test_latest_points_at_a_real_version_with_one_digest():
    """nginx:latest and the version it names are the same image (same digest)."""
    latest = images.lookup(parse("nginx"))
    same = images.lookup(parse(f"nginx:{latest.version}"))
    assert latest.digest == same.digest
    assert latest.digest.startswith("sha256:") and len(latest.digest) == 71
    assert latest.size > 60_000_000


def test_catalog_knows_the_course_images():
    """Every image the course uses resolves."""
    for r in ("nginx", "nginx:1.14.2", "httpd", "redis", "postgres:9.4", "postgres:17", "mysql",
              "busybox", "alpine", "ubuntu", "python", "node", "memcached", "mongo",
              "kodekloud/webapp-color", "kodekloud/examplevotingapp_vote:v1",
              "kodekloud/examplevotingapp_worker:v1", "kodekloud/examplevotingapp_result:v1",
              "dockersamples/examplevotingapp_vote", "dockersamples/examplevotingapp_worker",
              "dockersamples/examplevotingapp_result", "voting-app", "worker", "result-app",
              "registry.k8s.io/kube-apiserver:v1.32.5", "registry.k8s.io/coredns/coredns:v1.11.3",
              "registry.k8s.io/pause:3.10", "registry.k8s.io/etcd:3.5.16-0",
              "docker.io/flannel/flannel:v0.26.7",
              "docker.io/flannel/flannel-cni-plugin:v1.6.2-flannel1",
              "gcr.io/k8s-minikube/storage-provisioner:v5"):
        assert images.lookup(parse(r)) is not None, r
    assert images.CATALOG["voting-app"].local


def test_unknown_repository_pull_error_containerd():
    """containerd's error for a repository that does not exist (the `ngnix` typo)."""
    assert pull_error(parse("ngnix")) == (
        'failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve '
        'reference "docker.io/library/ngnix:latest": pull access denied, repository does not '
        "exist or may require authorization: server message: insufficient_scope: authorization "
        "failed")


def test_unknown_tag_pull_error_containerd():
    """containerd's error for a tag the repository does not have."""
    assert pull_error(parse("nginx:1.99")) == (
        'failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve '
        'reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found')
    assert images.lookup(parse("nginx:1.99")) is None


def test_docker_runtime_pull_errors():
    """Docker Engine (minikube) words the same failures its own way."""
    assert pull_error(parse("ngnix"), "docker") == (
        "Error response from daemon: pull access denied for ngnix, repository does not exist or "
        "may require 'docker login': denied: requested access to the resource is denied")
    assert pull_error(parse("nginx:1.99"), "docker") == (
        "Error response from daemon: manifest for nginx:1.99 not found: manifest unknown: "
        "manifest unknown")


def test_go_duration_truncated_to_milliseconds():
    """Durations print as Go's time.Duration.String() after Truncate(time.Millisecond)."""
    assert go_duration(0.8127) == "812ms"
    assert go_duration(2.7531) == "2.753s"
    assert go_duration(2.0) == "2s"
    assert go_duration(64.5) == "1m4.5s"
    assert go_duration(300) == "5m0s"
    assert go_duration(0.0004) == "0s"


def test_pull_time_grows_with_size_and_cache_is_fast():
    """A pull takes latency plus size/bandwidth; a cached manifest check under a second."""
    rng = random.Random(1)
    big = images.pull_seconds(400_000_000, rng)
    small = images.pull_seconds(2_000_000, rng)
    cached = images.pull_seconds(400_000_000, rng, cached=True)
    assert big > 6 and 0.5 <= small < 2.5 and cached < 1


def test_busybox_has_its_applets_and_nginx_its_server():
    """executables(): busybox applets, a Debian userland plus the image's own binaries."""
    assert {"sh", "sleep", "wget", "nslookup"} <= images.executables(images.CATALOG["busybox"])
    assert "nginx" in images.executables(images.CATALOG["nginx"])
    assert "sleep" not in images.executables(images.CATALOG["registry.k8s.io/pause"])


def test_kicbase_echo_server_for_hello_minikube():
    """kicbase/echo-server:1.0 (minikube's hello-minikube) is in the catalog: 8080/tcp, no shell."""
    img = images.lookup(parse("kicbase/echo-server:1.0"))
    assert img is not None and img.name == "docker.io/kicbase/echo-server"
    assert img.size == 4_939_776
    assert img.repository.ports == ("8080/tcp",)
    assert "sh" not in images.executables(img.repository)
