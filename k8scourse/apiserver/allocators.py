"""ClusterIP and NodePort allocation, as pkg/registry/core/service/{ipallocator,portallocator} do it.

Both ranges keep a low "static" band for addresses a user asks for; automatic allocation picks at
random from the band above it first, and only then from the static band.
"""

from __future__ import annotations

import ipaddress

from k8scourse.sim.rand import Rand


class AllocationError(Exception):
    """The detail of a failed allocation (`provided port is already allocated`)."""


def _range_offset(size: int, divisor: int, cap: int) -> int:
    return min(max(16, size // divisor), cap)


class ClusterIPAllocator:
    """Addresses from the service CIDR (kubeadm's default 10.96.0.0/12)."""

    def __init__(self, cidr: str, rand: Rand):
        self.network = ipaddress.ip_network(cidr)
        self.rand = rand
        # usable addresses exclude the network address and broadcast
        self.base = int(self.network.network_address) + 1
        self.size = self.network.num_addresses - 2
        self.offset = _range_offset(self.size, 16, 256)
        self.used: set[int] = set()

    def contains(self, ip: str) -> bool:
        try:
            return ipaddress.ip_address(ip) in self.network
        except ValueError:
            return False

    def allocate(self, ip: str) -> None:
        """Reserve the address a user asked for."""
        addr = ipaddress.ip_address(ip)
        if addr not in self.network or int(addr) - self.base not in range(self.size):
            raise AllocationError(
                f"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. "
                f"The range of valid IPs is {self.network}")
        i = int(addr) - self.base
        if i in self.used:
            raise AllocationError(f"failed to allocate IP {ip}: provided IP is already allocated")
        self.used.add(i)

    def allocate_next(self) -> str:
        """A random free address, from the dynamic band first."""
        for lo, hi in ((self.offset, self.size), (0, self.offset)):
            i = _random_free(self.rand, lo, hi, self.used)
            if i is not None:
                self.used.add(i)
                return str(ipaddress.ip_address(self.base + i))
        raise AllocationError("range is full")

    def release(self, ip: str) -> None:
        try:
            self.used.discard(int(ipaddress.ip_address(ip)) - self.base)
        except ValueError:
            pass


class NodePortAllocator:
    """Ports from --service-node-port-range (30000-32767)."""

    def __init__(self, first: int, last: int, rand: Rand):
        self.first, self.last = first, last
        self.size = last - first + 1
        self.offset = _range_offset(self.size, 32, 128)
        self.rand = rand
        self.used: set[int] = set()

    def allocate(self, port: int) -> None:
        if not self.first <= port <= self.last:
            raise AllocationError(
                "provided port is not in the valid range. "
                f"The range of valid ports is {self.first}-{self.last}")
        if port in self.used:
            raise AllocationError("provided port is already allocated")
        self.used.add(port)

    def allocate_next(self) -> int:
        for lo, hi in ((self.offset, self.size), (0, self.offset)):
            i = _random_free(self.rand, lo, hi, {p - self.first for p in self.used})
            if i is not None:
                self.used.add(self.first + i)
                return self.first + i
        raise AllocationError("range is full")

    def release(self, port: int) -> None:
        self.used.discard(port)


def _random_free(rand: Rand, lo: int, hi: int, used: set[int]) -> int | None:
    """A random free index in [lo, hi): a random start, then the next free one (as the bitmap does)."""
    n = hi - lo
    if n <= 0:
        return None
    start = rand.randrange(n)
    for k in range(n):
        i = lo + (start + k) % n
        if i not in used:
            return i
    return None
