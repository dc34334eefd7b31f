"""Write every diagram of the course to one HTML page, for review: gallery/index.html.

Each picture is drawn from a real cluster (or the docker engine model) in a named state, shown at
the width of a notebook cell, with the code that drew it and the result of the layout checks
(overlapping labels, anything outside the figure). The page is generated, never committed.

Run: .venv/bin/python scripts/gallery.py [output directory, default gallery/]
"""

from __future__ import annotations

import base64
import html
import io
import os
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import yaml  # noqa: E402

from k8scourse import Cluster  # noqa: E402
from k8scourse.cluster import CONTROL_PLANE_TAINT, ClusterConfig, NodeConfig  # noqa: E402


def kubectl(c: Cluster, command: str, stdin: str | None = None) -> None:
    r = c.kubectl(command, stdin=stdin)
    if r.exit_code:
        raise SystemExit(f"kubectl {command}: {r.output}")


def manifest(c: Cluster, *objs: dict) -> None:
    kubectl(c, "create -f -", stdin=yaml.safe_dump_all(objs, sort_keys=False))


def deployment(name: str, replicas: int, image: str = "nginx:1.27", **labels: str) -> dict:
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": dict(labels)},
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                     "template": {"metadata": {"labels": dict(labels)},
                                  "spec": {"containers": [{"name": name, "image": image}]}}}}


def service(name: str, selector: dict, port: int, node_port: int | None = None,
            target: int | None = None) -> dict:
    p = {"port": port, "targetPort": target or port}
    spec: dict = {"selector": selector, "ports": [p]}
    if node_port:
        p["nodePort"] = node_port
        spec["type"] = "NodePort"
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def voting_app(c: Cluster) -> None:
    pods = [("voting-app-pod", "kodekloud/examplevotingapp_vote:v1", 80),
            ("result-app-pod", "kodekloud/examplevotingapp_result:v1", 80),
            ("redis-pod", "redis", 6379), ("postgres-pod", "postgres", 5432),
            ("worker-app-pod", "kodekloud/examplevotingapp_worker:v1", None)]
    objs = []
    for name, image, port in pods:
        container = {"name": name.removesuffix("-pod"), "image": image}
        if port:
            container["ports"] = [{"containerPort": port}]
        if name == "postgres-pod":
            container["env"] = [{"name": "POSTGRES_USER", "value": "postgres"},
                                {"name": "POSTGRES_PASSWORD", "value": "postgres"}]
        objs.append({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": name, "labels": {"name": name, "app": "demo-voting-app"}},
                     "spec": {"containers": [container]}})
    for name, target, port, node_port in (("voting-service", "voting-app-pod", 80, 30004),
                                          ("result-service", "result-app-pod", 80, 30005),
                                          ("redis", "redis-pod", 6379, None),
                                          ("db", "postgres-pod", 5432, None)):
        objs.append(service(name, {"name": target, "app": "demo-voting-app"}, port, node_port))
    manifest(c, *objs)
    c.settle()


