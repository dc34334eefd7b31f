"""A scale-down picks the same pods in every Python process (string hashing is randomised)."""

import os
import subprocess
import sys

SCRIPT = """
from k8scourse.cluster import Cluster
c = Cluster.kubeadm(workers=3, step=0)
c.kubectl("create deployment web --image=nginx --replicas=60")
c.run(c.now + 60)
c.kubectl("scale deployment web --replicas=10")
c.run(c.now + 5)
print([d.message for d in c.trace.decisions if d.component == "replicaset-controller"][-1])
"""


def _deleted_in_process(hash_seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


def test_scale_down_victims_do_not_depend_on_the_hash_seed():
    """The pods a ReplicaSet deletes among equally ranked ones are the same under any hash seed."""
    first = _deleted_in_process("1")
    assert "deleting 50:" in first
    for seed in ("2", "3", "4"):
        assert _deleted_in_process(seed) == first
