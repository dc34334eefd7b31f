"""Chapter 1, containers: why containers, containers vs VMs, images vs containers, `docker run`."""

from __future__ import annotations

import re

from k8scourse.grading import Answer, AnswerError, answer_hash, exercise
from k8scourse.grading.helpers import cached, docker_failed

# --- helpers ------------------------------------------------------------------------------------

_CALL = re.compile(r"""^docker\(\s*(['"])(.*)\1\s*\)$""")
_RUNS: dict[str, object] = {}


def docker_lines(answer: Answer) -> list[str]:
    """The docker commands of an answer: `docker run ...` lines (or the notebook's `docker("run
    ...")` calls), without the leading `docker`."""
    out = []
    for line in answer.commands():
        m = _CALL.match(line)
        if m:
            line = "docker " + m.group(2)
        if line.startswith("kubectl "):
            raise AnswerError("This exercise is about docker: each line should be a `docker ...` "
                              "command, not kubectl.")
        if not line.startswith("docker "):
            raise AnswerError(f"Each line should be a docker command; this one is not: {line!r}")
        out.append(line[len("docker "):])
    if not out:
        raise AnswerError("Write the docker commands, one per line.")
    return out


def engine_after(answer: Answer):
    """A fresh docker host after the answer's commands (and a few seconds to start)."""
    def build() -> object:
        from k8scourse.docker import DockerEngine

        engine = DockerEngine(seed=1)
        for line in docker_lines(answer):
            r = engine.docker(line)
            if r.exit_code != 0:
                return docker_failed(line, r)
        engine.advance(10)
        return engine
    return cached(_RUNS, answer.text, build)


def container(engine, name: str):
    return next((c for c in engine.containers.values() if c.name == name), None)


def published(c) -> dict[int, int]:
    """host port -> container port for a container's published TCP ports."""
    return {host: port for _ip, host, port, proto in c.ports if proto == "tcp"}


_LETTER = re.compile(r"^\(?([a-z])[).:]?$")


def choice(ex, digest: str, wrong: dict[str, str], letters: str = "abcd") -> None:
    """The checks of a choice question: one letter (`b`, `B`, `(b)` or `b.`), then the right one
    (stored hashed); `wrong` says what is wrong with each tempting letter."""

    def letter(a: Answer) -> str:
        m = _LETTER.match(a.value)
        return m.group(1) if m else a.value

    @ex.check
    def _one_letter(a: Answer):
        if letter(a) not in tuple(letters):
            return f"Answer with one letter: {', '.join(letters[:-1])} or {letters[-1]}."
        return None

    @ex.check
    def _right_letter(a: Answer):
        if answer_hash(ex.id, letter(a)) == digest:
            return None
        return wrong.get(letter(a), "Not that one; read the choices again.")


def predicted(ex, digest: str, wrong: dict[str, str], *, form: str, valid, otherwise: str,
              synonyms: dict[str, str] | None = None) -> None:
    """The checks of a predicted value: its form (`valid(value)`, else `form` says what to write),
    then the value itself (stored hashed); `wrong` explains tempting wrong values, `otherwise`
    the rest. `synonyms` maps other spellings to the one that is hashed."""
    synonyms = synonyms or {}

    def norm(a: Answer) -> str:
        return synonyms.get(a.value, a.value)

    @ex.check
    def _form(a: Answer):
        return None if valid(norm(a)) else form

    @ex.check
    def _value(a: Answer):
        if answer_hash(ex.id, norm(a)) == digest:
            return None
        return wrong.get(norm(a), otherwise)


# --- Exercise 1: what containers share (concept) --------------------------------------------------

ex1 = exercise("ch01-ex1", 1, "concept", "What containers on one host share")
choice(ex1, "100b3d30baec7c92", {
    "a": "That describes virtual machines: each VM boots an operating system with its own kernel. "
         "Containers are processes of their host.",
    "c": "Containers on one host can come from many different images (nginx, redis, ...).",
    "d": "Two containers can both listen on port 80 inside: each has its own network namespace. "
         "Only the host's published ports must differ.",
})

# --- Exercise 2: images and containers (concept) --------------------------------------------------

ex2 = exercise("ch01-ex2", 1, "concept", "Images and containers")
choice(ex2, "7dbb47211b127d6a", {
    "a": "It is the other way round: an image is never running; it is the template containers "
         "start from.",
    "b": "Removing a container leaves its image on the host (`docker images` still lists it); "
         "docker even refuses to remove an image that a container still uses.",
    "d": "docker pulls an image once per host; every further container from it starts without "
         "a download.",
})

