"""The example voting app (dockersamples/example-voting-app, as the course's images run it).

    vote (Python/Flask under gunicorn, port 80)  --RPUSH votes-->  redis:6379
    worker (.NET)  --LPOP votes-->  INSERT/UPDATE votes  -->  db:5432 (postgres, user postgres)
    result (Node.js, port 80)  <--SELECT vote, COUNT(id) ... GROUP BY vote--  db:5432

Each one finds its peers by name and default port, exactly as the real code does: `redis` and `db`
are written in the source, so a Service (or a --link alias, or a container on a user-defined
network) with another name or port is not found until the source is changed and the image rebuilt
(`rebuild(...)` below models that edit; the seed's `some-redis-service` on port 7000 needs it).
What each does when a peer is missing is what the real code does:

* vote: a POST while redis cannot be reached raises redis.exceptions.ConnectionError inside the
  Flask view, so the page is Flask's `500 Internal Server Error`.
* worker: `db` unreachable -> "Waiting for db" every second, for ever (its loop catches
  SocketException and DbException); then `redis` must resolve: Dns.GetHostEntryAsync throws, the
  exception reaches Main, which prints it and returns 1: the container exits with status 1 (and
  crash-loops on Kubernetes). Resolved but refusing -> "Waiting for redis" every second.
* result: "Waiting for db" every second (async.retry, 1000 times, then "Giving up"); once connected
  it polls the tally every second, logging `Error performing query: error: relation "votes" does
  not exist` until the worker has created the table.
"""

from __future__ import annotations

import json
from html import escape

from k8scourse.apps.base import App
from k8scourse.apps.net import (HttpRequest, HttpResponse, NameNotResolved, NetError, PgError,
                                RedisError, open_connection, sql_query)
from k8scourse.apps.nginx import clf_time, http_date

VOTE_REPOS = ("voting-app", "kodekloud/examplevotingapp_vote", "dockersamples/examplevotingapp_vote")
WORKER_REPOS = ("worker", "kodekloud/examplevotingapp_worker", "dockersamples/examplevotingapp_worker")
RESULT_REPOS = ("result-app", "kodekloud/examplevotingapp_result", "dockersamples/examplevotingapp_result")

#: vote/templates/index.html
VOTE_TEMPLATE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>{option_a} vs {option_b}!</title>
    <base href="/index.html">
    <meta name = "viewport" content = "width=device-width, initial-scale = 1.0">
    <meta name="keywords" content="docker-compose, docker, stack">
    <meta name="author" content="Tutum dev team">
    <link rel='stylesheet' href="/static/stylesheets/style.css" />
    <link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/font-awesome.min.css">
  </head>
  <body>
    <div id="content-container">
      <div id="content-container-center">
        <h3>{option_a} vs {option_b}!</h3>
        <form id="choice" name='form' method="POST" action="/">
          <button id="a" type="submit" name="vote" class="a" value="a">{option_a}</button>
          <button id="b" type="submit" name="vote" class="b" value="b">{option_b}</button>
        </form>
        <div id="tip">
          (Tip: you can change your vote)
        </div>
        <div id="hostname">
          Processed by container ID {hostname}
        </div>
      </div>
    </div>
    <script src="http://code.jquery.com/jquery-latest.min.js" type="text/javascript"></script>
    <script src="//cdnjs.cloudflare.com/ajax/libs/jquery-cookie/1.4.1/jquery.cookie.js"></script>
{vote_script}
  </body>