def states() -> dict[str, Cluster]:
    """The cluster states the gallery draws (the same the tests draw)."""
    out = {}
    out["a fresh kubeadm cluster"] = Cluster.kubeadm(workers=2)
    c = Cluster.minikube()
    kubectl(c, "create deployment web --image=nginx:1.27 --replicas=2")
    kubectl(c, "run nginx --image=nginx")
    kubectl(c, "expose deployment web --type=NodePort --port=80")
    c.settle()
    out["minikube, one node"] = c
    c = Cluster.kubeadm(workers=2)
    kubectl(c, "create deployment web --image=nginx:1.27 --replicas=12")
    huge = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "huge"},
            "spec": {"containers": [{"name": "c", "image": "nginx",
                                     "resources": {"requests": {"cpu": "100"}}}]}}
    manifest(c, deployment("api", 9, app="api", tier="backend"), huge)
    kubectl(c, "run debug --image=nginx")
    kubectl(c, "run tools --image=busybox")
    kubectl(c, "create deployment frontend --image=nginx --replicas=6")
    kubectl(c, "expose deployment web --type=NodePort --port=80")
    c.settle()
    out["kubeadm, 3 nodes, 30 pods"] = c
    config = ClusterConfig(nodes=[
        NodeConfig("controlplane", "192.168.56.10", control_plane=True,
                   taints=[dict(CONTROL_PLANE_TAINT)]),
        NodeConfig("worker-node-with-a-really-long-hostname-01", "192.168.56.11"),
        NodeConfig("worker-node-with-a-really-long-hostname-02", "192.168.56.12")])
    c = Cluster(config)
    long = "customer-facing-payment-processing-frontend-service"
    kubectl(c, f"create deployment {long} --image=nginx --replicas=4")
    bare = {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "a-standalone-pod-whose-name-is-as-long-as-kubernetes-allows-"
                                 "it-to-be-x", "labels": {"run": "standalone-debugging-pod"}},
            "spec": {"containers": [{"name": "debug", "image": "nginx"}]}}
    manifest(c, bare, service("payment-frontend-external-nodeport-service", {"app": long}, 80,
                              31999))
    c.settle()
    out["long names"] = c
    c = Cluster.kubeadm(workers=2)
    voting_app(c)
    out["the voting app"] = c
    return out


class Page:
    def __init__(self):
        self.sections: list[str] = []
        self.count = 0
        self.problems = 0

    def figure(self, title: str, code: str, draw, note: str = "") -> None:
        import matplotlib.pyplot as plt

        from k8scourse.viz import layout_problems

        t = time.perf_counter()
        ax = draw()
        fig = ax.figure
        problems = layout_problems(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        ms = (time.perf_counter() - t) * 1000
        plt.close(fig)
        self.add_png(title, code, buf.getvalue(), problems, ms, note)

    def add_png(self, title: str, code: str, png: bytes, problems: list[str] | None = None,
                ms: float | None = None, note: str = "") -> None:
        self.count += 1
        self.problems += len(problems or [])
        check = ("<span class=ok>layout checks: no overlapping labels, nothing outside</span>"
                 if problems == [] else "" if problems is None else
                 "<span class=bad>" + "<br>".join(html.escape(p) for p in problems) + "</span>")
        timing = f" · {ms:.0f} ms" if ms is not None else ""
        data = base64.b64encode(png).decode()
        self.sections.append(
            f"<section><h3>{html.escape(title)}</h3>"
            + (f"<p>{html.escape(note)}</p>" if note else "")
            + f"<pre>{html.escape(code)}</pre><p class=meta>{check}{timing}</p>"
            f"<img src='data:image/png;base64,{data}' alt='{html.escape(title)}'></section>")

    def heading(self, text: str) -> None:
        self.sections.append(f"<h2>{html.escape(text)}</h2>")

    def write(self, path: str) -> None:
        css = ("body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#1d2433}"
               "img{width:900px;border:1px solid #dde;display:block}pre{background:#f5f6f8;"
               "padding:.5em;overflow:auto}.ok{color:#2e9e44}.bad{color:#d62728}"
               ".meta{font-size:90%}section{margin-bottom:2.5em}")
        body = "\n".join(self.sections)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"<!doctype html><html><head><meta charset='utf-8'><title>k8scourse diagrams"
                    f"</title><style>{css}</style></head><body><h1>k8scourse: every diagram</h1>"
                    f"<p>{self.count} pictures, {self.problems} layout problems.</p>{body}"
                    "</body></html>")


