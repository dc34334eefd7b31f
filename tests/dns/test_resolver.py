"""A pod's resolv.conf and /etc/hosts as the kubelet and the runtime write them; search order."""

from k8scourse.dns.resolver import (ResolvConf, hosts_file, merge_options, pod_dns_config,
                                    pod_hostname, search_candidates)

HOST = ResolvConf(["10.0.2.3"], [], [])


def pod(ns="default", name="web", **spec):
    return {"metadata": {"name": name, "namespace": ns}, "spec": dict(spec)}


def test_cluster_first_resolv_conf_containerd():
    """ClusterFirst: the cluster DNS only, the namespace's search list, ndots:5 (containerd's order)."""
    conf = pod_dns_config(pod("prod"), HOST)
    assert conf.text("containerd://1.7.24") == ("search prod.svc.cluster.local svc.cluster.local cluster.local\n"
                                                "nameserver 10.96.0.10\n"
                                                "options ndots:5\n")


def test_docker_runtime_writes_nameserver_first():
    """cri-dockerd (minikube's docker runtime) writes nameserver, search, options."""
    conf = pod_dns_config(pod(), HOST)
    assert conf.text("docker://27.4.1") == ("nameserver 10.96.0.10\n"
                                            "search default.svc.cluster.local svc.cluster.local cluster.local\n"
                                            "options ndots:5\n")


def test_node_search_domains_follow_the_cluster_ones():
    """The node's own search domains are appended after the cluster's, without repeats."""
    host = ResolvConf(["10.0.2.3"], ["example.internal", "cluster.local"], ["edns0"])
    conf = pod_dns_config(pod(), host)
    assert conf.searches == ["default.svc.cluster.local", "svc.cluster.local", "cluster.local",
                             "example.internal"]
    assert conf.options == ["ndots:5"]


def test_host_network_pod_falls_back_to_the_node_resolver():
    """hostNetwork with ClusterFirst uses the node's resolv.conf (Default)."""
    conf = pod_dns_config(pod(hostNetwork=True), HOST)
    assert conf.text() == "nameserver 10.0.2.3\n"


def test_cluster_first_with_host_net_keeps_cluster_dns():
    """ClusterFirstWithHostNet gives a hostNetwork pod the cluster DNS."""
    conf = pod_dns_config(pod(hostNetwork=True, dnsPolicy="ClusterFirstWithHostNet"), HOST)
    assert conf.nameservers == ["10.96.0.10"]
    assert conf.searches[0] == "default.svc.cluster.local"


def test_dns_policy_default_uses_node_resolver():
    """dnsPolicy Default: the node's resolver, no cluster names."""
    conf = pod_dns_config(pod(dnsPolicy="Default"), HOST)
    assert conf.nameservers == ["10.0.2.3"] and conf.searches == [] and conf.options == []


def test_dns_policy_none_takes_dns_config_only():
    """dnsPolicy None: exactly spec.dnsConfig."""
    p = pod(dnsPolicy="None", dnsConfig={"nameservers": ["1.2.3.4"], "searches": ["ns1.svc.cluster-domain.example"],
                                         "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]})
    conf = pod_dns_config(p, HOST)
    assert conf.text() == ("search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\n"
                           "options edns0 ndots:2\n")


def test_dns_config_merges_with_cluster_first():
    """dnsConfig adds nameservers and searches after the cluster's and overrides options by name."""
    p = pod(dnsConfig={"nameservers": ["10.96.0.10", "8.8.8.8"], "searches": ["corp.example"],
                       "options": [{"name": "ndots", "value": "2"}]})
    conf = pod_dns_config(p, HOST)
    assert conf.nameservers == ["10.96.0.10", "8.8.8.8"]
    assert conf.searches[-1] == "corp.example"
    assert conf.options == ["ndots:2"]
    assert conf.ndots == 2


def test_merge_options_option_without_value():
    """An option without a value is written bare."""
    assert merge_options(["ndots:5"], [{"name": "single-request-reopen"}]) == ["ndots:5", "single-request-reopen"]


def test_hosts_file_plain_pod():
    """The managed hosts file: header, localhost block, the pod IP with its name."""
    assert hosts_file(pod(name="nginx"), ["10.244.1.3"]) == (
        "# Kubernetes-managed hosts file.\n"
        "127.0.0.1\tlocalhost\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\n"
        "fe00::0\tip6-localnet\n"
        "fe00::0\tip6-mcastprefix\n"
        "fe00::1\tip6-allnodes\n"
        "fe00::2\tip6-allrouters\n"
        "10.244.1.3\tnginx\n")


def test_hosts_file_with_subdomain_and_host_aliases():
    """hostname/subdomain give the FQDN first; hostAliases follow under their own comment."""
    p = pod(name="x", hostname="pod-hostname", subdomain="pod-subdomain",
            hostAliases=[{"ip": "127.0.0.1", "hostnames": ["foo.local", "bar.local"]}])
    text = hosts_file(p, ["172.17.0.3"])
    assert text.endswith("fe00::2\tip6-allrouters\n"
                         "172.17.0.3\tpod-hostname.pod-subdomain.default.svc.cluster.local\tpod-hostname\n"
                         "\n# Entries added by HostAliases.\n"
                         "127.0.0.1\tfoo.local\n127.0.0.1\tbar.local\n")


def test_hosts_file_host_network():
    """A hostNetwork pod gets the node's file under the host-network header."""
    text = hosts_file(pod(hostNetwork=True), ["192.168.56.11"], node_hosts="127.0.0.1 localhost\n")
    assert text == "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n"


def test_long_pod_name_hostname_is_cut_to_63():
    """A pod name longer than 63 characters is cut, without a trailing dash."""
    name = "a" * 62 + "-bcd"
    assert pod_hostname(pod(name=name)) == ("a" * 62, "")


def test_search_order_short_name_tries_search_list_first():
    """`web` (fewer dots than ndots) tries every search domain, then itself."""
    s = ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"]
    assert search_candidates("web", s, 5) == ["web.default.svc.cluster.local", "web.svc.cluster.local",
                                              "web.cluster.local", "web"]


def test_search_order_many_dots_tries_name_first():
    """A name with at least ndots dots is tried as is first."""
    assert search_candidates("a.b.c", ["x"], 2) == ["a.b.c", "a.b.c.x"]


def test_search_order_trailing_dot_is_absolute():
    """`web.prod.svc.cluster.local.` is only tried as is."""
    assert search_candidates("web.prod.svc.cluster.local.", ["x"], 5) == ["web.prod.svc.cluster.local"]


def test_resolv_conf_parse_round_trip():
    """Parsing what was written gives the same configuration."""
    conf = pod_dns_config(pod("prod"), HOST)
    again = ResolvConf.parse(conf.text())
    assert (again.nameservers, again.searches, again.options) == (conf.nameservers, conf.searches,
                                                                  conf.options)
    assert again.ndots == 5
