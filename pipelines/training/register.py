"""register: files the chosen model in a model registry, with a manifest.

Sluice runs this step only when the gate in training.yaml holds (test AUC >= min_auc); the
script checks it again so that a hand run cannot register a weak model. The registry is a
folder under $SLUICE_OUTPUTS: registry/<name>/<version>/{model.json,manifest.json}, the version
being the start of the model's sha256. The manifest records the run, the params, the scores,
the data's origin and the sha256 of every input file, and is printed.
"""
import argparse
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True
import model  # noqa: E402
import step  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="heart-disease", help="model name in the registry")
    parser.add_argument("--auc", type=float, required=True, help="test AUC from evaluate")
    parser.add_argument("--min-auc", type=float, required=True)
    args = parser.parse_args()
    if args.auc < args.min_auc:
        step.fail(f"refusing to register: test auc {args.auc:.4f} is below min_auc {args.min_auc}")

    source = step.input_path("evaluate", "model.json")
    with open(source, encoding="utf-8") as f:
        chosen = json.load(f)
    digest = model.sha256_file(source)
    version = digest[:12]
    folder = os.path.join(step.outputs_dir(), "registry", args.name, version)
    os.makedirs(folder, exist_ok=True)
    shutil.copyfile(source, os.path.join(folder, "model.json"))

    manifest = {
        "model": args.name,
        "version": version,
        "model_sha256": digest,
        "registered_for": {"run": os.environ.get("SLUICE_RUN_ID"),
                           "pipeline": os.environ.get("SLUICE_PIPELINE"),
                           "logical_date": os.environ.get("SLUICE_LOGICAL_DATE")},
        "params": {k[len("SLUICE_PARAM_"):].lower(): v for k, v in sorted(os.environ.items())
                   if k.startswith("SLUICE_PARAM_")},
        "hyperparameters": chosen["hyperparameters"],
        "scores": {"test_auc": chosen["evaluation"]["auc"],
                   "test_accuracy": chosen["evaluation"]["accuracy"],
                   "train_auc": chosen["training"]["auc"], "min_auc": args.min_auc},
        "data": chosen["training"]["origin"],
        "inputs": input_hashes(os.environ["SLUICE_INPUTS"]),
    }
    with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"register: {args.name} version {version} (test auc {args.auc:.4f} >= {args.min_auc})")
    print(f"register: registry/{args.name}/{version}/manifest.json:")
    print(json.dumps(manifest, indent=2))
    step.write_metrics(registered=1)


def input_hashes(root):
    """sha256 of every file under $SLUICE_INPUTS, by its path there."""
    hashes = {}
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            hashes[os.path.relpath(path, root)] = model.sha256_file(path)
    return hashes


if __name__ == "__main__":
    main()
