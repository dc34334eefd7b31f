"""The docker engine: images vs containers, the CLI's tables and its exact error texts."""

import pytest

from k8scourse.docker import DockerEngine, human_duration, vms_vs_containers


@pytest.fixture
def engine():
    return DockerEngine(seed=0)


def test_run_pulls_then_prints_the_id(engine):
    """`docker run` of a missing image says so, pulls layer by layer, and prints the 64-hex ID."""
    r = engine.docker("run -d --name=redis redis")
    assert r.exit_code == 0
    assert r.stderr.startswith("Unable to find image 'redis:latest' locally\nlatest: Pulling from library/redis\n")
    assert "Status: Downloaded newer image for redis:latest\n" in r.stderr
    cid = r.stdout.strip()
    assert len(cid) == 64 and all(ch in "0123456789abcdef" for ch in cid)


def test_second_image_on_the_same_base_reuses_its_layer(engine):
    """Images share layers: the Debian base layer pulled with redis already exists for nginx."""
    engine.docker("pull redis")
    r = engine.docker("pull nginx")
    assert ": Already exists\n" in r.stdout
    assert r.stdout.startswith("Using default tag: latest\nlatest: Pulling from library/nginx\n")
    assert r.stdout.endswith("docker.io/library/nginx:latest\n")


def test_name_conflict(engine):
    """A second container with a taken name is refused with the daemon's Conflict text."""
    cid = engine.docker("run -d --name=redis redis").stdout.strip()
    r = engine.docker("run -d --name=redis redis")
    assert r.exit_code == 125
    assert r.stderr == (f'docker: Error response from daemon: Conflict. The container name "/redis" is already in use '
                        f'by container "{cid}". You have to remove (or rename) that container to be able to reuse '
                        "that name.\nSee 'docker run --help'.\n")


def test_unknown_image_pull_access_denied(engine):
    """A repository that does not exist: pull access denied, exit 125 for run and 1 for pull."""
    r = engine.docker("run ngnix")
    assert r.exit_code == 125
    assert r.stderr == ("Unable to find image 'ngnix:latest' locally\n"
                        "docker: Error response from daemon: pull access denied for ngnix, repository does not "
                        "exist or may require 'docker login': denied: requested access to the resource is denied."
                        "\nSee 'docker run --help'.\n")
    r = engine.docker("pull ngnix")
    assert r.exit_code == 1
    assert r.stderr == ("Using default tag: latest\nError response from daemon: pull access denied for ngnix, "
                        "repository does not exist or may require 'docker login': denied: requested access to "
                        "the resource is denied\n")


def test_unknown_tag_manifest_unknown(engine):
    """A tag that does not exist: manifest unknown."""
    r = engine.docker("run -d nginx:9.9")
    assert "docker: Error response from daemon: manifest for nginx:9.9 not found: manifest unknown: " \
           "manifest unknown.\n" in r.stderr


def test_port_already_allocated(engine):
    """Publishing a host port twice fails at start; the second container stays Created."""
    engine.docker("run -d --name web -p 5000:80 nginx")
    r = engine.docker("run -d --name web2 -p 5000:80 nginx")
    assert r.exit_code == 125
    assert r.stderr.startswith("docker: Error response from daemon: driver failed programming external "
                               "connectivity on endpoint web2 (")
    assert r.stderr.endswith("): Bind for 0.0.0.0:5000 failed: port is already allocated.\n")
    assert engine.container("web2").status == "created"


def test_ps_table(engine):
    """docker ps shows ID, quoted truncated command, Up time, published and exposed ports."""
    engine.docker("run -d --name web -p 5000:80 nginx")
    engine.advance(3)
    out = engine.docker("ps").stdout.splitlines()
    assert out[0] == ("CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         "
                      "PORTS                                     NAMES")
    c = engine.container("web")
    assert out[1] == (f'{c.id[:12]}   nginx     "/docker-entrypoint.…"   4 seconds ago   Up 4 seconds   '
                      "0.0.0.0:5000->80/tcp, [::]:5000->80/tcp   web")


def test_stop_rm_and_ps_all(engine):
    """A running container cannot be removed; after stop, ps -a shows Exited (0)."""
    engine.docker("run -d --name=redis redis")
    r = engine.docker("rm redis")
    assert r.exit_code == 1
    assert r.stderr == ('Error response from daemon: cannot remove container "/redis": container is running: '
                        "stop the container before removing or force remove\n")
    assert engine.docker("stop redis").stdout == "redis\n"
    assert engine.docker("ps -q").stdout == ""
    assert "Exited (0) 2 seconds ago" in engine.docker("ps -a").stdout  # stop, then ps -q: 2 s
    assert engine.docker("rm redis").stdout == "redis\n"
    assert engine.docker("logs redis").stderr == "Error response from daemon: No such container: redis\n"


