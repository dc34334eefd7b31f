"""The seed's five docker run commands bring up the voting app; wrong setups fail as they really do."""

import pytest

from k8scourse.apps import VoteApp, rebuild
from k8scourse.docker import DockerEngine

SEED = ["run -d --name=redis redis",
        "run -d --name=db postgres:9.4",
        "run -d --name=vote -p 5000:80 --link redis:redis voting-app",
        "run -d --name=result -p 5001:80 --link db:db result-app",
        "run -d --name=worker --link db:db --link redis:redis worker"]


@pytest.fixture
def engine():
    return DockerEngine(seed=0)


def test_seed_commands_end_to_end(engine):
    """A vote posted on localhost:5000 shows in the tally of localhost:5001 after the worker moves it."""
    for cmd in SEED:
        assert engine.docker(cmd).exit_code == 0
    engine.advance(5)
    page = engine.curl("http://localhost:5000/")
    assert page.exit_code == 0
    assert "<title>Cats vs Dogs!</title>" in page.stdout
    assert f"Processed by container ID {engine.container('vote').id[:12]}" in page.stdout
    assert engine.browser_vote(5000, "a").status == 200
    assert engine.browser_vote(5000, "b", voter="v2").status == 200
    assert engine.browser_vote(5000, "a", voter="v3").status == 200
    engine.advance(2)
    tally = engine.browser_result(5001)
    assert (tally["a"], tally["b"], tally["total"]) == (2, 1, 3)
    logs = engine.docker("logs worker").stdout
    assert logs.startswith("Connected to db\nFound redis at 172.17.0.2\nConnecting to redis\n")
    assert "Processing vote for 'b' by 'v2'\n" in logs


def test_changing_a_vote_updates_the_row(engine):
    """The same voter voting again replaces its vote (INSERT fails on the unique id, UPDATE)."""
    for cmd in SEED:
        engine.docker(cmd)
    engine.advance(5)
    engine.browser_vote(5000, "a", voter="me")
    engine.browser_vote(5000, "b", voter="me")
    engine.advance(2)
    tally = engine.browser_result(5001)
    assert (tally["a"], tally["b"]) == (0, 1)


def test_vote_without_link_is_a_500(engine):
    """Without --link redis:redis the name `redis` does not resolve: Flask's 500 page."""
    engine.docker("run -d --name=redis redis")
    engine.docker("run -d --name=vote -p 5000:80 voting-app")
    assert engine.curl("http://localhost:5000/").exit_code == 0          # GET does not touch redis
    resp = engine.browser_vote(5000, "a")
    assert resp.status == 500
    assert resp.body == ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n'
                         "<title>500 Internal Server Error</title>\n"
                         "<h1>Internal Server Error</h1>\n"
                         "<p>The server encountered an internal error and was unable to complete your request.  "
                         "Either the server is overloaded or there is an error in the application.</p>\n")
    logs = engine.docker("logs vote").stdout
    assert "ConnectionError: Error -2 connecting to redis:6379. Name or service not known.\n" in logs


def test_link_to_missing_container_is_refused(engine):
    """--link db:db before db exists: the daemon refuses to create the container."""
    r = engine.docker("run -d --name=worker --link db:db --link redis:redis worker")
    assert r.exit_code == 125
    assert r.stderr == ("docker: Error response from daemon: could not get container for db: No such container: "
                        "db.\nSee 'docker run --help'.\n")


def test_link_to_stopped_container(engine):
    """--link to a stopped container: Cannot link to a non running container."""
    engine.docker("run -d --name=redis redis")
    engine.docker("stop redis")
    r = engine.docker("run -d --name=vote -p 5000:80 --link redis:redis voting-app")
    assert r.exit_code == 125
    assert r.stderr == ("docker: Error response from daemon: Cannot link to a non running container: "
                        "/redis AS /vote/redis.\n")


def test_worker_before_redis_exits_1(engine):
    """On a user-defined network, a worker started before redis exists crashes: ps -a shows Exited (1)."""
    engine.docker("network create voting")
    engine.docker("run -d --name=db --network voting postgres:9.4")
    engine.advance(3)
    engine.docker("run -d --name=worker --network voting worker")
    logs = engine.docker("logs worker").stdout
    assert logs.startswith("Connected to db\nSystem.AggregateException: One or more errors occurred. "
                           "(No such device or address) ---> ")
    assert "Exited (1)" in engine.docker("ps -a").stdout


def test_worker_waits_for_db(engine):
    """Without db the worker says `Waiting for db` every second, and connects once db is up."""
    engine.docker("network create voting")
    engine.docker("run -d --name=redis --network voting redis")
    engine.docker("run -d --name=worker --network voting worker")
    engine.advance(2)
    assert engine.docker("logs worker").stdout.startswith("Waiting for db\nWaiting for db\n")
    engine.docker("run -d --name=db --network voting postgres:9.4")
    engine.advance(5)
    logs = engine.docker("logs worker").stdout
    assert "Connected to db\nFound redis at 172.18.0.2\nConnecting to redis\n" in logs
    assert engine.container("worker").running


def test_user_defined_network_runs_the_app_without_links(engine):
    """The same app on `docker network create` finds its peers through the embedded DNS."""
    engine.docker("network create voting")
    for cmd in ["run -d --name=redis --network voting redis",
                "run -d --name=db --network voting postgres:9.4",
                "run -d --name=vote --network voting -p 5000:80 voting-app",
                "run -d --name=result --network voting -p 5001:80 result-app"]:
        assert engine.docker(cmd).exit_code == 0
    engine.advance(3)
    engine.docker("run -d --name=worker --network voting worker")
    engine.browser_vote(5000, "b")
    engine.advance(2)
    assert engine.browser_result(5001)["b"] == 1


def test_result_reports_missing_table_until_worker_creates_it(engine):
    """The result app logs PostgreSQL's missing-relation error until the worker has created `votes`."""
    engine.docker("run -d --name=db postgres:9.4")
    engine.advance(3)
    engine.docker("run -d --name=result -p 5001:80 --link db:db result-app")
    engine.advance(1)
    logs = engine.docker("logs result").stdout
    assert logs.startswith("App running on port 80\nConnected to db\n"
                           'Error performing query: error: relation "votes" does not exist\n')


def test_some_redis_service_on_7000_needs_the_edited_source(engine):
    """The seed's variant: redis reachable as some-redis-service:7000 works only once the vote app's
    source names that host and port."""
    engine.docker("network create voting")
    engine.docker("run -d --name=some-redis-service --network voting redis --port 7000")
    engine.docker("run -d --name=vote --network voting -p 5000:80 voting-app")
    assert engine.browser_vote(5000, "a").status == 500
    rebuild(VoteApp, "voting-app-7000", redis_host="some-redis-service", redis_port=7000)
    from k8scourse.docker.images import CATALOG, ImageSpec

    CATALOG["voting-app-7000"] = ImageSpec("voting-app-7000", {"latest": "1.1"}, 84_900_000,
                                           VoteApp.default_command, exposed=["80/tcp"], local_only=True)
    engine._store_image(CATALOG["voting-app-7000"], "latest")
    engine.docker("run -d --name=vote2 --network voting -p 5002:80 voting-app-7000")
    assert engine.browser_vote(5002, "a").status == 200
    assert engine.docker("exec some-redis-service redis-cli -p 7000 llen votes").stdout == "1\n"
    del CATALOG["voting-app-7000"]
