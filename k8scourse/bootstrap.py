"""Bring a new cluster up as `kubeadm init` + `kubeadm join` (or `minikube start`) leave it.

`boot(cluster)` runs once, from Cluster.__init__, at simulated time 0:

1. one Kubelet per NodeConfig (control plane first), each registering its Node; the machines
   already hold the images kubeadm pulled (`kubeadm config images pull`);
2. the control plane as static pods on each control-plane node: etcd, kube-apiserver,
   kube-controller-manager, kube-scheduler (mirror pods in kube-system, owned by the Node);
3. the objects kubeadm's phases upload: ConfigMaps (kubeadm-config, kubelet-config, kube-proxy,
   coredns, cluster-info, kube-root-ca.crt), the `kubernetes` Service and its Endpoints, and
   the add-ons: the `kube-proxy` DaemonSet, the `coredns` Deployment and the `kube-dns` Service;
4. minikube's storage-provisioner pod, or, on kubeadm with `network="flannel"`, the flannel add-on
   from data/kube-flannel.yml (as `kubectl apply -f kube-flannel.yml` creates it).

The DaemonSet and Deployment controllers, the scheduler and the kubelets then do the rest when
the cluster settles: with no pod network the nodes stay NotReady and CoreDNS stays Pending, as after
a real `kubeadm init` without a CNI.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster, NodeConfig

K8S = "v1.32.5"
ETCD_IMAGE = "registry.k8s.io/etcd:3.5.16-0"
COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3"
PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
KUBE_PROXY_IMAGE = f"registry.k8s.io/kube-proxy:{K8S}"
PROVISIONER_IMAGE = "gcr.io/k8s-minikube/storage-provisioner:v5"
FLANNEL_IMAGES = ("docker.io/flannel/flannel:v0.26.7",
                  "docker.io/flannel/flannel-cni-plugin:v1.6.2-flannel1")
CONTROL_PLANE_IMAGES = (f"registry.k8s.io/kube-apiserver:{K8S}",
                        f"registry.k8s.io/kube-controller-manager:{K8S}",
                        f"registry.k8s.io/kube-scheduler:{K8S}", KUBE_PROXY_IMAGE,
                        COREDNS_IMAGE, PAUSE_IMAGE, ETCD_IMAGE)
#: the cluster's kube-root-ca.crt (a real, but meaningless here, self-signed CA certificate body)
CA_CRT = ("-----BEGIN CERTIFICATE-----\n"
          "MIIDBTCCAe2gAwIBAgIIQ2sGDWvTb3gwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\n"
          "AxMKa3ViZXJuZXRlczAeFw0yNTAxMDEwMDAwMDBaFw0zNDEyMzAwMDA1MDBaMBUx\n"
          "EzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK\n"
          "-----END CERTIFICATE-----\n")
#: where kubectl's and the course's manifests live
DATA_DIRS = (Path(__file__).resolve().parent / "data", Path(__file__).resolve().parent.parent / "data")


def data_file(name: str) -> Path:
    """A file of the course's data/ directory (k8scourse/data first, then the checkout's data/)."""
    for d in DATA_DIRS:
        p = d / name
        if p.exists():
            return p
    raise FileNotFoundError(name)


def boot(cluster: "Cluster") -> None:
    """Create the nodes, the control plane and the add-ons of a new cluster (at time 0)."""
    from k8scourse.kubelet import Kubelet

    cfg = cluster.config
    minikube = cfg.flavour == "minikube"
    network = None if minikube else cfg.network
    nodes = sorted(cfg.nodes, key=lambda n: not n.control_plane)
    for nc in nodes:
        imgs = list(CONTROL_PLANE_IMAGES) if nc.control_plane else [KUBE_PROXY_IMAGE, PAUSE_IMAGE]
        if minikube:
            imgs.append(PROVISIONER_IMAGE)
        if network == "flannel":
            imgs.extend(FLANNEL_IMAGES)
        cluster.kubelets[nc.name] = Kubelet(cluster, nc, images=imgs)
    api = cluster.api
    actor = "kubeadm"
    cp_nodes = [n for n in nodes if n.control_plane]
    url = urlparse(cfg.api_server_url)
    port = url.port or (8443 if minikube else 6443)
    for nc in cp_nodes:
        kubelet = cluster.kubelets[nc.name]
        for manifest in static_pods(cluster, nc, port):
            kubelet.add_static_pod(manifest)
    for obj in cluster_objects(cluster, cp_nodes[0] if cp_nodes else nodes[0], port):
        api.create(obj, actor=actor)
    if minikube:
        api.create(storage_provisioner(), actor="kubectl")
    elif network == "flannel":
        for obj in flannel_objects():
            api.create(obj, actor="kubectl")
    cluster.trace.add("kubeadm", f"Cluster {cfg.name} is up: {len(nodes)} node(s); "
                                 + ("the pod network is minikube's bridge" if minikube else
                                    f"pod network add-on: {network}" if network else
                                    "no pod network add-on yet: nodes stay NotReady"))


# ----------------------------------------------------------------------------------------------
# control plane static pods (kubeadm's /etc/kubernetes/manifests)

def _host_path(name: str, path: str, type_: str = "DirectoryOrCreate") -> dict:
    v = {"hostPath": {"path": path}, "name": name}
    if type_:
        v["hostPath"]["type"] = type_
    return v


def _probe(path: str, port: int, host: str, *, failure: int = 8, delay: int | None = 10,
           period: int = 10, timeout: int = 15, scheme: str = "HTTPS") -> dict:
    p = {"failureThreshold": failure,
         "httpGet": {"host": host, "path": path, "port": port, "scheme": scheme},
         "periodSeconds": period, "timeoutSeconds": timeout}
    if delay is not None:
        p["initialDelaySeconds"] = delay
    return p


def _static(name: str, image: str, command: list[str], cpu: str, mounts: list[tuple],
            probes: dict, extra_meta: dict | None = None) -> dict:
    container = {"command": command, "image": image, "imagePullPolicy": "IfNotPresent",
                 "name": name, "resources": {"requests": {"cpu": cpu}},
                 "volumeMounts": [dict({"mountPath": p, "name": n}, **({"readOnly": True} if ro
                                                                       else {}))
                                  for n, p, ro, _ in mounts]}
    if name == "etcd":
        container["resources"]["requests"]["memory"] = "100Mi"
    container.update(probes)
    volumes = sorted((_host_path(n, p, t) for n, p, _, t in mounts), key=lambda v: v["name"])
    meta = {"labels": {"component": name, "tier": "control-plane"}, "name": name,
            "namespace": "kube-system"}
    if extra_meta:
        meta["annotations"] = extra_meta
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [container], "hostNetwork": True, "priority": 2000001000,
                     "priorityClassName": "system-node-critical",
                     "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                     # the kubelet gives every static pod this toleration
                     "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
                     "volumes": volumes}}


def static_pods(cluster: "Cluster", nc: "NodeConfig", port: int) -> list[dict]:
    """etcd, kube-apiserver, kube-controller-manager and kube-scheduler as kubeadm writes them."""
    ip = nc.ip
    cfg = cluster.config
    pki = "/etc/kubernetes/pki" if cfg.flavour != "minikube" else "/var/lib/minikube/certs"
    etcd_dir = "/var/lib/etcd" if cfg.flavour != "minikube" else "/var/lib/minikube/etcd"
    certs = [("ca-certs", "/etc/ssl/certs", True, "DirectoryOrCreate"),
             ("etc-ca-certificates", "/etc/ca-certificates", True, "DirectoryOrCreate"),
             ("k8s-certs", pki, True, "DirectoryOrCreate"),
             ("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", True,
              "DirectoryOrCreate"),
             ("usr-share-ca-certificates", "/usr/share/ca-certificates", True,
              "DirectoryOrCreate")]
    etcd = _static("etcd", ETCD_IMAGE, [
        "etcd", f"--advertise-client-urls=https://{ip}:2379",
        f"--cert-file={pki}/etcd/server.crt", "--client-cert-auth=true",
        f"--data-dir={etcd_dir}", "--experimental-initial-corrupt-check=true",
        "--experimental-watch-progress-notify-interval=5s",
        f"--initial-advertise-peer-urls=https://{ip}:2380",
        f"--initial-cluster={nc.name}=https://{ip}:2380", f"--key-file={pki}/etcd/server.key",
        f"--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
        "--listen-metrics-urls=http://127.0.0.1:2381", f"--listen-peer-urls=https://{ip}:2380",
        f"--name={nc.name}", f"--peer-cert-file={pki}/etcd/peer.crt",
        "--peer-client-cert-auth=true", f"--peer-key-file={pki}/etcd/peer.key",
        f"--peer-trusted-ca-file={pki}/etcd/ca.crt", "--snapshot-count=10000",
        f"--trusted-ca-file={pki}/etcd/ca.crt"], "100m",
        [("etcd-data", etcd_dir, False, "DirectoryOrCreate"),
         ("etcd-certs", f"{pki}/etcd", False, "DirectoryOrCreate")],
        {"livenessProbe": _probe("/livez", 2381, "127.0.0.1", scheme="HTTP"),
         "readinessProbe": _probe("/readyz", 2381, "127.0.0.1", failure=3, delay=None, period=1,
                                  scheme="HTTP"),
         "startupProbe": _probe("/readyz", 2381, "127.0.0.1", failure=24, scheme="HTTP")},
        {"kubeadm.kubernetes.io/etcd.advertise-client-urls": f"https://{ip}:2379"})
    apiserver = _static("kube-apiserver", f"registry.k8s.io/kube-apiserver:{K8S}", [
        "kube-apiserver", f"--advertise-address={ip}", "--allow-privileged=true",
        "--authorization-mode=Node,RBAC", f"--client-ca-file={pki}/ca.crt",
        "--enable-admission-plugins=NodeRestriction", "--enable-bootstrap-token-auth=true",
        f"--etcd-cafile={pki}/etcd/ca.crt", f"--etcd-certfile={pki}/apiserver-etcd-client.crt",
        f"--etcd-keyfile={pki}/apiserver-etcd-client.key", "--etcd-servers=https://127.0.0.1:2379",
        f"--kubelet-client-certificate={pki}/apiserver-kubelet-client.crt",
        f"--kubelet-client-key={pki}/apiserver-kubelet-client.key",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        f"--proxy-client-cert-file={pki}/front-proxy-client.crt",
        f"--proxy-client-key-file={pki}/front-proxy-client.key",
        "--requestheader-allowed-names=front-proxy-client",
        f"--requestheader-client-ca-file={pki}/front-proxy-ca.crt",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-username-headers=X-Remote-User", f"--secure-port={port}",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        f"--service-account-key-file={pki}/sa.pub",
        f"--service-account-signing-key-file={pki}/sa.key",
        f"--service-cluster-ip-range={cfg.service_cidr}", f"--tls-cert-file={pki}/apiserver.crt",
        f"--tls-private-key-file={pki}/apiserver.key"], "250m", certs,
        {"livenessProbe": _probe("/livez", port, ip),
         "readinessProbe": _probe("/readyz", port, ip, failure=3, delay=None, period=1),
         "startupProbe": _probe("/livez", port, ip, failure=24)},
        {"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": f"{ip}:{port}"})
    kcm = _static("kube-controller-manager", f"registry.k8s.io/kube-controller-manager:{K8S}", [
        "kube-controller-manager", "--allocate-node-cidrs=true",
        "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--bind-address=127.0.0.1", f"--client-ca-file={pki}/ca.crt",
        f"--cluster-cidr={cfg.pod_cidr}", f"--cluster-name={cfg.name}",
        f"--cluster-signing-cert-file={pki}/ca.crt", f"--cluster-signing-key-file={pki}/ca.key",
        "--controllers=*,bootstrapsigner,tokencleaner",
        "--kubeconfig=/etc/kubernetes/controller-manager.conf", "--leader-elect=true",
        f"--requestheader-client-ca-file={pki}/front-proxy-ca.crt",
        f"--root-ca-file={pki}/ca.crt", f"--service-account-private-key-file={pki}/sa.key",
        f"--service-cluster-ip-range={cfg.service_cidr}",
        "--use-service-account-credentials=true"], "200m",
        certs + [("kubeconfig", "/etc/kubernetes/controller-manager.conf", True, "FileOrCreate"),
                 ("flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", False,
                  "DirectoryOrCreate")],
        {"livenessProbe": _probe("/healthz", 10257, "127.0.0.1"),
         "startupProbe": _probe("/healthz", 10257, "127.0.0.1", failure=24)})
    scheduler = _static("kube-scheduler", f"registry.k8s.io/kube-scheduler:{K8S}", [
        "kube-scheduler", "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf", "--bind-address=127.0.0.1",
        "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"], "100m",
        [("kubeconfig", "/etc/kubernetes/scheduler.conf", True, "FileOrCreate")],
        {"livenessProbe": _probe("/livez", 10259, "127.0.0.1"),
         "readinessProbe": _probe("/readyz", 10259, "127.0.0.1", failure=3, delay=None,
                                  period=1),
         "startupProbe": _probe("/livez", 10259, "127.0.0.1", failure=24)})
    return [etcd, apiserver, kcm, scheduler]


# ----------------------------------------------------------------------------------------------
# what kubeadm uploads, and the add-ons

def _cm(name: str, ns: str, data: dict, labels: dict | None = None,
        annotations: dict | None = None) -> dict:
    meta: dict = {"name": name, "namespace": ns}
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


COREFILE = """.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""

