"""The API server: the store (etcd and its watch cache), the request pipeline, allocators, events."""