# --- Exercise 3: what `docker ps` lists (predict) -----------------------------------------------

ex3 = exercise("ch01-ex3", 1, "predict", "What docker ps lists")
predicted(ex3, "bf35d8f73836891b", {
    "3": "`docker ps` lists only running containers. Which of the three are still running after "
         "these commands?",
    "2": "A container lives only as long as its main process. How long does `echo hello` run?",
    "0": "Stopping `web1` does not stop `web2`: each container is a process of its own.",
}, form="Answer with a number: how many containers `docker ps` lists.", valid=str.isdigit,
    otherwise="Not that many. Go through the commands one by one: which containers are still "
              "running at the end?")


# --- Exercise 4: how many images are pulled (predict) -------------------------------------------

ex4 = exercise("ch01-ex4", 1, "predict", "How many images are pulled")
predicted(ex4, "b59753cad6acbbd1", {
    "3": "`web1` and `web2` are two containers of one image. Once a host has an image, more "
         "containers start from it without a download.",
    "4": "Stopping a container downloads nothing, and two containers of one image share that "
         "image.",
    "1": "Not every command uses the same image: look at the image name in each `docker run`.",
}, form="Answer with a number: how many images docker downloads.", valid=str.isdigit,
    otherwise="Not that many. Count the different images the commands name.")


# --- Exercise 5: publish a web server (commands) -------------------------------------------------

ex5 = exercise("ch01-ex5", 2, "commands", "A web server on port 8080")


@ex5.check
def _web_runs(a: Answer):
    engine = engine_after(a)
    web = container(engine, "web")
    if web is None:
        names = ", ".join(sorted(c.name for c in engine.containers.values())) or "none"
        return f"There is no container named `web` (containers: {names}). `--name` sets the name."
    if web.image.repository != "nginx":
        return f"`web` runs the image `{web.image_ref}`; the task asks for the nginx web server."
    if not web.running:
        return "`web` is not running any more."
    return None


@ex5.check
def _web_published(a: Answer):
    web = container(engine_after(a), "web")
    ports = published(web)
    if not ports:
        return ("`web` publishes no port, so nothing outside the host reaches it. `-p` maps a port "
                "of the host to a port of the container.")
    if 8080 not in ports:
        if 8080 in ports.values():
            return ("The two sides of `-p` are swapped: the host's port comes first, then the "
                    "container's (`-p HOST:CONTAINER`).")
        return "The laptop should reach `web` on host port 8080; that port is not published."
    if ports[8080] != 80:
        return ("Host port 8080 is published, but not to the port nginx listens on inside the "
                "container (see the PORTS column of `docker ps`).")
    return None


@ex5.check(hidden=True)
def _web_answers(a: Answer):
    engine = engine_after(a)
    if "Welcome to nginx!" not in engine.curl("http://localhost:8080/").output:
        return "A request to http://localhost:8080/ does not reach nginx."
    return None


# --- Exercise 6: many containers from one image (commands) ---------------------------------------

ex6 = exercise("ch01-ex6", 2, "commands", "Two containers of one image")


@ex6.check
def _both_run(a: Answer):
    engine = engine_after(a)
    for name in ("blue", "green"):
        c = container(engine, name)
        if c is None:
            return f"There is no container named `{name}`."
        if c.image.repository != "nginx":
            return f"`{name}` runs `{c.image_ref}`, but both should come from the nginx image."
        if not c.running:
            return f"`{name}` is not running."
    return None


@ex6.check
def _own_ports(a: Answer):
    engine = engine_after(a)
    for name, want in (("blue", 8081), ("green", 8082)):
        ports = published(container(engine, name))
        if want not in ports:
            if want in ports.values():
                return (f"For `{name}` the two sides of `-p` are swapped: the host's port comes "
                        "first (`-p HOST:CONTAINER`).")
            return f"`{name}` should be reachable on the host port the task gives it."
        if ports[want] != 80:
            return f"`{name}`'s host port should lead to port 80, where nginx listens."
    return None


@ex6.check(hidden=True)
def _one_image(a: Answer):
    engine = engine_after(a)
    blue, green = container(engine, "blue"), container(engine, "green")
    if blue.image.id != green.image.id:
        return "`blue` and `green` should run the very same image."
    for port in (8081, 8082):
        if "Welcome to nginx!" not in engine.curl(f"http://localhost:{port}/").output:
            return f"A request to http://localhost:{port}/ does not reach nginx."
    return None
