"""The node's container runtime as the kubelet sees it through CRI: images, pulls, sandboxes, IDs.

Two runtimes are modelled, because the course meets both: containerd (kubeadm nodes,
`containerd://1.7.24`) and Docker Engine through cri-dockerd (minikube's default,
`docker://27.4.1`). They differ in how images and container IDs are written in a pod's status
and in their error texts.

Image pulls are serialized per node, as the kubelet's default `serializeImagePulls: true` does: a
pull waits for the ones queued before it, which is the "including waiting" part of the Pulled event.
"""

from __future__ import annotations

import ipaddress
from collections import deque
from dataclasses import dataclass
from typing import Callable

from k8scourse.kubelet import images
from k8scourse.kubelet.images import Image, ImageRef
from k8scourse.sim.clock import KUBELET

#: nodeStatusMaxImages: the node's status lists at most this many images.
MAX_NODE_IMAGES = 50


@dataclass
class PullResult:
    ok: bool
    image: Image | None
    error: str          # the runtime's error text when not ok
    pull_seconds: float  # the pull itself
    total_seconds: float  # including the wait in the kubelet's serial queue


class Runtime:
    """One node's containerd (or dockerd): the images it holds and the pulls it runs."""

    def __init__(self, clock, rand, version: str = "containerd://1.7.24"):
        self.clock = clock
        self.rand = rand
        self.version = version
        self.kind = "docker" if version.startswith("docker") else "containerd"
        self.scheme = "docker" if self.kind == "docker" else "containerd"
        #: images by digest, and which (name, tag) points at which digest
        self.images: dict[str, Image] = {}
        self.tags: dict[tuple[str, str], str] = {}
        self._free_at = 0.0
        self._arriving: dict[str, float] = {}
        #: the pulls in flight, in the order they finish (they run one after another)
        self._pulls: deque = deque()
        self.version_changes = 0  # bumped whenever the image list changes

    # images ------------------------------------------------------------------------------
    def present(self, ref: ImageRef) -> Image | None:
        if ref.digest and not ref.tag:
            return self.images.get(ref.digest)
        digest = self.tags.get((ref.name, ref.tag))
        return self.images.get(digest) if digest else None

    def store(self, ref: ImageRef, image: Image) -> None:
        if image.digest not in self.images:
            self.images[image.digest] = image
            self.version_changes += 1
        if ref.tag and self.tags.get((ref.name, ref.tag)) != image.digest:
            self.tags[(ref.name, ref.tag)] = image.digest
            self.version_changes += 1
        if (image.name, image.version) not in self.tags:
            self.tags[(image.name, image.version)] = image.digest

    def preload(self, references: list[str]) -> None:
        """Images already on the machine (kubeadm pulled them before `init`/`join`)."""
        for r in references:
            ref = images.parse(r)
            img = images.lookup(ref)
            if img is not None:
                self.store(ref, img)

    def layers_on_disk(self, ref: ImageRef) -> bool:
        """Whether a pull of `ref` would only check the manifest (its layers are here or coming)."""
        img = images.lookup(ref)
        return img is not None and (img.digest in self.images or img.digest in self._arriving)

    def pull(self, ref: ImageRef, done: Callable[[PullResult], None]):
        """Queue a pull; `done(result)` runs when it finishes. Returns the timer."""
        now = self.clock.now
        start = max(now, self._free_at)
        img = images.lookup(ref)
        if img is None:
            seconds = round(0.4 + self.rand.random() * 1.0, 3)
        else:
            # the layers are on disk when an earlier pull of the same image has finished by then
            arriving = self._arriving.get(img.digest)
            cached = img.digest in self.images or (arriving is not None and arriving <= start)
            seconds = images.pull_seconds(img.size, self.rand, cached=cached)
        end = start + seconds
        self._free_at = end
        if img is not None and img.digest not in self._arriving:
            self._arriving[img.digest] = end

        timer = self.clock.call_at(end, self._finish_pull, KUBELET,
                                   args=(ref, img, done, seconds, end - now))
        pulls = self._pulls
        while pulls and (pulls[0].done or pulls[0].cancelled):
            pulls.popleft()
        pulls.append(timer)
        return timer

    def _finish_pull(self, ref: ImageRef, img: Image | None, done: Callable[[PullResult], None],
                     seconds: float, total: float) -> None:
        if img is None:
            done(PullResult(False, None, images.pull_error(ref, self.kind), seconds, total))
            return
        self.store(ref, img)
        done(PullResult(True, img, "", seconds, total))

    def power_off(self) -> None:
        """The machine stops: pulls in flight are lost (the images already stored stay)."""
        for t in self._pulls:
            t.cancel()
        self._pulls = deque()
        self._arriving = {d: t for d, t in self._arriving.items() if d in self.images}
        self._free_at = self.clock.now

    # how the runtime names things --------------------------------------------------------
    def image_field(self, ref: ImageRef) -> str:
        """containerStatuses[].image of a created container."""
        return ref.full if self.kind == "containerd" else ref.familiar

    def image_id(self, image: Image, ref: ImageRef) -> str:
        """containerStatuses[].imageID."""
        if self.kind == "containerd":
            return image.repo_digest
        return f"docker-pullable://{ref.repository}@{image.digest}"

    def new_id(self) -> str:
        return f"{self.rand.getrandbits(256):064x}"

    def container_id(self, raw: str) -> str:
        return f"{self.scheme}://{raw}"

    def node_images(self) -> list[dict]:
        """status.images: every image with its names, biggest first, at most 50."""
        names: dict[str, list[str]] = {}
        for (name, tag), digest in self.tags.items():
            names.setdefault(digest, []).append(self._tag_name(name, tag))
        out = []
        for digest, img in self.images.items():
            refs = [self._digest_name(img)] + sorted(set(names.get(digest, [])))
            out.append({"names": refs, "sizeBytes": img.size})
        out.sort(key=lambda e: (-e["sizeBytes"], e["names"][0]))
        return out[:MAX_NODE_IMAGES]

    def _tag_name(self, name: str, tag: str) -> str:
        if self.kind == "containerd":
            return f"{name}:{tag}"
        return images.parse(f"{name}:{tag}").familiar

    def _digest_name(self, img: Image) -> str:
        if self.kind == "containerd":
            return img.repo_digest
        return f"{images.parse(img.name + ':x').repository}@{img.digest}"

    # errors ------------------------------------------------------------------------------
    def exec_error(self, program: str) -> tuple[str, int, str, str]:
        """A container whose command is not in the image: (reason, exitCode, message, the
        Failed event's text)."""
        runc = (f'failed to create shim task: OCI runtime create failed: runc create failed: '
                f'unable to start container process: exec: "{program}": executable file not '
                f'found in $PATH: unknown')
        if self.kind == "containerd":
            msg = f"failed to create containerd task: {runc}"
            return "StartError", 128, msg, f"Error: {msg}"
        msg = f"failed to create task for container: {runc}"
        return "ContainerCannotRun", 127, msg, f"Error: {msg}"


class HostLocalIPAM:
    """The host-local IPAM plugin on one node's podCIDR: addresses from .2 up (.1 is the bridge's
    gateway), handed out round robin after the last one reserved, so a released address comes back
    only after the range wraps around."""

    def __init__(self, cidr: str):
        net = ipaddress.ip_network(cidr, strict=False)
        self.cidr = str(net)
        self._first = int(net.network_address) + 2
        self._last = int(net.broadcast_address) - 1
        self._used: set[int] = set()
        self._cursor = self._first - 1

    def allocate(self) -> str | None:
        size = self._last - self._first + 1
        i = self._cursor
        for _ in range(size):
            i = i + 1 if i < self._last else self._first
            if i not in self._used:
                self._used.add(i)
                self._cursor = i
                return f"{i >> 24}.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
        return None

    def release(self, ip: str) -> None:
        try:
            self._used.discard(int(ipaddress.IPv4Address(ip)))
        except ValueError:
            pass

    def __len__(self) -> int:
        return len(self._used)
