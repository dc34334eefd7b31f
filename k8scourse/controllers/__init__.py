"""kube-controller-manager's control loops."""