def test_postgres_refuses_to_start_without_password(engine):
    """Current postgres images exit 1 with the entrypoint's error when no password is set."""
    r = engine.docker("run --name pg postgres")
    assert r.exit_code == 1
    assert r.stdout == (
        "Error: Database is uninitialized and superuser password is not specified.\n"
        "       You must specify POSTGRES_PASSWORD to a non-empty value for the\n"
        '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".\n'
        "\n"
        '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all\n'
        "       connections without a password. This is *not* recommended.\n"
        "\n"
        '       See PostgreSQL documentation about "trust":\n'
        "       https://www.postgresql.org/docs/current/auth-trust.html\n")
    assert "Exited (1)" in engine.docker("ps -a").stdout


def test_postgres_94_starts_without_password_and_warns(engine):
    """The old 9.4 image only warns about the missing password and runs with trust."""
    engine.docker("run -d --name db postgres:9.4")
    engine.advance(3)
    logs = engine.docker("logs db").stdout
    assert "WARNING: No password has been set for the database.\n" in logs
    assert "LOG:  database system is ready to accept connections\n" in logs
    assert engine.container("db").running


def test_exec_tool_not_in_image(engine):
    """A command the image lacks: the OCI runtime's error."""
    engine.docker("run -d --name web nginx")
    r = engine.docker("exec web ping redis")
    assert r.exit_code == 127
    assert r.stderr == ('OCI runtime exec failed: exec failed: unable to start container process: exec: "ping": '
                        "executable file not found in $PATH: unknown\n")


def test_exec_on_stopped_container(engine):
    """exec needs a running container."""
    cid = engine.docker("run -d --name=redis redis").stdout.strip()
    engine.docker("stop redis")
    assert engine.docker("exec redis redis-cli ping").stderr == \
        f"Error response from daemon: container {cid} is not running\n"


def test_images_table(engine):
    """docker images: repository, tag, short ID, age, decimal size."""
    engine.docker("pull busybox")
    lines = engine.docker("images").stdout.splitlines()
    assert lines[0] == "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE"
    busy = next(line for line in lines if line.startswith("busybox"))
    assert busy.split()[1] == "latest" and busy.endswith("4.27MB")


def test_inspect_format_ip(engine):
    """inspect -f with a Go template path prints the container's bridge IP."""
    engine.docker("run -d --name=redis redis")
    assert engine.docker('inspect -f "{{.NetworkSettings.IPAddress}}" redis').stdout == "172.17.0.2\n"
    assert engine.docker("inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' redis").stdout \
        == "172.17.0.2\n"


def test_foreground_command_and_rm(engine):
    """docker run --rm busybox echo prints the output and leaves no container behind."""
    r = engine.docker("run --rm busybox echo hello")
    assert r.exit_code == 0 and r.stdout == "hello\n"
    assert engine.docker("ps -aq").stdout == ""


def test_human_duration():
    """go-units HumanDuration thresholds."""
    assert [human_duration(s) for s in (0.5, 1, 59, 60, 119, 120, 3599, 3600, 7200)] == [
        "Less than a second", "1 second", "59 seconds", "About a minute", "About a minute",
        "2 minutes", "59 minutes", "About an hour", "2 hours"]


def test_containers_share_the_host_kernel(engine):
    """Every container reports the host's kernel; each VM has its own."""
    engine.docker("run -d --name web nginx")
    engine.docker("run -d --name bb busybox sleep 100")
    assert engine.docker("exec bb uname -r").stdout == "5.15.0-126-generic\n"
    assert "1#1: OS: Linux 5.15.0-126-generic" in engine.docker("logs web").stdout
    vms, containers = vms_vs_containers(engine, vms=3)
    assert vms.kernels == 4 and containers.kernels == 1
    assert {g.kernel for g in containers.guests} == {"5.15.0-126-generic"}
    assert {g.userland for g in containers.guests} == {"Debian GNU/Linux 12 (bookworm)", "BusyBox"}


def test_run_detached_shows_the_pull_before_the_id(engine):
    """`docker run -d` of a missing image: the pull lines (stderr) come before the ID (stdout)."""
    r = engine.docker("run -d busybox sleep 100")
    cid = r.stdout.strip()
    lines = r.output.splitlines()
    assert lines[0] == "Unable to find image 'busybox:latest' locally"
    assert lines[1] == "latest: Pulling from library/busybox"
    assert lines[-2] == "Status: Downloaded newer image for busybox:latest"
    assert lines[-1] == cid
    assert r.stdout == cid + "\n" and "Digest: sha256:" in r.stderr
    assert str(r).endswith(cid + "\n")


