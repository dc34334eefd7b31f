"""kicbase/echo-server (minikube's hello-minikube): every request answered with the request itself."""

from k8scourse.apps import EchoServer, app_class
from k8scourse.apps.base import AppContext
from k8scourse.apps.net import Endpoint, HttpRequest, Sandbox
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand


def make(env=None):
    lines = []
    ctx = AppContext("kicbase/echo-server:1.0", "kicbase/echo-server", "1.0", [], [], dict(env or {}),
                     Clock(), Rand(0), Sandbox("hello-minikube-59d4768566-x2k8p", "10.244.0.3"), lines.append)
    app = EchoServer(ctx)
    app.start()
    return app, lines


def test_echoes_the_request_line_and_headers():
    """GET /anything: `Request served by <hostname>`, `HTTP/1.1 GET /path`, Host, then the headers."""
    app, lines = make()
    assert lines == ["Echo server listening on port 8080."]
    assert app.ports == (8080,)
    req = HttpRequest("GET", "/hello?x=1", {"Host": "192.168.49.2:31234", "User-Agent": "curl/8.5.0",
                                            "Accept": "*/*"})
    resp = app.serve("http", req, Endpoint(app, "10.244.0.3", 8080, "10.244.0.1"))
    assert resp.status == 200
    assert resp.body == ("Request served by hello-minikube-59d4768566-x2k8p\n\n"
                         "HTTP/1.1 GET /hello?x=1\n\n"
                         "Host: 192.168.49.2:31234\nUser-Agent: curl/8.5.0\nAccept: */*\n")
    assert resp.header("Content-Type") == "text/plain"
    assert resp.header("Content-Length") == str(len(resp.body))
    assert lines[-1].startswith("10.244.0.1:") and lines[-1].endswith(" | GET /hello?x=1")


def test_port_from_env_and_registration():
    """$PORT moves the listener; the repository is registered with the apps table."""
    app, lines = make({"PORT": "9000"})
    assert app.ports == (9000,) and lines == ["Echo server listening on port 9000."]
    assert app_class("kicbase/echo-server") is EchoServer
