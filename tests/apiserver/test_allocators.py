import ipaddress

import pytest

from k8scourse.apiserver.allocators import AllocationError, ClusterIPAllocator, NodePortAllocator
from k8scourse.sim.rand import Rand


def test_dynamic_cluster_ips_come_from_above_the_static_band():
    """For a /12 the low 256 addresses (10.96.0.0-10.96.0.255) are kept for static assignment."""
    a = ClusterIPAllocator("10.96.0.0/12", Rand(0))
    for _ in range(200):
        ip = ipaddress.ip_address(a.allocate_next())
        assert ip in ipaddress.ip_network("10.96.0.0/12")
        assert ip >= ipaddress.ip_address("10.96.1.0")


def test_a_taken_cluster_ip_is_refused():
    """Asking twice for 10.96.0.10 fails the second time."""
    a = ClusterIPAllocator("10.96.0.0/12", Rand(0))
    a.allocate("10.96.0.10")
    with pytest.raises(AllocationError, match="provided IP is already allocated"):
        a.allocate("10.96.0.10")


def test_node_port_range_errors_are_the_api_servers():
    """Out of range and taken ports give the allocator's texts."""
    p = NodePortAllocator(30000, 32767, Rand(0))
    with pytest.raises(AllocationError) as e:
        p.allocate(40000)
    assert str(e.value) == ("provided port is not in the valid range. "
                            "The range of valid ports is 30000-32767")
    p.allocate(30008)
    with pytest.raises(AllocationError) as e:
        p.allocate(30008)
    assert str(e.value) == "provided port is already allocated"


def test_dynamic_node_ports_prefer_the_upper_band():
    """Automatic node ports avoid the static band 30000-30085 while the rest has room."""
    p = NodePortAllocator(30000, 32767, Rand(5))
    ports = [p.allocate_next() for _ in range(300)]
    assert all(30086 <= x <= 32767 for x in ports) and len(set(ports)) == 300


def test_released_ports_can_be_taken_again():
    """Deleting a Service frees its nodePort."""
    p = NodePortAllocator(30000, 32767, Rand(0))
    p.allocate(30008)
    p.release(30008)
    p.allocate(30008)