</html>"""

VOTE_SCRIPT = """
    <script>
      var vote = "{vote}";

      if(vote == "a"){{
        $(".a").prop('disabled', true);
        $(".a").html('{option_a} <i class="fa fa-check-circle"></i>');
        $(".b").css('opacity','0.5');
      }}
      if(vote == "b"){{
        $(".b").prop('disabled', true);
        $(".b").html('{option_b} <i class="fa fa-check-circle"></i>');
        $(".a").css('opacity','0.5');
      }}
    </script>
    """

#: Werkzeug's error pages as the python:2.7 era Flask serves them
FLASK_500 = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<title>500 Internal Server Error</title>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error and was unable to complete your request.  Either the server is overloaded or there is an error in the application.</p>
"""
FLASK_404 = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>
"""

#: result/views/index.html: the tally is filled in by the browser (socket.io + Angular)
RESULT_PAGE = """<!DOCTYPE html>
<html ng-app="catsvsdogs">
  <head>
    <meta charset="utf-8">
    <title>Cats vs Dogs -- Result</title>
    <base href="/index.html">
    <meta name = "viewport" content = "width=device-width, initial-scale = 1.0">
    <meta name="keywords" content="docker-compose, docker, stack">
    <meta name="author" content="Docker">
    <link rel='stylesheet' href='/stylesheets/style.css' />
  </head>
  <body ng-controller="statsCtrl" >
    <div id="background-stats">
      <div id="background-stats-1">
      </div><!--
     --><div id="background-stats-2">
      </div>
    </div>
    <div id="content-container">
      <div id="content-container-center">
        <div id="choice">
          <div class="choice cats">
            <div class="label">Cats</div>
            <div class="stat">{{aPercent | number:1}}%</div>
          </div>
          <div class="divider"></div>
          <div class="choice dogs">
            <div class="label">Dogs</div>
            <div class="stat">{{bPercent | number:1}}%</div>
          </div>
        </div>
      </div>
    </div>
    <div id="result">
      <span ng-if="total == 0">No votes yet</span>
      <span ng-if="total == 1">{{total}} vote</span>
      <span ng-if="total >= 2">{{total}} votes</span>
    </div>
    <script src="socket.io.js"></script>
    <script src="angular.min.js"></script>
    <script src="app.js"></script>
  </body>
