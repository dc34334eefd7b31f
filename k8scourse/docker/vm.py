"""Containers versus virtual machines, as data a diagram can draw.

On a hypervisor each VM boots its own operating system with its own kernel; on a docker host every
container is a process tree of the one host kernel, with only its image's userland (libraries and
tools) of its own. `vms_vs_containers(engine)` describes both side by side from a live engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Guest:
    """One VM or one container."""

    name: str
    app: str
    userland: str         # the OS files it carries (Debian, Alpine, ... or a whole OS for a VM)
    kernel: str           # the kernel it runs on
    own_kernel: bool      # True for a VM: it boots its own
    size: str             # disk image size
    boot_seconds: float


@dataclass
class Stack:
    """One machine: the hardware's OS/kernel and what runs on it."""

    kind: str             # "virtual machines" | "containers"
    host_os: str
    host_kernel: str
    layer: str            # "hypervisor" | "container runtime (docker)"
    guests: list[Guest] = field(default_factory=list)

    @property
    def kernels(self) -> int:
        """How many kernels run on the machine (1 for the host, plus one per VM)."""
        return 1 + sum(1 for g in self.guests if g.own_kernel)


def vms_vs_containers(engine, vms: int = 3) -> tuple[Stack, Stack]:
    """(VM host with `vms` VMs, the engine's host with its running containers)."""
    from k8scourse.apps.tools import image_info
    from k8scourse.docker.images import human_size

    host = engine.host
    vm_stack = Stack("virtual machines", "VMware ESXi 8.0", "vmkernel 8.0", "hypervisor")
    guests_os = [("Ubuntu 22.04.5 LTS", "5.15.0-126-generic"), ("CentOS Stream 9", "5.14.0-503.el9.x86_64"),
                 ("Debian GNU/Linux 12 (bookworm)", "6.1.0-28-amd64"), ("Windows Server 2022", "NT 10.0")]
    apps = ["web server", "database", "message queue", "cache"]
    for i in range(vms):
        os_name, kernel = guests_os[i % len(guests_os)]
        vm_stack.guests.append(Guest(f"vm{i + 1}", apps[i % len(apps)], os_name, kernel, True,
                                     "20GB", 45.0))
    c_stack = Stack("containers", host["os"], host["kernel"], "container runtime (docker)")
    for c in sorted(engine.containers.values(), key=lambda c: c.created):
        if not c.running:
            continue
        userland = image_info(c.image.repository)[2] or "BusyBox"
        c_stack.guests.append(Guest(c.name, c.image_ref, userland, host["kernel"], False,
                                    human_size(c.image.spec.size), 0.5))
    return vm_stack, c_stack
