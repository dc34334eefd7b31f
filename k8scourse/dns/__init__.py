"""Cluster DNS: CoreDNS's answers, and what a pod's resolver is told (resolv.conf, /etc/hosts).

    from k8scourse.dns import CoreDNS, pod_dns_config, hosts_file, search_candidates
"""

from __future__ import annotations

from k8scourse.dns.coredns import CnameAnswer, CoreDNS
from k8scourse.dns.resolver import (CLUSTER_DNS, CLUSTER_DOMAIN, ResolvConf, hosts_file,
                                    pod_dns_config, pod_hostname, search_candidates)

__all__ = ["CLUSTER_DNS", "CLUSTER_DOMAIN", "CnameAnswer", "CoreDNS", "ResolvConf", "hosts_file",
           "pod_dns_config", "pod_hostname", "search_candidates"]