def main(out_dir: str = "gallery") -> str:
    import k8scourse.viz as viz
    from k8scourse.docker import DockerEngine
    from k8scourse.network.laptop import http
    from k8scourse.viz.containers import example_engine
    from k8scourse.viz.explorers import HealingExplorer, RolloutExplorer, TrafficExplorer

    page = Page()
    all_states = states()
    page.heading("Cluster diagrams, in every state")
    for diagram in ("draw_cluster", "draw_ownership", "draw_architecture", "draw_service",
                    "draw_voting_app"):
        for name, c in all_states.items():
            page.figure(f"{diagram}: {name}", f"{diagram}(cluster)",
                        lambda c=c, d=diagram: getattr(viz, d)(c))

    page.heading("A rolling update")
    c = Cluster.kubeadm(workers=2)
    manifest(c, deployment("web", 6))
    c.settle()
    rec = viz.RolloutRecorder(c, "web")
    kubectl(c, "set image deployment/web web=nginx:1.26")
    c.advance(4)
    page.figure("draw_ownership during the rollout", "draw_ownership(cluster)",
                lambda: viz.draw_ownership(c))
    c.settle()
    c.advance(30)
    page.figure("draw_rollout", 'recorder = RolloutRecorder(cluster, "web")\n'
                "kubectl set image deployment/web web=nginx:1.26\ndraw_rollout(recorder)",
                lambda: viz.draw_rollout(rec))

    page.heading("Traffic through a Service")
    c = Cluster.kubeadm(workers=2)
    kubectl(c, "create deployment web --image=nginx --replicas=4")
    kubectl(c, "expose deployment web --type=NodePort --port=80")
    c.settle()
    port = c.api.get("Service", "default", "web")["spec"]["ports"][0]["nodePort"]
    for i in range(40):
        http(c, "GET", f"http://192.168.56.{10 + i % 3}:{port}/")
    page.figure("draw_service after 40 requests from the laptop",
                'for each node IP: http GET http://<node>:<nodePort>/\ndraw_service(cluster, name="web")',
                lambda: viz.draw_service(c, name="web"))

    page.heading("YAML")
    for path in ("data/seed/employee.yml", "data/seed/deployment-definition.yml",
                 "data/seed/service-definition.yml"):
        page.figure(f"draw_yaml: {path}", f'draw_yaml("{path}")', lambda p=path: viz.draw_yaml(p))

    page.heading("Containers")
    engine = example_engine()
    page.figure("draw_containers_vs_vms", "draw_containers_vs_vms(engine)",
                lambda: viz.draw_containers_vs_vms(engine))
    page.figure("draw_images_vs_containers", "draw_images_vs_containers(engine)",
                lambda: viz.draw_images_vs_containers(engine))
    page.figure("draw_images_vs_containers: a new engine", "draw_images_vs_containers(DockerEngine())",
                lambda: viz.draw_images_vs_containers(DockerEngine()))

    page.heading("The voting app, with the seed's misnamed redis Service")
    c = Cluster.kubeadm(workers=2)
    manifest(c, {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "redis-pod", "labels": {"name": "redis-pod"}},
                 "spec": {"containers": [{"name": "redis", "image": "redis"}]}},
             service("some-redis-service", {"name": "redis-pod"}, 7000, target=6379))
    c.settle()
    page.figure("draw_voting_app: some-redis-service on 7000", "draw_voting_app(cluster)",
                lambda: viz.draw_voting_app(c))

    page.heading("Explorers (their static picture, after driving the controls)")
    c = Cluster.kubeadm(workers=2)
    manifest(c, deployment("web", 4), service("web", {"app": "web"}, 80, 30080))
    c.settle()
    ex = RolloutExplorer(c, "web")
    ex.build()
    ex.start()
    for _ in range(3):
        ex.forward()
    page.add_png("rollout_explorer after three steps", 'rollout_explorer(cluster, "web")', ex.png)
    ex = HealingExplorer(c)
    ex.build()
    ex.delete_pod(sorted(p["metadata"]["name"] for p in c.api.store.list("Pod", "default"))[0])
    ex.forward(1)
    page.add_png("healing_explorer after deleting a pod", "healing_explorer(cluster)", ex.png)
    ex = TrafficExplorer(c, "web")
    ex.build()
    ex.send(30)
    page.add_png("traffic_explorer after 30 requests", 'traffic_explorer(cluster, "web")', ex.png)

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "index.html")
    page.write(path)
    print(f"{path}: {page.count} pictures, {page.problems} layout problems")
    return path


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "gallery")
