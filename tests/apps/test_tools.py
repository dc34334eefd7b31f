"""The debugging commands inside a container print what the real busybox/curl/redis-cli/psql print."""

import pytest

from k8scourse.apps.net import (ConnectionRefused, DnsAnswer, Endpoint, HostUnreachable, Sandbox,
                                Timeout)
from k8scourse.apps.tools import ExecutableNotFound, exec_command


class FakeCluster:
    """A tiny Kubernetes-like network: CoreDNS names, one Service IP that never answers ping."""

    def __init__(self, servers=None):
        self.names = {"web.default.svc.cluster.local": "10.96.0.12"}
        self.servers = servers or {}

    def resolve(self, name):
        ans = self.lookup(name) or self.lookup(name + ".default.svc.cluster.local")
        return ans.ips[0] if ans else None

    def lookup(self, name):
        ip = self.names.get(name)
        return DnsAnswer(name, [ip], True, "10.96.0.10") if ip else None

    def connect(self, ip, port):
        if ip == "10.96.0.99":
            raise Timeout(ip, port)
        if ip == "10.0.0.1":
            raise HostUnreachable(ip, port)
        server = self.servers.get((ip, port))
        if server is None:
            raise ConnectionRefused(ip, port)
        return Endpoint(server, ip, port, "10.244.1.5")

    def ping(self, ip):
        return not ip.startswith("10.96.")


def pod(net=None):
    files = {"/etc/resolv.conf": "search default.svc.cluster.local svc.cluster.local cluster.local\n"
                                 "nameserver 10.96.0.10\noptions ndots:5\n"}
    return Sandbox("debug", "10.244.1.5", net or FakeCluster(), {"FOO": "bar"}, files)


def test_nslookup_found_and_nxdomain():
    """busybox nslookup: the server block, the answer; NXDOMAIN for a missing name."""
    r = exec_command(["nslookup", "web"], pod(), "busybox")
    assert r.exit_code == 0
    assert r.stdout == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                        "Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.12\n\n")
    r = exec_command(["nslookup", "nope"], pod(), "busybox")
    assert r.exit_code == 1
    assert "** server can't find nope: NXDOMAIN\n" in r.stdout


def test_wget_errors():
    """busybox wget: bad address, refused, timed out."""
    assert exec_command(["wget", "-qO-", "http://x"], pod(), "busybox").stderr == "wget: bad address 'x'\n"
    r = exec_command(["wget", "-qO-", "http://10.244.2.9"], pod(), "busybox")
    assert r.stderr == "wget: can't connect to remote host (10.244.2.9): Connection refused\n"
    assert exec_command(["wget", "-qO-", "http://10.96.0.99"], pod(), "busybox").stderr == \
        "wget: download timed out\n"


def test_curl_errors():
    """curl -s: could not resolve (6), failed to connect (7)."""
    r = exec_command(["curl", "-sS", "http://x"], pod(), "nginx")
    assert (r.exit_code, r.stderr) == (6, "curl: (6) Could not resolve host: x\n")
    r = exec_command(["curl", "-sS", "http://10.244.2.9"], pod(), "nginx")
    assert (r.exit_code, r.stderr) == (7, "curl: (7) Failed to connect to 10.244.2.9 port 80 after 0 ms: "
                                          "Couldn't connect to server\n")


def test_ping_cluster_ip_gets_no_reply():
    """ICMP to a Service's ClusterIP is never answered: 100% packet loss, exit 1."""
    r = exec_command(["ping", "-c", "2", "10.96.0.12"], pod(), "busybox")
    assert r.exit_code == 1
    assert r.stdout == ("PING 10.96.0.12 (10.96.0.12): 56 data bytes\n\n--- 10.96.0.12 ping statistics ---\n"
                        "2 packets transmitted, 0 packets received, 100% packet loss\n")
    assert exec_command(["ping", "nope"], pod(), "busybox").stderr == "ping: bad address 'nope'\n"


def test_redis_cli_connection_errors():
    """redis-cli: unknown host and refused connection texts."""
    r = exec_command(["redis-cli", "-h", "x", "ping"], pod(), "redis")
    assert (r.exit_code, r.stderr) == (1, "Could not connect to Redis at x:6379: Name or service not known\n")
    r = exec_command(["redis-cli", "-h", "10.244.2.9", "ping"], pod(), "redis")
    assert r.stderr == "Could not connect to Redis at 10.244.2.9:6379: Connection refused\n"


def test_psql_cannot_translate_host():
    """psql: a host name that does not resolve."""
    r = exec_command(["psql", "-h", "db", "-U", "postgres", "-c", "SELECT 1"], pod(), "postgres")
    assert (r.exit_code, r.stderr) == (2, 'psql: error: could not translate host name "db" to address: '
                                          "Name or service not known\n")