def test_run_a_shell_image_without_a_terminal_exits_0(engine):
    """`docker run ubuntu` (bash) / alpine / busybox (sh): no terminal, the shell reads EOF and exits 0."""
    for image in ("ubuntu", "alpine", "busybox"):
        r = engine.docker(f"run --name {image}-1 {image}")
        assert r.exit_code == 0 and r.stdout == "", (image, r.output)
    engine.advance(5)
    lines = engine.docker("ps -a").stdout.splitlines()[1:]
    assert len(lines) == 3
    for line in lines:
        assert "Exited (0) " in line


def test_run_a_command_of_the_image(engine):
    """`docker run busybox uname` / `ubuntu cat /etc/hostname` run the image's own commands."""
    assert engine.docker("run --rm busybox uname").stdout == "Linux\n"
    r = engine.docker("run --rm -h box ubuntu cat /etc/hostname")
    assert (r.exit_code, r.stdout) == (0, "box\n")
    assert engine.docker("run --rm alpine sh -c 'uname -r; whoami'").stdout == "5.15.0-126-generic\nroot\n"
    r = engine.docker("run --rm ubuntu sh -c 'nope'")
    assert (r.exit_code, r.stdout) == (127, "sh: 1: nope: not found\n")


def test_run_a_command_the_image_lacks(engine):
    """A missing executable: runc cannot start it, docker run exits 127, the container stays Created."""
    engine.docker("pull busybox")
    r = engine.docker("run --name nope busybox curl http://example.com")
    assert r.exit_code == 127
    assert r.stderr == ("docker: Error response from daemon: failed to create task for container: failed to "
                        "create shim task: OCI runtime create failed: runc create failed: unable to start "
                        'container process: exec: "curl": executable file not found in $PATH: unknown.\n')
    assert "   Created   " in engine.docker("ps -a").stdout


def test_exec_everyday_commands(engine):
    """docker exec: cat, uname, ls, id, whoami, date, ps work in busybox; ps is not in ubuntu."""
    engine.docker("run -d --name bb busybox sleep 1000")
    engine.docker("run -d --name ub ubuntu sleep 1000")
    assert engine.docker("exec bb ps").stdout == ("PID   USER     TIME  COMMAND\n"
                                                  "    1 root      0:00 sleep 1000\n"
                                                  "    7 root      0:00 ps\n")
    for name in ("bb", "ub"):
        for cmd in ("cat /etc/hosts", "uname", "ls", "id", "whoami", "date", "hostname", "env"):
            r = engine.docker(f"exec {name} {cmd}")
            assert r.exit_code == 0 and r.stdout, (name, cmd, r.output)
    assert engine.docker("exec ub ps").exit_code == 127


def test_ps_format_table_with_headers(engine):
    """`docker ps --format "table ..."`: the fields' headers, columns aligned by tabwriter."""
    engine.docker("run -d --name web -p 8080:80 nginx")
    engine.docker("run -d --name cache redis")
    cid_web, cid_cache = engine.container("web").id[:12], engine.container("cache").id[:12]
    out = engine.docker(r'ps --format "table {{.ID}}\t{{.Names}}\t{{.Ports}}"').stdout
    assert out == ("CONTAINER ID   NAMES     PORTS\n"
                   f"{cid_cache}   cache     6379/tcp\n"
                   f"{cid_web}   web       0.0.0.0:8080->80/tcp, [::]:8080->80/tcp\n")
    out = engine.docker(r'ps --format "table {{.Image}}\t{{.Status}}"').stdout.splitlines()
    assert out[0] == "IMAGE     STATUS"
    assert out[1].startswith("redis     Up ")


def test_ps_format_plain_and_errors(engine):
    """Without `table`: one template per container, no header; an unknown field is the template's error."""
    engine.docker("run -d --name web nginx")
    engine.docker("run --name once busybox")
    assert engine.docker('ps --format "{{.Names}}: {{.Image}}"').stdout == "web: nginx\n"
    assert engine.docker('ps -a --format "{{.Names}} {{.Status}}"').stdout.splitlines()[0].startswith(
        "once Exited (0) ")
    r = engine.docker('ps --format "{{.Name}}"')
    assert r.exit_code == 1
    assert r.stderr == ('template parsing error: template: :1:2: executing "" at <.Name>: can\'t evaluate '
                        "field Name in type *formatter.ContainerContext\n")
