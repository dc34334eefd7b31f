"""Errors in kubectl's words: cmdutil.CheckErr, AddSourceToErr, UsageErrorf and aggregates.

    The Pod "nginx" is invalid: spec.containers[0].image: Required value
    Error from server (NotFound): pods "nope" not found
    error: the server doesn't have a resource type "pood"

(staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go). Everything the model raises keeps its
structure until it reaches `check_err`, the only place that turns it into text.
"""

from __future__ import annotations

from k8scourse.errors import ClientError, Invalid, K8sError, StatusError


class UsageError(ClientError):
    """cmdutil.UsageErrorf: the message, then `See '<command> -h' for help and examples`."""

    def __init__(self, message: str, command_path: str):
        super().__init__(f"{message}\nSee '{command_path} -h' for help and examples")


class FlagUsageError(ClientError):
    """A flag parse error, as kubectl's FlagErrorFunc words it."""

    def __init__(self, message: str, command_path: str):
        super().__init__(f"{message}\nSee '{command_path} --help' for usage.")


class Exit(Exception):
    """Stop the command with `code` and print nothing more (cmdutil.ErrExit)."""

    def __init__(self, code: int = 1):
        super().__init__(code)
        self.code = code


class ConnectError(K8sError):
    """A *url.Error: `Unable to connect to the server: <cause>`."""

    def __init__(self, cause: str):
        super().__init__(cause)
        self.cause = cause


class RawError(K8sError):
    """An error kubectl prints exactly as it is (no `error: ` prefix)."""


class Aggregate(K8sError):
    """utilerrors.Aggregate: several errors, one line each."""

    def __init__(self, errors: list[BaseException]):
        flat: list[BaseException] = []
        for e in errors:
            if isinstance(e, Aggregate):
                flat.extend(e.errors)
            else:
                flat.append(e)
        self.errors = flat
        super().__init__("; ".join(str(e) for e in flat))

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        return "[" + ", ".join(str(e) for e in self.errors) + "]"


def aggregate(errors: list[BaseException]) -> BaseException | None:
    """utilerrors.NewAggregate: None for no errors."""
    if not errors:
        return None
    return Aggregate(errors)


def add_source(verb: str, source: str, err: BaseException) -> BaseException:
    """cmdutil.AddSourceToErr: `error when <verb> "<source>": <message>` when from a file."""
    if not source:
        return err
    if isinstance(err, StatusError):
        wrapped = err.__class__.__new__(err.__class__)
        wrapped.__dict__.update(err.__dict__)
        wrapped.message = f'error when {verb} "{source}": {err.message}'
        wrapped.args = (wrapped.message,)
        return wrapped
    return ClientError(f'error when {verb} "{source}": {_text(err)}')


def _text(err: BaseException) -> str:
    if isinstance(err, ConnectError):
        return err.cause
    return str(err)


def standard_message(err: BaseException) -> str | None:
    """StandardErrorMessage: Status errors and connection errors, or None."""
    if isinstance(err, StatusError):
        if err.reason:
            return f"Error from server ({err.reason}): {err.message}"
        return f"Error from server: {err.message}"
    if isinstance(err, ConnectError):
        return f"Unable to connect to the server: {err.cause}"
    return None


def message_for(err: BaseException) -> str:
    msg = standard_message(err)
    return msg if msg is not None else str(err)


def invalid_text(err: Invalid) -> str:
    """The Invalid (422) layout: one cause on the same line, several as `* ` lines."""
    head = f'The {err.kind} "{err.name}" is invalid'
    causes: list[str] = []
    for fe in err.errors:
        line = f"{fe.field}: {fe.body()}"
        if line not in causes:
            causes.append(line)
    if not causes:
        return head + "\n"
    prefix = head + ": "
    if len(causes) == 1:
        return f"{prefix}{causes[0]}\n"
    return prefix + "\n" + "".join(f"* {c}\n" for c in causes)


def check_err(err: BaseException) -> str:
    """What kubectl prints on stderr for `err` (always ending in a newline)."""
    if isinstance(err, Aggregate) and len(err.errors) == 1:
        err = err.errors[0]
    if isinstance(err, Invalid):
        text = invalid_text(err)
    elif isinstance(err, RawError):
        text = str(err)
    elif isinstance(err, Aggregate):
        text = "".join(message_for(e) + "\n" for e in err.errors)
    else:
        text = standard_message(err)
        if text is None:
            text = str(err)
            if not text.startswith("error: "):
                text = f"error: {text}"
    if text and not text.endswith("\n"):
        text += "\n"
    return text
