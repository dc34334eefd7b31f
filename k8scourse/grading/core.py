"""Exercises, their checks, and the answers learners give.

Every graded exercise takes its answer from a `%%answer <id>` cell, as plain text: a manifest, kubectl
commands (one per line), a value, or the letter of a choice. So an answer can be graded from the
text alone, in the learner's kernel (nbgrader's test cells) or outside it (graders/).

An exercise is a list of checks. Each check looks at the answer and returns None when it holds, or a
`Problem`: a sentence that says what is wrong, specifically, without giving the answer away. The
self-check runs the visible checks; grading runs them all (the hidden ones too).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable

#: What nbgrader leaves in an answer cell it cleared (ClearSolutions.code_stub).
STUB_MARKERS = ("raise NotImplementedError()", "YOUR CODE HERE", "YOUR ANSWER HERE")


class Problem(str):
    """What is wrong with an answer, in one or two sentences that teach."""


Check = Callable[["Answer"], "Problem | str | None"]


@dataclass
class CheckSpec:
    fn: Check
    hidden: bool = False


@dataclass
class Exercise:
    """One graded exercise: an id like `ch06-ex3`, points, a kind, and its checks in order."""

    id: str
    points: int
    kind: str  # "manifest", "commands", "predict", "fix", "concept"
    title: str = ""
    checks: list[CheckSpec] = field(default_factory=list)

    def check(self, fn: Check | None = None, *, hidden: bool = False):
        """Decorator: add a check (visible to the self-check unless `hidden`)."""
        def add(f: Check) -> Check:
            self.checks.append(CheckSpec(f, hidden))
            return f
        return add(fn) if fn is not None else add

    def problems(self, text: str | None, *, hidden: bool) -> list[str]:
        """Every problem with `text`, stopping at the first failing check (later ones build on it)."""
        answer = Answer(self, text)
        if answer.empty:
            return [f"There is no answer yet: write it in the `%%answer {self.id}` cell "
                    "(replacing the placeholder lines) and run that cell."]
        for spec in self.checks:
            if spec.hidden and not hidden:
                continue
            try:
                problem = spec.fn(answer)
            except AnswerError as e:
                problem = str(e)
            if problem:
                return [str(problem)]
        return []


class AnswerError(Exception):
    """Raised inside a check to report a problem from deep in a helper."""


class Answer:
    """The text a learner gave, with helpers that checks share (parsing, running, comparing)."""

    def __init__(self, exercise: Exercise, text: str | None):
        self.exercise = exercise
        self.raw = text or ""
        self.text = _strip_stub(self.raw)
        self.empty = not self.text.strip()
        self._cache: dict = {}

    # values and choices ------------------------------------------------------------------------
    @property
    def value(self) -> str:
        """The answer as one normalised line: trimmed, lower case, inner spaces collapsed."""
        lines = [ln for ln in self.text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
        return re.sub(r"\s+", " ", " ".join(lines)).strip().strip("'\"").lower()

    def matches_hash(self, digest: str) -> bool:
        """Whether the normalised value hashes to `digest` (expected values are stored hashed, so
        reading the course's source does not give the answers away)."""
        return answer_hash(self.exercise.id, self.value) == digest

    # manifests -------------------------------------------------------------------------------------
    def objects(self) -> list[dict]:
        """The objects of a manifest answer, or an AnswerError in kubectl's own words."""
        if "objects" not in self._cache:
            from k8scourse.api import decode
            from k8scourse.errors import K8sError

            try:
                objs = decode.load_manifests(self.text, "answer.yaml")
            except K8sError as e:
                raise AnswerError(f"kubectl cannot read this manifest: error: {e}") from None
            if not objs:
                raise AnswerError("The cell has no Kubernetes object in it yet.")
            self._cache["objects"] = objs
        return self._cache["objects"]

    def one(self, kind: str) -> dict:
        """The single object of `kind` in the answer, or an AnswerError saying what is there."""
        objs = self.objects()
        found = [o for o in objs if isinstance(o, dict) and o.get("kind") == kind]
        if not found:
            kinds = ", ".join(sorted({str(o.get("kind")) for o in objs if isinstance(o, dict)})) or "nothing"
            raise AnswerError(f"The manifest should describe a {kind}, but it describes: {kinds}.")
        if len(found) > 1:
            raise AnswerError(f"The manifest has {len(found)} {kind} objects; write exactly one.")
        return found[0]

    def apply(self, cluster=None, verb: str = "apply"):
        """Run `kubectl <verb> -f -` with the answer on `cluster` (a fresh kubeadm cluster by
        default); an AnswerError carries kubectl's error if it fails."""
        from k8scourse.cluster import Cluster

        cluster = cluster or Cluster.kubeadm(workers=2, seed=7)
        result = cluster.kubectl([verb, "-f", "-"], stdin=self.text)
        if result.exit_code != 0:
            raise AnswerError("A real cluster would refuse this manifest. kubectl says:\n"
                              + result.stderr.rstrip())
        return cluster

    # commands -------------------------------------------------------------------------------------
    def commands(self) -> list[str]:
        """kubectl command lines, one per line; `#` comments, blank lines and `$ ` prompts ignored."""
        out = []
        for line in self.text.splitlines():
            line = line.strip()
            if line.startswith("$ "):
                line = line[2:].strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("%kubectl "):
                line = "kubectl " + line[len("%kubectl "):]
            out.append(line)
        return out

    def run(self, cluster, *, settle: bool = True):
        """Run the answer's commands on `cluster` in order; AnswerError on one that is not kubectl
        or that fails. Returns the cluster, settled."""
        for line in self.commands():
            if not line.startswith("kubectl ") and line != "kubectl":
                raise AnswerError(f"Each line should be a kubectl command; this one is not: {line!r}")
            result = cluster.kubectl(line)
            if result.exit_code != 0:
                raise AnswerError(f"This command failed: {line!r}. kubectl says:\n"
                                  + result.stderr.rstrip())
        if settle:
            cluster.settle()
        return cluster


def answer_hash(exercise_id: str, value: str) -> str:
    """The digest a predicted value is stored as: sha256 of `<id>:<normalised value>`, 16 hex."""
    return hashlib.sha256(f"{exercise_id}:{value}".encode()).hexdigest()[:16]


def _strip_stub(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not any(m in ln for m in STUB_MARKERS)]
    return "\n".join(lines)