</html>
"""

GUNICORN = "19.9.0"


def _gunicorn_time(dt) -> str:
    return dt.strftime("[%Y-%m-%d %H:%M:%S +0000]")


class VoteApp(App):
    """The vote front end: the two-button page, and RPUSH of each vote into the redis list `votes`."""

    repositories = VOTE_REPOS
    default_command = ["gunicorn", "app:app", "-b", "0.0.0.0:80", "--log-file", "-",
                       "--access-logfile", "-", "--workers", "4", "--keep-alive", "0"]
    ports = (80,)
    stop_seconds = 0.5
    #: where the source connects: Redis(host="redis", db=0, socket_timeout=5), default port 6379
    redis_host = "redis"
    redis_port = 6379

    def __init__(self, ctx):
        super().__init__(ctx)
        self.option_a = self.env.get("OPTION_A", "Cats")
        self.option_b = self.env.get("OPTION_B", "Dogs")

    def start(self):
        super().start()
        t = _gunicorn_time(self.now_dt())
        self.log(f"{t} [1] [INFO] Starting gunicorn {GUNICORN}")
        self.log(f"{t} [1] [INFO] Listening at: http://0.0.0.0:80 (1)")
        self.log(f"{t} [1] [INFO] Using worker: sync")
        for pid in (8, 9, 10, 11):
            self.log(f"{t} [{pid}] [INFO] Booting worker with pid: {pid}")
        return None

    def stop(self):
        t = _gunicorn_time(self.now_dt())
        self.log(f"{t} [1] [INFO] Handling signal: term")
        for pid in (8, 9, 10, 11):
            self.log(f"{t} [{pid}] [INFO] Worker exiting (pid: {pid})")
        self.log(f"{t} [1] [INFO] Shutting down: Master")
        return super().stop()

    def page(self, vote: str | None) -> str:
        script = ""
        if vote:
            script = VOTE_SCRIPT.format(vote=escape(vote), option_a=self.option_a, option_b=self.option_b)
        return VOTE_TEMPLATE.format(option_a=self.option_a, option_b=self.option_b,
                                    hostname=self.hostname, vote_script=script)

    def serve(self, protocol: str, req: HttpRequest, conn) -> HttpResponse:
        dt = self.now_dt()
        path = req.path.split("?", 1)[0]
        headers = [("Server", f"gunicorn/{GUNICORN}"), ("Date", http_date(dt)), ("Connection", "close")]
        if path not in ("/", "/index.html"):
            status, body = 404, FLASK_404
            headers += [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]
        elif req.method not in ("GET", "POST"):
            status, body = 405, FLASK_404
            headers += [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]
        else:
            voter_id = req.cookies.get("voter_id")
            if not voter_id:
                # hex(random.getrandbits(64))[2:-1]: Python 3 drops the last hex digit
                voter_id = hex(self.rand.getrandbits(64))[2:-1]
            vote = None
            error = None
            if req.method == "POST":
                vote = req.form.get("vote")
                if vote is None:
                    status, body = 400, ""
                else:
                    error = self._push(voter_id, vote)
            if error is not None:
                status, body = 500, FLASK_500
                headers += [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]
                self._log_exception(dt, req, error)
            else:
                status, body = 200, self.page(vote)
                headers += [("Content-Type", "text/html; charset=utf-8"),
                            ("Content-Length", str(len(body.encode()))),
                            ("Set-Cookie", f"voter_id={voter_id}; Path=/")]
        self.log(f'{conn.client_ip or "-"} - - [{clf_time(dt)}] "{req.method} {req.path} HTTP/1.1" '
                 f'{status} {len(body.encode())} "-" "{req.user_agent}"')
        return HttpResponse(status, headers, body, served_by=self.hostname, server_ip=conn.ip)

    def _push(self, voter_id: str, vote: str) -> str | None:
        """RPUSH the vote; the redis-py ConnectionError text when redis cannot be reached."""
        data = json.dumps({"voter_id": voter_id, "vote": vote})
        host, port = self.redis_host, self.redis_port
        try:
            c = open_connection(self.net, host, port)
            reply = c.request("redis", ["RPUSH", "votes", data])
        except NameNotResolved:
            return f"Error -2 connecting to {host}:{port}. Name or service not known."
        except NetError as e:
            if "timed out" in str(e):
                return "Timeout connecting to server"
            return f"Error 111 connecting to {host}:{port}. Connection refused."
        if isinstance(reply, RedisError):
            return f"ResponseError: {reply}"
        return None

    def _log_exception(self, dt, req: HttpRequest, error: str) -> None:
        stamp = dt.strftime("%Y-%m-%d %H:%M:%S") + ",000"
        self.log(f"[{stamp}] ERROR in app: Exception on / [{req.method}]")
        self.log("Traceback (most recent call last):")
        self.log('  File "/usr/local/lib/python2.7/site-packages/flask/app.py", line 2292, in wsgi_app')
        self.log("    response = self.full_dispatch_request()")
        self.log('  File "/app/app.py", line 33, in hello')
        self.log("    redis.rpush('votes', data)")
        self.log('  File "/usr/local/lib/python2.7/site-packages/redis/connection.py", line 484, in connect')
        self.log("    raise ConnectionError(self._error_message(e))")
        kind = "TimeoutError" if error.startswith("Timeout") else "ConnectionError"
        self.log(f"{kind}: {error}")


DOTNET_DNS_TRACE = [
    "   at System.Net.Dns.InternalGetHostByName(String hostName, Boolean includeIPv6)",
    "   at System.Net.Dns.ResolveCallback(Object context)",
    "--- End of stack trace from previous location where exception was thrown ---",
    "   at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Exception source)",
    "   at System.Net.Dns.HostResolutionEndHelper(IAsyncResult asyncResult)",
    "   at System.Net.Dns.EndGetHostEntry(IAsyncResult asyncResult)",
    "   at System.Net.Dns.<>c.<GetHostEntryAsync>b__25_1(IAsyncResult asyncResult)",
    "   at System.Threading.Tasks.TaskFactory`1.FromAsyncCoreLogic(IAsyncResult iar, Func`2 endFunction, "
    "Action`1 endAction, Task`1 promise, Boolean requiresSynchronization)",
    "   --- End of inner exception stack trace ---",
    "   at System.Threading.Tasks.Task`1.GetResultCore(Boolean waitCompletionNotification)",
    "   at Worker.Program.GetIp(String hostname) in /code/src/Worker/Program.cs:line 87",
    "   at Worker.Program.OpenRedisConnection(String hostname) in /code/src/Worker/Program.cs:line 61",
    "   at Worker.Program.Main(String[] args) in /code/src/Worker/Program.cs:line 19",
]

CREATE_VOTES = """CREATE TABLE IF NOT EXISTS votes (
                                        id VARCHAR(255) NOT NULL UNIQUE,
                                        vote VARCHAR(255) NOT NULL
                                    )"""


class Worker(App):
    """The .NET worker: moves each vote from the redis list `votes` into the postgres table `votes`."""

    repositories = WORKER_REPOS
    default_command = ["dotnet", "Worker.dll"]
    protocol = ""
    ports = ()
    stop_seconds = 0.2
    stop_exit_code = 143
    db_host, db_port, db_user, db_password = "db", 5432, "postgres", "postgres"
    redis_host, redis_port = "redis", 6379
    #: the loop sleeps 100 ms between LPOPs
    poll = 0.1

    def __init__(self, ctx):
        super().__init__(ctx)
        self.db = None
        self.redis = None
        self.processed = 0
        self._drain_timer = None

    def start(self):
        super().start()
        self.listening = False
        self._open_db()
        return None

    def ready(self):
        return self.running

    # OpenDbConnection -------------------------------------------------------------------------
    def _db(self, sql: str):
        return self.db.request("postgres", _q(self.db_user, self.db_password, self.db_user, sql))

    def _open_db(self):
        try:
            self.db = open_connection(self.net, self.db_host, self.db_port)
            if not getattr(self.db.server, "listening", True):
                raise NetError("refused")
            self._db("SELECT 1")
        except (NetError, PgError):
            self.db = None
            self.log("Waiting for db")
            self.later(1.0, self._open_db, periodic=True)
            return
        self.log("Connected to db")
        self._db(CREATE_VOTES)
        self._open_redis()

    # OpenRedisConnection ---------------------------------------------------------------------
    def _open_redis(self):
        ip = self.net.resolve(self.redis_host)
        if ip is None:
            self.log("System.AggregateException: One or more errors occurred. (No such device or address) "
                     "---> System.Net.Internals.SocketExceptionFactory+ExtendedSocketException: "
                     "No such device or address")
            for line in DOTNET_DNS_TRACE:
                self.log(line)
            self.exit(1)
            return
        self.log(f"Found redis at {ip}")
        self._connect_redis(ip)

    def _connect_redis(self, ip: str):
        self.log("Connecting to redis")
        try:
            self.redis = self.net.connect(ip, self.redis_port)
            if not getattr(self.redis.server, "listening", True):
                raise NetError("refused")
        except NetError:
            self.redis = None
            self.log("Waiting for redis")
            self.later(1.0, lambda: self._connect_redis(ip), periodic=True)
            return
        store = getattr(self.redis.server, "store", None)
        if store is not None:
            store.watchers.setdefault("votes", []).append(self._wake)
        self._drain()

    # main loop ------------------------------------------------------------------------------
    def _wake(self):
        if self.exited or not self.running:
            return
        if self._drain_timer is None or self._drain_timer.done or self._drain_timer.cancelled:
            self._drain_timer = self.later(self.poll, self._drain)

    def _alive(self, conn) -> bool:
        server = conn.server
        return getattr(server, "listening", True) and not getattr(server, "exited", False)

    def _drain(self):
        while True:
            if not self._alive(self.redis):
                self._crash("StackExchange.Redis.RedisConnectionException: No connection is available to "
                            "service this operation: LPOP votes")
                return
            raw = self.redis.request("redis", ["LPOP", "votes"])
            if raw is None or isinstance(raw, RedisError):
                break
            try:
                vote = json.loads(raw)
            except ValueError:
                self._crash("Newtonsoft.Json.JsonReaderException: Unexpected character encountered while "
                            "parsing value")
                return
            v, voter = str(vote.get("vote", "")), str(vote.get("voter_id", ""))
            self.log(f"Processing vote for '{v}' by '{voter}'")
            if not self._alive(self.db):
                self._crash("Npgsql.NpgsqlException: Exception while reading from stream")
                return
            try:
                self._db(f"INSERT INTO votes (id, vote) VALUES ({_lit(voter)}, {_lit(v)})")
            except PgError:
                self._db(f"UPDATE votes SET vote = {_lit(v)} WHERE id = {_lit(voter)}")
            self.processed += 1
        store = getattr(self.redis.server, "store", None)
        if store is None:   # a server that cannot wake us: poll
            self.later(1.0, self._drain, periodic=True)

    def _crash(self, text: str):
        self.log(text)
        self.log("   at Worker.Program.Main(String[] args) in /code/src/Worker/Program.cs:line 30")
        self.exit(1)

    def stop(self):
        self._unwatch()
        return super().stop()

    def exit(self, code):
        self._unwatch()
        super().exit(code)

    def _unwatch(self):
        store = getattr(getattr(self.redis, "server", None), "store", None)
        if store is not None and self._wake in store.watchers.get("votes", []):
            store.watchers["votes"].remove(self._wake)


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _q(user, password, database, sql):
    from k8scourse.apps.net import PgQuery

    return PgQuery(user, password, database, sql)


TALLY_SQL = "SELECT vote, COUNT(id) AS count FROM votes GROUP BY vote"


class ResultApp(App):
    """The Node.js result page: connects to `db`, polls the tally every second, serves the page."""

    repositories = RESULT_REPOS
    default_command = ["node", "server.js"]
    ports = (80,)
    stop_seconds = 10.0      # node as PID 1 does not handle SIGTERM: killed at the end of the grace
    stop_exit_code = None
    db_host, db_port, db_user, db_password, db_name = "db", 5432, "postgres", "postgres", "postgres"
    retries = 1000

    def __init__(self, ctx):
        super().__init__(ctx)
        self.port = int(self.env.get("PORT", "80") or 80)
        self.ports = (self.port,)
        self.connected = False
        self.attempts = 0
        self.scores = {"a": 0, "b": 0}
        self.last_error = None

    def start(self):
        super().start()
        self.log(f"App running on port {self.port}")
        self._connect()
        return None

    def _query(self, sql: str):
        return sql_query(self.net, self.db_host, self.db_port, self.db_user, self.db_password,
                         self.db_name, sql)

    def _connect(self):
        self.attempts += 1
        try:
            conn = open_connection(self.net, self.db_host, self.db_port)
            if not getattr(conn.server, "listening", True):
                raise NetError("refused")
            conn.request("postgres", _q(self.db_user, self.db_password, self.db_name, "SELECT 1"))
        except (NetError, PgError):
            self.log("Waiting for db")
            if self.attempts >= self.retries:
                self.log("Giving up")
                return
            self.later(1.0, self._connect, periodic=True)
            return
        self.connected = True
        self.log("Connected to db")
        self._poll()

    def _poll(self):
        try:
            res = self._query(TALLY_SQL)[0]
        except PgError as e:
            self.log(f"Error performing query: error: {e.message}")
        except NetError as e:
            self.log(f"Error performing query: Error: {e}")
        else:
            votes = {"a": 0, "b": 0}
            for vote, count in res.rows:
                votes[vote] = int(count)
            self.scores = votes
        self.later(1.0, self._poll, periodic=True)

    def tally(self) -> dict:
        """What the page's socket.io `scores` event last carried, with the totals the page shows."""
        a, b = self.scores.get("a", 0), self.scores.get("b", 0)
        total = a + b
        return {"a": a, "b": b, "total": total,
                "aPercent": (100.0 * a / total) if total else 50.0,
                "bPercent": (100.0 * b / total) if total else 50.0}

    def serve(self, protocol: str, req: HttpRequest, conn) -> HttpResponse:
        dt = self.now_dt()
        path = req.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            status, body, ctype = 200, RESULT_PAGE, "text/html; charset=UTF-8"
        elif path.startswith("/socket.io/"):
            status, body, ctype = 200, json.dumps(self.scores), "application/json"
        else:
            status, ctype = 404, "text/html; charset=utf-8"
            body = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                    f'<title>Error</title>\n</head>\n<body>\n<pre>Cannot {req.method} {path}</pre>\n'
                    "</body>\n</html>\n")
        headers = [("X-Powered-By", "Express"), ("Access-Control-Allow-Origin", "*"),
                   ("Content-Type", ctype), ("Content-Length", str(len(body))),
                   ("Date", http_date(dt)), ("Connection", "keep-alive")]
        return HttpResponse(status, headers, body, served_by=self.hostname, server_ip=conn.ip)


def rebuild(base: type[App], repository: str, **source) -> type[App]:
    """Edit the source of a voting-app image and build it as `repository` (what the seed does for
    `some-redis-service:7000`): e.g. rebuild(VoteApp, "voting-app-7000", redis_host=
    "some-redis-service", redis_port=7000). Registers the new image's behaviour and returns it."""
    allowed = {"redis_host", "redis_port", "db_host", "db_port", "db_user", "db_password"}
    unknown = set(source) - allowed
    if unknown:
        raise TypeError(f"cannot edit {sorted(unknown)}; the source has {sorted(allowed)}")
    cls = type(base.__name__ + "Edited", (base,), {**source, "repositories": (repository,)})
    from k8scourse.apps import register

    register(repository, cls)
    return cls
