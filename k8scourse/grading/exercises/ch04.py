"""Chapter 4, YAML: dictionaries, lists, lists of dictionaries, what order means, reading errors."""

from __future__ import annotations

from k8scourse.grading import Answer, AnswerError, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.helpers import refused

# --- helpers shared by this chapter's checks ---------------------------------------------------


def document(answer: Answer) -> dict:
    """The one YAML document of the answer, read as kubectl reads a file (its error texts)."""
    if "doc" in answer._cache:
        return answer._cache["doc"]
    from k8scourse.api import decode
    from k8scourse.errors import ClientError, DecodeError

    try:
        docs = decode.load_manifests(answer.text, "answer.yaml")
    except DecodeError as e:
        raise AnswerError("This is not valid YAML yet. kubectl would say:\nerror: " + str(e)
                          + "\nLook at that line and the one before it: indentation must use "
                          "spaces, and a key sits at the same depth as its siblings.") from None
    except ClientError:
        raise AnswerError("The top of the document should be a dictionary (`Key:` lines), not a "
                          "list or a single value.") from None
    if len(docs) != 1:
        raise AnswerError(f"Write exactly one YAML document; this answer has {len(docs)} "
                          "(a line `---` starts a new one).")
    answer._cache["doc"] = docs[0]
    return docs[0]


def top(answer: Answer, key: str):
    """The value under the top-level `key`, or a problem naming what is there instead."""
    doc = document(answer)
    if key not in doc:
        found = ", ".join(f"`{k}`" for k in doc) or "nothing"
        raise AnswerError(f"The document should start with the key `{key}:` at the left margin; "
                          f"its top-level keys are: {found}.")
    extra = [k for k in doc if k != key]
    if extra:
        raise AnswerError(f"Only `{key}` should be at the left margin; "
                          f"{', '.join(f'`{k}`' for k in extra)} should be indented under something.")
    return doc[key]


def kind_of(value) -> str:
    """A learner's word for what a YAML value is."""
    if isinstance(value, dict):
        return "a dictionary"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    return f"a single value ({value!r})"


# --- Exercise 1: a dictionary inside a dictionary ----------------------------------------------

ex1 = exercise("ch04-ex1", 2, "manifest", "A car as a dictionary with a dictionary inside")

CAR = {"Color": "Blue", "Transmission": "Manual", "Price": 20000}
MODEL = {"Name": "Corvette", "Year": 1995}


@ex1.check
def _car_is_a_dictionary(a: Answer):
    car = top(a, "Car")
    if not isinstance(car, dict):
        return (f"`Car` holds {kind_of(car)}. One car is a dictionary: its properties are "
                "`Key: value` lines indented under `Car:`, without dashes.")
    return None


@ex1.check
def _model_is_a_dictionary(a: Answer):
    car = top(a, "Car")
    model = car.get("Model")
    misplaced = [k for k in MODEL if k in car]
    if misplaced:
        return (f"{' and '.join(f'`{k}`' for k in misplaced)} sit at the same depth as `Model`, so "
                "they are properties of the car, not of its model: indent them further, under "
                "`Model:`.")
    if "Model" not in car:
        return "`Car` has no `Model` property."
    if isinstance(model, list):
        return ("`Model` holds a list (its lines start with `-`). A model is one thing with "
                "properties, a dictionary: write its keys indented under `Model:` without dashes.")
    if not isinstance(model, dict):
        return (f"`Model` holds {kind_of(model)}; it should be a dictionary with its own keys, "
                "indented one level deeper than `Model:`.")
    return None


@ex1.check
def _car_properties(a: Answer):
    car = top(a, "Car")
    missing = [k for k in [*CAR, "Model"] if k not in car]
    extra = [k for k in car if k not in CAR and k != "Model"]
    if missing:
        return f"`Car` is missing these properties: {', '.join(missing)} (keys are case-sensitive)."
    if extra:
        return f"`Car` has properties the task does not ask for: {', '.join(map(str, extra))}."
    model = car["Model"]
    missing = [k for k in MODEL if k not in model]
    extra = [k for k in model if k not in MODEL]
    if missing:
        return f"`Model` is missing: {', '.join(missing)} (keys are case-sensitive)."
    if extra:
        return f"`Model` has keys the task does not ask for: {', '.join(map(str, extra))}."
    for key, want in [*CAR.items(), *MODEL.items()]:
        got = model[key] if key in MODEL else car[key]
        if str(got) != str(want):
            return f"The value of `{key}` is not the one the task gives."
    return None


@ex1.check(hidden=True)
def _numbers_are_numbers(a: Answer):
    car = top(a, "Car")
    if not isinstance(car["Price"], int) or not isinstance(car["Model"]["Year"], int):
        return ("A value in quotes is a string; write numbers such as a price or a year without "
                "quotes so that they stay numbers.")
    return None


# --- Exercise 2: a list of dictionaries ----------------------------------------------------------

ex2 = exercise("ch04-ex2", 3, "manifest", "A list of dictionaries, in order")

CARS = [
    {"Color": "Blue", "Model": "Corvette", "Year": 1995},
    {"Color": "Grey", "Model": "Mustang", "Year": 1964},
    {"Color": "Red", "Model": "Beetle", "Year": 1972},
]


@ex2.check
def _cars_is_a_list(a: Answer):
    cars = top(a, "Cars")
    if not isinstance(cars, list):
        return (f"`Cars` holds {kind_of(cars)}. Several cars are a list: each item starts with "
                "`- ` under `Cars:`.")
    return None


