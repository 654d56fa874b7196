"""What a Sluice step sees (see docs: "What a step sees"), as a few helpers.

Standard library only, so every step runs with a bare python3.
"""
import os
import sys


def fail(message):
    """Stops the step with a one-line message and exit code 1."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def _env(name):
    value = os.environ.get(name)
    if not value:
        fail(f"{name} is not set: run this step through sluice, "
             "or set it by hand as pipelines/README.md shows")
    return value


def outputs_dir():
    """The folder whose content becomes this step's outputs."""
    path = _env("SLUICE_OUTPUTS")
    os.makedirs(path, exist_ok=True)
    return path


def output_path(name):
    return os.path.join(outputs_dir(), name)


def input_path(step_id, name):
    """A file an upstream step wrote: $SLUICE_INPUTS/<step id>/<name>."""
    path = os.path.join(_env("SLUICE_INPUTS"), step_id, name)
    if not os.path.isfile(path):
        fail(f"input {step_id}/{name} not found at {path}: does this step need '{step_id}'?")
    return path


def write_metrics(**values):
    """Appends one `name value` line per metric to $SLUICE_METRICS and logs them."""
    lines = [f"{name} {_number(value)}" for name, value in values.items()]
    path = os.environ.get("SLUICE_METRICS")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in lines)
    print("metrics: " + ", ".join(lines), flush=True)


def _number(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    return value


def parse_bool(text):
    """Reads a boolean param as the engine renders it (true/false), plus the usual spellings."""
    lowered = str(text).strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off", ""):
        return False
    fail(f"expected true or false, got {text!r}")