MINIKUBE_COREFILE = """.:53 {
    log
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    hosts {
       192.168.49.1 host.minikube.internal
       fallthrough
    }
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""


def _kube_proxy_config(cluster: "Cluster") -> str:
    return f"""apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: {cluster.config.pod_cidr}
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: ""
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""
"""


def cluster_objects(cluster: "Cluster", cp: "NodeConfig", port: int) -> list[dict]:
    """kubeadm's uploads and add-ons, in the order `kubeadm init` creates them."""
    cfg = cluster.config
    minikube = cfg.flavour == "minikube"
    objs: list[dict] = []
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        objs.append(_cm("kube-root-ca.crt", ns, {"ca.crt": CA_CRT},
                        annotations={"kubernetes.io/description": (
                            "Contains a CA bundle that can be used to verify the kube-apiserver "
                            "when using internal endpoints such as the internal service IP or "
                            "kubernetes.default.svc. No other usage is guaranteed across "
                            "distributions of Kubernetes clusters.")}))
    objs.append(_cm("kubeadm-config", "kube-system", {"ClusterConfiguration": (
        "apiServer: {}\napiVersion: kubeadm.k8s.io/v1beta4\ncaCertificateValidityPeriod: "
        "87600h0m0s\ncertificateValidityPeriod: 8760h0m0s\ncertificatesDir: /etc/kubernetes/pki\n"
        f"clusterName: {cfg.name}\ncontrollerManager: {{}}\ndns: {{}}\nencryptionAlgorithm: RSA-2048\n"
        "etcd:\n  local:\n    dataDir: /var/lib/etcd\nimageRepository: registry.k8s.io\n"
        f"kind: ClusterConfiguration\nkubernetesVersion: {K8S}\nnetworking:\n"
        f"  dnsDomain: cluster.local\n  podSubnet: {cfg.pod_cidr}\n"
        f"  serviceSubnet: {cfg.service_cidr}\nproxy: {{}}\nscheduler: {{}}\n")}))
    objs.append(_cm("kubelet-config", "kube-system", {"kubelet": (
        "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n"
        "    enabled: false\n  webhook:\n    cacheTTL: 0s\n    enabled: true\n  x509:\n"
        "    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook\n"
        "cgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n"
        "containerRuntimeEndpoint: \"\"\ncpuManagerReconcilePeriod: 0s\n"
        "evictionPressureTransitionPeriod: 0s\nfileCheckFrequency: 0s\nhealthzBindAddress: "
        "127.0.0.1\nhealthzPort: 10248\nhttpCheckFrequency: 0s\nimageMaximumGCAge: 0s\n"
        "imageMinimumGCAge: 0s\nkind: KubeletConfiguration\nlogging:\n  flushFrequency: 0\n"
        "  options:\n    json:\n      infoBufferSize: \"0\"\n    text:\n"
        "      infoBufferSize: \"0\"\n  verbosity: 0\nmemorySwap: {}\n"
        "nodeStatusReportFrequency: 0s\nnodeStatusUpdateFrequency: 0s\nrotateCertificates: "
        "true\nruntimeRequestTimeout: 0s\nshutdownGracePeriod: 0s\n"
        "shutdownGracePeriodCriticalPods: 0s\nstaticPodPath: /etc/kubernetes/manifests\n"
        "streamingConnectionIdleTimeout: 0s\nsyncFrequency: 0s\nvolumeStatsAggPeriod: 0s\n")}))
    objs.append(_cm("cluster-info", "kube-public", {"kubeconfig": (
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTiBD"
        f"RVJUSUZJQ0FURS0tLS0tCg==\n    server: {cfg.api_server_url}\n  name: \"\"\ncontexts: "
        "null\ncurrent-context: \"\"\nkind: Config\npreferences: {}\nusers: null\n")}))
    # the `kubernetes` Service: the API server's own, with Endpoints to each control plane
    objs.append({"apiVersion": "v1", "kind": "Service",
                 "metadata": {"labels": {"component": "apiserver", "provider": "kubernetes"},
                              "name": "kubernetes", "namespace": "default"},
                 "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                          "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                     "targetPort": port}],
                          "sessionAffinity": "None", "type": "ClusterIP"}})
    objs.append({"apiVersion": "v1", "kind": "Endpoints",
                 "metadata": {"labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
                              "name": "kubernetes", "namespace": "default"},
                 "subsets": [{"addresses": [{"ip": n.ip} for n in cluster.config.nodes
                                            if n.control_plane] or [{"ip": cp.ip}],
                              "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}]})
    # CoreDNS
    objs.append(_cm("coredns", "kube-system",
                    {"Corefile": MINIKUBE_COREFILE if minikube else COREFILE}))
    objs.append(coredns_deployment(1 if minikube else 2))
    objs.append({"apiVersion": "v1", "kind": "Service",
                 "metadata": {"annotations": {"prometheus.io/port": "9153",
                                              "prometheus.io/scrape": "true"},
                              "labels": {"k8s-app": "kube-dns",
                                         "kubernetes.io/cluster-service": "true",
                                         "kubernetes.io/name": "CoreDNS"},
                              "name": "kube-dns", "namespace": "kube-system"},
                 "spec": {"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                          "ports": [{"name": "dns", "port": 53, "protocol": "UDP",
                                     "targetPort": 53},
                                    {"name": "dns-tcp", "port": 53, "protocol": "TCP",
                                     "targetPort": 53},
                                    {"name": "metrics", "port": 9153, "protocol": "TCP",
                                     "targetPort": 9153}],
                          "selector": {"k8s-app": "kube-dns"}, "sessionAffinity": "None",
                          "type": "ClusterIP"}})
    # kube-proxy
    objs.append(_cm("kube-proxy", "kube-system", {
        "config.conf": _kube_proxy_config(cluster),
        "kubeconfig.conf": ("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
                            "    certificate-authority: /var/run/secrets/kubernetes.io/"
                            f"serviceaccount/ca.crt\n    server: {cfg.api_server_url}\n"
                            "  name: default\ncontexts:\n- context:\n    cluster: default\n"
                            "    namespace: default\n    user: default\n  name: default\n"
                            "current-context: default\nusers:\n- name: default\n  user:\n"
                            "    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n")},
        labels={"app": "kube-proxy"}))
    objs.append(kube_proxy_daemonset())
    return objs


def coredns_deployment(replicas: int) -> dict:
    """kubeadm's CoreDNS Deployment (cmd/kubeadm/app/phases/addons/dns/manifests.go)."""
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"labels": {"k8s-app": "kube-dns"}, "name": "coredns",
                     "namespace": "kube-system"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "affinity": {"podAntiAffinity": {
                        "preferredDuringSchedulingIgnoredDuringExecution": [{
                            "podAffinityTerm": {
                                "labelSelector": {"matchExpressions": [{
                                    "key": "k8s-app", "operator": "In",
                                    "values": ["kube-dns"]}]},
                                "topologyKey": "kubernetes.io/hostname"},
                            "weight": 100}]}},
                    "containers": [{
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "image": COREDNS_IMAGE,
                        "imagePullPolicy": "IfNotPresent",
                        "livenessProbe": {"failureThreshold": 5,
                                          "httpGet": {"path": "/health", "port": 8080,
                                                      "scheme": "HTTP"},
                                          "initialDelaySeconds": 60, "successThreshold": 1,
                                          "timeoutSeconds": 5},
                        "name": "coredns",
                        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                  {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                  {"containerPort": 9153, "name": "metrics",
                                   "protocol": "TCP"}],
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181,
                                                       "scheme": "HTTP"}},
                        "resources": {"limits": {"memory": "170Mi"},
                                      "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "securityContext": {"allowPrivilegeEscalation": False,
                                            "capabilities": {"add": ["NET_BIND_SERVICE"],
                                                             "drop": ["ALL"]},
                                            "readOnlyRootFilesystem": True},
                        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume",
                                          "readOnly": True}],
                    }],
                    "dnsPolicy": "Default",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                    {"effect": "NoSchedule",
                                     "key": "node-role.kubernetes.io/control-plane"}],
                    "volumes": [{"configMap": {"items": [{"key": "Corefile",
                                                          "path": "Corefile"}],
                                               "name": "coredns"},
                                 "name": "config-volume"}],
                },
            },
        },
    }