@ex2.check
def _each_car_is_a_dictionary(a: Answer):
    cars = top(a, "Cars")
    for i, car in enumerate(cars, 1):
        if not isinstance(car, dict):
            return (f"Item {i} of `Cars` is {kind_of(car)}, but each car has several properties, "
                    "so each item is a dictionary: `- Color: ...` with the other keys of that car "
                    "indented under it, lined up with `Color`.")
    return None


@ex2.check
def _three_cars(a: Answer):
    cars = top(a, "Cars")
    if len(cars) != len(CARS):
        return (f"`Cars` has {len(cars)} item(s), but the table lists {len(CARS)} cars. Each car "
                "starts a new item with its own `-`; keys repeated inside one item overwrite "
                "each other.")
    for i, car in enumerate(cars, 1):
        missing = [k for k in CARS[0] if k not in car]
        extra = [k for k in car if k not in CARS[0]]
        if missing:
            return f"Car {i} is missing: {', '.join(missing)} (keys are case-sensitive)."
        if extra:
            return f"Car {i} has keys the table does not have: {', '.join(map(str, extra))}."
    return None


@ex2.check
def _in_order(a: Answer):
    cars = top(a, "Cars")
    key = lambda c: (str(c["Color"]), str(c["Model"]), str(c["Year"]))  # noqa: E731
    if sorted(map(key, cars)) != sorted(map(key, CARS)):
        return "At least one car's values differ from the table."
    if list(map(key, cars)) != list(map(key, CARS)):
        return ("These are the right cars, but not in the table's order. A list is an ordered "
                "collection: the same items in another order make a different list.")
    return None


@ex2.check(hidden=True)
def _years_are_numbers(a: Answer):
    if not all(isinstance(c["Year"], int) for c in top(a, "Cars")):
        return "A year in quotes is a string; write the years without quotes so they stay numbers."
    return None


# --- Exercise 3: what order means (a choice) -----------------------------------------------------

ex3 = exercise("ch04-ex3", 1, "concept", "Order in dictionaries and lists")
choice(ex3, "aa5018184ed9e584", {
    "a": "Snippet B swaps two items of a list, and a list is an ordered collection: the first "
         "item is a different one now.",
    "c": "Look again at snippet A: it only moves keys of a dictionary around, and a dictionary is "
         "an unordered collection.",
    "d": "One of the two snippets only reorders keys of a dictionary; does that change the data?",
})

# --- Exercise 4: what a list of dictionaries becomes in Python (predict) -----------------------

ex4 = exercise("ch04-ex4", 1, "predict", "The type of one payslip")
predicted(ex4, "3b70d847bb90e0d4", {
    "list": "`Payslips` itself is the list. Indexing it with [0] takes out its first item: what "
            "does that one item (a month with a wage) look like?",
    "str": "The first payslip has two keys, `Month` and `Wage`; a single string could not hold "
           "both.",
    "int": "The first payslip has two keys, `Month` and `Wage`; a single number could not hold "
           "both.",
}, form="Answer with one of the four types: dict, list, str or int.",
    valid=lambda v: v in ("dict", "list", "str", "int"), otherwise="Not that type.",
    synonyms={"dictionary": "dict", "string": "str", "integer": "int"})

# --- Exercise 5: read an error before you meet it (predict) -------------------------------------

ex5 = exercise("ch04-ex5", 1, "predict", "The field kubectl names")
predicted(ex5, "98d37de2d278bed1", {
    "spec": "kubectl names a field by its whole path from the top of the document. Where does "
            "`spec:` sit in this file, and under which key?",
}, form="Answer with the field path only, as kubectl writes it inside the quotes, e.g. "
        "`spec.containers[0].imagePullPolice`.",
    valid=lambda v: bool(v) and " " not in v,
    otherwise="Not that path. Follow the indentation from the top of the file: which key is "
              "`spec` indented under?")


# --- Exercise 6: fix a broken Pod manifest -------------------------------------------------------

ex6 = exercise("ch04-ex6", 2, "fix", "Fix a Pod manifest kubectl cannot read")


@ex6.check
def _parses(a: Answer):
    document(a)
    return None


@ex6.check
def _same_pod(a: Answer):
    doc = document(a)
    meta = doc.get("metadata")
    if not isinstance(meta, dict) or meta.get("name") != "webapp":
        return ("The Pod's name should still be `webapp`, under `metadata:`; fix the indentation "
                "only, keep what the manifest says.")
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        if isinstance(meta, dict) and "spec" in meta:
            return ("`spec` is indented under `metadata`, so kubectl reads `metadata.spec`. `spec` "
                    "is one of the four top-level fields: it starts at the left margin.")
        return "The manifest has no `spec` at the top level any more."
    containers = spec.get("containers")
    if not isinstance(containers, list) or len(containers) != 1 or not isinstance(containers[0], dict):
        return ("`containers` should be a list holding one container (a dictionary that starts "
                "with `- name:`).")
    c = containers[0]
    if c.get("name") != "web" or c.get("image") != "nginx:1.27":
        return ("The container should keep its name and image; `image` belongs to the same "
                "container as `name`, lined up with it.")
    ports = c.get("ports")
    if not (isinstance(ports, list) and len(ports) == 1 and isinstance(ports[0], dict)
            and ports[0].get("containerPort") == 80):
        return ("The container should keep its port: `ports` is a list under the container, "
                "holding one dictionary with `containerPort`.")
    return None


@ex6.check(hidden=True)
def _kubectl_accepts(a: Answer):
    return refused(a)
