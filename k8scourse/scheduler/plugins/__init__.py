"""The default plugins (pkg/scheduler/framework/plugins), each a few plain functions over one node.

Filters answer `filter(pod, node, state) -> Status | None` (None: the node passes). Scores answer
`score(pod, nodes, state) -> list[int] | None` for the nodes that passed every filter, already
normalised to 0-100 (None when the plugin has nothing to say about this pod, as PreScore's Skip).
"""