def test_files_env_hostname_and_missing_tools():
    """cat /etc/resolv.conf, env, hostname; an absent tool raises, a shell says `not found`."""
    sb = pod()
    assert exec_command(["cat", "/etc/resolv.conf"], sb, "busybox").stdout.startswith("search default.svc")
    assert exec_command(["hostname"], sb, "busybox").stdout == "debug\n"
    env = exec_command(["env"], sb, "busybox").stdout.splitlines()
    assert env[0].startswith("PATH=") and "HOSTNAME=debug" in env and "FOO=bar" in env
    with pytest.raises(ExecutableNotFound):
        exec_command(["curl", "http://web"], sb, "busybox")
    r = exec_command(["sh", "-c", "curl http://web"], sb, "busybox")
    assert (r.exit_code, r.stderr) == (127, "sh: curl: not found\n")
    r = exec_command(["sh", "-c", "ping web"], sb, "nginx")
    assert (r.exit_code, r.stderr) == (127, "sh: 1: ping: not found\n")
    assert exec_command(["cat", "/nope"], sb, "busybox").stderr == \
        "cat: can't open '/nope': No such file or directory\n"


def test_everyday_commands_in_busybox_alpine_and_ubuntu():
    """cat, uname, ls, echo, hostname, env, id, whoami, date exist in busybox, alpine and ubuntu."""
    for repo in ("busybox", "alpine", "ubuntu"):
        for argv in (["cat", "/etc/hostname"], ["uname"], ["ls"], ["echo", "hi"], ["hostname"], ["env"],
                     ["id"], ["whoami"], ["date"]):
            r = exec_command(argv, Sandbox("debug", "10.244.1.5", files={"/etc/hostname": "debug\n"}), repo)
            assert r.exit_code == 0 and r.stdout, (repo, argv)
    sb = Sandbox("debug", "10.244.1.5")
    assert exec_command(["uname"], sb, "busybox").stdout == "Linux\n"
    assert exec_command(["whoami"], sb, "ubuntu").stdout == "root\n"
    assert exec_command(["echo", "hi"], sb, "alpine").stdout == "hi\n"
    assert exec_command(["date"], sb, "busybox").stdout == "Wed Jan  1 00:00:00 UTC 2025\n"


def test_id_and_ls_per_userland():
    """id lists the image's groups for root; ls / lists the image's top directories."""
    sb = Sandbox("debug", "10.244.1.5")
    assert exec_command(["id"], sb, "busybox").stdout == "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"
    assert exec_command(["id"], sb, "ubuntu").stdout == "uid=0(root) gid=0(root) groups=0(root)\n"
    assert exec_command(["ls"], sb, "busybox").stdout == \
        "bin\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n"
    assert exec_command(["ls", "/"], sb, "alpine").stdout == \
        "bin\ndev\netc\nhome\nlib\nmedia\nmnt\nopt\nproc\nroot\nrun\nsbin\nsrv\nsys\ntmp\nusr\nvar\n"
    assert "bin.usr-is-merged\nboot\n" in exec_command(["ls", "/"], sb, "ubuntu").stdout
    r = exec_command(["ls", "/nope"], sb, "ubuntu")
    assert (r.exit_code, r.stderr) == (2, "ls: cannot access '/nope': No such file or directory\n")
    r = exec_command(["ls", "/nope"], sb, "busybox")
    assert (r.exit_code, r.stderr) == (1, "ls: /nope: No such file or directory\n")


def test_ps_is_busybox_only():
    """busybox ps lists PID 1 and itself; Debian/Ubuntu images have no procps, so no ps."""
    sb = Sandbox("debug", "10.244.1.5", command=["sleep", "3600"])
    assert exec_command(["ps"], sb, "busybox").stdout == ("PID   USER     TIME  COMMAND\n"
                                                           "    1 root      0:00 sleep 3600\n"
                                                           "    7 root      0:00 ps\n")
    with pytest.raises(ExecutableNotFound):
        exec_command(["ps"], sb, "ubuntu")


def test_uname_a_per_userland():
    """uname -a: busybox ends `x86_64 GNU/Linux`, Alpine's busybox `x86_64 Linux`, coreutils
    `x86_64 x86_64 x86_64 GNU/Linux`."""
    sb = Sandbox("debug", "10.244.1.5", kernel="5.15.0-126-generic")
    head = "Linux debug 5.15.0-126-generic #136-Ubuntu SMP Wed Nov 6 10:38:22 UTC 2024 "
    assert exec_command(["uname", "-a"], sb, "busybox").stdout == head + "x86_64 GNU/Linux\n"
    assert exec_command(["uname", "-a"], sb, "alpine").stdout == head + "x86_64 Linux\n"
    assert exec_command(["uname", "-a"], sb, "ubuntu").stdout == head + "x86_64 x86_64 x86_64 GNU/Linux\n"