def kube_proxy_daemonset() -> dict:
    """kubeadm's kube-proxy DaemonSet (cmd/kubeadm/app/phases/addons/proxy/manifests.go)."""
    return {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"labels": {"k8s-app": "kube-proxy"}, "name": "kube-proxy",
                     "namespace": "kube-system"},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-proxy"}},
                "spec": {
                    "containers": [{
                        "command": ["/usr/local/bin/kube-proxy",
                                    "--config=/var/lib/kube-proxy/config.conf",
                                    "--hostname-override=$(NODE_NAME)"],
                        "env": [{"name": "NODE_NAME",
                                 "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                            "fieldPath": "spec.nodeName"}}}],
                        "image": KUBE_PROXY_IMAGE,
                        "imagePullPolicy": "IfNotPresent",
                        "name": "kube-proxy",
                        "securityContext": {"privileged": True},
                        "volumeMounts": [
                            {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                            {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                            {"mountPath": "/lib/modules", "name": "lib-modules",
                             "readOnly": True}],
                    }],
                    "hostNetwork": True,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "kube-proxy",
                    "tolerations": [{"operator": "Exists"}],
                    "volumes": [
                        {"configMap": {"name": "kube-proxy"}, "name": "kube-proxy"},
                        {"hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"},
                         "name": "xtables-lock"},
                        {"hostPath": {"path": "/lib/modules"}, "name": "lib-modules"}],
                },
            },
            "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
                               "type": "RollingUpdate"},
        },
    }


