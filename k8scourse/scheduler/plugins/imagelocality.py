"""ImageLocality: prefer nodes that already have the pod's images (status.images), scaled by how
widely each image is spread over the cluster (weight 1)."""

from __future__ import annotations

from k8scourse.scheduler.plugins.helper import MAX_NODE_SCORE
from k8scourse.scheduler.podinfo import normalized_image_name

NAME = "ImageLocality"
WEIGHT = 1
MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def scaled_image_score(size: int, num_nodes: int, total_nodes: int) -> int:
    spread = float(num_nodes) / float(total_nodes)
    return int(float(size) * spread)


def calculate_priority(sum_scores: int, num_containers: int) -> int:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    if sum_scores < MIN_THRESHOLD:
        sum_scores = MIN_THRESHOLD
    elif sum_scores > max_threshold:
        sum_scores = max_threshold
    return MAX_NODE_SCORE * (sum_scores - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


def image_score(pod, node, cache) -> int:
    total = cache.num_nodes()
    s = 0
    for image in pod.images:
        name = normalized_image_name(image)
        if name in node.images:
            s += scaled_image_score(cache.image_size[name], len(cache.image_nodes[name]), total)
    return calculate_priority(s, len(pod.images))


def score(pod, nodes, state) -> list[int]:
    return [image_score(pod, n, state.cache) for n in nodes]
