"""sluice_step: what a Sluice step sees, for Python steps. Standard library only.

Sluice puts this module on every step's PYTHONPATH (after the step's own entries), so a step
script just imports it::

    import sluice_step as step

    epochs = step.param("epochs")                  # typed as the pipeline declares it: 300, an int
    rows = step.read_csv(step.input("prepare", "train.csv"))   # or open(step.input(...))
    for epoch in range(epochs):
        ...
        step.metric("loss", loss, step=epoch)      # a series: one value per epoch
    with open(step.output("model.json"), "w") as f: ...
    step.metrics(auc=0.91, accuracy=0.85)          # last values, seen by `if:` and --json

Turn it off for one step or pipeline with ``env: {SLUICE_PYTHON_HELPER: "0"}``, or for a whole
server or worker by starting it with SLUICE_PYTHON_HELPER=0 in its environment. Outside Sluice
(running a step by hand), set the SLUICE_* variables yourself: see pipelines/README.md.
"""
import json
import math
import os
import sys

__all__ = [
    "params", "param", "matrix", "run_id", "pipeline", "step_id", "attempt", "logical_date",
    "outputs_dir", "output", "inputs_dir", "input", "inputs", "models_dir", "model",
    "metric", "metrics", "fail", "parse_bool",
]


def fail(message):
    """Stops the step: prints `error: message` on stderr and exits with code 1 (the step FAILS)."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def _env(name, required=True):
    value = os.environ.get(name)
    if required and not value:
        fail(f"{name} is not set: run this step through sluice, or set it by hand as pipelines/README.md shows")
    return value


def parse_bool(text):
    """true/false as Sluice writes booleans, and the usual spellings (1/0, yes/no, on/off)."""
    if isinstance(text, bool):
        return text
    lowered = str(text).strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off", ""):
        return False
    fail(f"expected true or false, got {text!r}")


def _guess(text):
    """A value of a SLUICE_PARAM_* variable, typed as well as its text tells (for steps run by hand)."""
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            value = kind(text)
        except ValueError:
            continue
        if kind is int or math.isfinite(value):
            return value
    return text


def _typed(json_name, prefix):
    """SLUICE_PARAMS / SLUICE_MATRIX (JSON, typed by the pipeline), else the PREFIX_* variables."""
    text = os.environ.get(json_name)
    if text:
        try:
            values = json.loads(text)
        except ValueError:
            fail(f"{json_name} is not a JSON object: {text[:80]!r}")
        if isinstance(values, dict):
            return values
    return {k[len(prefix):].lower(): _guess(v) for k, v in os.environ.items() if k.startswith(prefix)}


#: The run's params by name, typed as the pipeline declares them (an int param is an int).
params = _typed("SLUICE_PARAMS", "SLUICE_PARAM_")
#: This variant's matrix values by name (empty outside a matrix step).
matrix = _typed("SLUICE_MATRIX", "SLUICE_MATRIX_")

run_id = os.environ.get("SLUICE_RUN_ID")
pipeline = os.environ.get("SLUICE_PIPELINE")
#: The task id: the step id, with the matrix values for a variant (`train[l2=0.1]`).
step_id = os.environ.get("SLUICE_STEP")
#: The attempt number, from 1 (a retry is 2, ...).
attempt = int(os.environ.get("SLUICE_ATTEMPT") or 1)
#: ISO-8601 instant: the schedule tick of a scheduled run, the trigger time of another.
logical_date = os.environ.get("SLUICE_LOGICAL_DATE")

_MISSING = object()


def param(name, default=_MISSING, type=None):  # noqa: A002 (the builtin's name reads best here)
    """One param (or matrix value of that name): `type` converts it (int, float, str, bool); a
    missing one gives `default`, or fails the step when there is none."""
    if name in matrix:
        value = matrix[name]
    elif name in params:
        value = params[name]
    elif default is not _MISSING:
        return default
    else:
        known = ", ".join(sorted(set(params) | set(matrix))) or "none"
        fail(f"no param {name!r} (params: {known})")
    if type is None or isinstance(value, type) and not (type is int and isinstance(value, bool)):
        return value
    try:
        return parse_bool(value) if type is bool else type(value)
    except (TypeError, ValueError):
        fail(f"param {name!r} is {value!r}, not a {type.__name__}")


def outputs_dir():
    """$SLUICE_OUTPUTS: everything the step writes there is stored as its outputs."""
    path = _env("SLUICE_OUTPUTS")
    os.makedirs(path, exist_ok=True)
    return path


def output(name):
    """Where to write output `name` (a path under $SLUICE_OUTPUTS; its folders are made)."""
    path = os.path.join(outputs_dir(), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def inputs_dir(step=None):
    """$SLUICE_INPUTS, or the folder of one upstream step's outputs in it."""
    root = _env("SLUICE_INPUTS")
    return root if step is None else os.path.join(root, step)


def input(step, name):  # noqa: A001
    """An upstream step's output: $SLUICE_INPUTS/<step>/<name> (a matrix variant by its task id,
    `train[l2=0.1]`); fails the step with a clear message when it is not there."""
    path = os.path.join(inputs_dir(step), name)
    if not os.path.exists(path):
        fail(f"input {step}/{name} not found at {path}: does this step need '{step}', and does it write {name}?")
    return path


def inputs(name=None):
    """The upstream task ids this step got outputs from, sorted; with `name`, only those that have
    that file (every variant of a matrix step that wrote model.json, say)."""
    root = inputs_dir()
    if not os.path.isdir(root):
        return []
    tasks = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    return [t for t in tasks if name is None or os.path.exists(os.path.join(root, t, name))]


def models_dir():
    """$SLUICE_MODELS (v1.1): one folder per key of the step's `models:`."""
    return _env("SLUICE_MODELS")


def model(key, name=None):
    """The folder of model `key` of the step's `models:` ($SLUICE_MODELS/<key>), or a file in it."""
    path = os.path.join(models_dir(), key)
    if name is not None:
        path = os.path.join(path, name)
    if not os.path.exists(path):
        fail(f"model {key!r} not found at {path}: is it in the step's models:?")
    return path


def _number(name, value):
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        fail(f"metric {name!r} must be a finite number, got {value!r}")
    return value


def _write(line):
    path = os.environ.get("SLUICE_METRICS")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def metric(name, value, step=None):
    """Records one value of metric `name`. Called again with the same name, it makes a series (a
    loss per epoch); `step` is the x-axis of the value (default: its position in the series).
    Expressions, `if:` and --json see the last value."""
    entry = {} if step is None else {"step": int(step)}
    entry[name] = _number(name, value)
    _write(json.dumps(entry, separators=(",", ":")))


def metrics(**values):
    """Records several metrics at once (one line) and prints them: `metrics(auc=0.91, rows=303)`."""
    entry = {name: _number(name, value) for name, value in values.items()}
    _write(json.dumps(entry, separators=(",", ":")))
    print("metrics: " + ", ".join(f"{k} {v}" for k, v in entry.items()), flush=True)