def storage_provisioner() -> dict:
    """minikube's storage-provisioner add-on: a bare pod on the host network."""
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"labels": {"addonmanager.kubernetes.io/mode": "Reconcile",
                                "integration-test": "storage-provisioner"},
                     "name": "storage-provisioner", "namespace": "kube-system"},
        "spec": {"containers": [{"command": ["/storage-provisioner"],
                                 "image": PROVISIONER_IMAGE,
                                 "imagePullPolicy": "IfNotPresent",
                                 "name": "storage-provisioner",
                                 "volumeMounts": [{"mountPath": "/tmp", "name": "tmp"}]}],
                 "hostNetwork": True, "serviceAccountName": "storage-provisioner",
                 "volumes": [{"hostPath": {"path": "/tmp", "type": "Directory"},
                              "name": "tmp"}]},
    }


def flannel_objects() -> list[dict]:
    """The objects of data/kube-flannel.yml that the model serves (Namespace, ConfigMap,
    DaemonSet); RBAC and the ServiceAccount are not modelled."""
    from k8scourse.api import kinds

    return [o for o in load_manifest("kube-flannel.yml")
            if kinds.by_gvk(o.get("apiVersion", ""), o.get("kind", "")) is not None]


def load_manifest(name: str) -> list[dict]:
    """Every document of a data/ manifest."""
    import yaml

    text = data_file(name).read_text()
    return [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
