"""The exceptions the cluster model raises, and what each one means.

    K8sError                      every error the model raises on purpose
    ├── StatusError               what the API server answers (a metav1.Status)
    │   ├── NotFound(LookupError)         404  pods "web" not found
    │   ├── AlreadyExists                 409  pods "web" already exists
    │   ├── Conflict                      409  Operation cannot be fulfilled on ...
    │   ├── Invalid(ValueError)           422  Pod "web" is invalid: <field errors>
    │   ├── BadRequest(ValueError)        400  decoding errors, strict-decoding errors
    │   ├── Forbidden                     403  e.g. creating in a namespace being terminated
    │   └── MethodNotAllowed              405
    └── ClientError                kubectl's own errors, raised before anything reaches the server
        └── DecodeError(ValueError)        YAML/JSON syntax, a file that cannot be read

Only `k8scourse.kubectl` turns these into text and exit codes: the model keeps the structure
(kind, name, field errors) so that the course and graders can inspect it.
"""

from __future__ import annotations


class K8sError(Exception):
    """Every error the model raises on purpose (anything else is a bug)."""


class StatusError(K8sError):
    """An error answered by the API server, shaped like a metav1.Status."""

    code = 500
    reason = "InternalError"

    def __init__(self, message: str, *, kind: str = "", name: str = "", group: str = "",
                 resource: str = ""):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.name = name
        self.group = group
        self.resource = resource

    def __str__(self) -> str:
        return self.message


def _qualified(resource: str, group: str) -> str:
    return f"{resource}.{group}" if group else resource


class NotFound(StatusError, LookupError):
    code, reason = 404, "NotFound"

    def __init__(self, resource: str, name: str, group: str = "", kind: str = ""):
        super().__init__(f'{_qualified(resource, group)} "{name}" not found', kind=kind, name=name,
                         group=group, resource=resource)


class AlreadyExists(StatusError):
    code, reason = 409, "AlreadyExists"

    def __init__(self, resource: str, name: str, group: str = "", kind: str = ""):
        super().__init__(f'{_qualified(resource, group)} "{name}" already exists', kind=kind,
                         name=name, group=group, resource=resource)


class Conflict(StatusError):
    code, reason = 409, "Conflict"

    def __init__(self, resource: str, name: str, detail: str, group: str = "", kind: str = ""):
        super().__init__(
            f'Operation cannot be fulfilled on {_qualified(resource, group)} "{name}": {detail}',
            kind=kind, name=name, group=group, resource=resource)


class Invalid(StatusError, ValueError):
    """422: the object failed validation; `.errors` holds every FieldError, in order."""

    code, reason = 422, "Invalid"

    def __init__(self, kind: str, name: str, errors: list, group: str = ""):
        from k8scourse.api.field import aggregate

        self.errors = list(errors)
        qualified = f"{kind}.{group}" if group else kind
        super().__init__(f'{qualified} "{name}" is invalid: {aggregate(self.errors)}', kind=kind,
                         name=name, group=group)


class BadRequest(StatusError, ValueError):
    code, reason = 400, "BadRequest"


class Forbidden(StatusError):
    code, reason = 403, "Forbidden"


class MethodNotAllowed(StatusError):
    code, reason = 405, "MethodNotAllowed"


class ClientError(K8sError):
    """An error kubectl raises itself, before (or instead of) asking the server.

    The message is printed after `error: `.
    """


class DecodeError(ClientError, ValueError):
    """A manifest that cannot be parsed (YAML or JSON syntax, unreadable file)."""
