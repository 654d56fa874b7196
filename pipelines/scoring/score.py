"""score: predicts heart disease for every patient of a batch with a registered model.

The model is $SLUICE_MODELS/clf/model.json (the version the run pinned, e.g. heart-disease@champion).
Writes predictions.csv (row, probability, flagged, and the label when the batch has one) and the
metrics rows, skipped_rows, flagged, positive_rate (flagged / rows), mean_probability, the model's
version and test AUC, and, when the batch is labelled, accuracy and auc on it.
"""
import argparse
import csv
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features  # noqa: E402

LABEL = "Num"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", required=True, help="CSV of patients, relative to the working folder")
    parser.add_argument("--model", required=True, help="the model.json to score with")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--model-version", type=int, default=0)
    args = parser.parse_args()
    if not 0 < args.threshold < 1:
        fail(f"--threshold must be between 0 and 1, got {args.threshold}")
    if not os.path.isfile(args.batch):
        fail(f"batch {args.batch} not found (looked in {os.getcwd()})")
    with open(args.model, encoding="utf-8") as f:
        model = json.load(f)
    if model.get("kind") != "logistic_regression":
        fail(f"{args.model} is a {model.get('kind')!r} model; this scorer knows logistic_regression")

    out = os.path.join(os.environ["SLUICE_OUTPUTS"], "predictions.csv")
    rows = skipped = flagged = 0
    total = 0.0
    scores, labels = [], []
    with open(args.batch, newline="", encoding="utf-8") as f, open(out, "w", newline="", encoding="utf-8") as w:
        reader = csv.DictReader(f)
        labelled = LABEL in (reader.fieldnames or [])
        writer = csv.writer(w, lineterminator="\n")
        writer.writerow(["row", "probability", "flagged"] + (["label"] if labelled else []))
        for number, record in enumerate(reader, start=1):
            vector = features.encode(record, model["features"])
            if vector is None:
                skipped += 1
                continue
            p = features.probability(model, vector)
            flag = 1 if p >= args.threshold else 0
            rows += 1
            flagged += flag
            total += p
            line = [number, f"{p:.6f}", flag]
            if labelled and (record.get(LABEL) or "").strip() not in features.MISSING:
                label = 1 if float(record[LABEL]) > 0 else 0
                scores.append(p)
                labels.append(label)
                line.append(label)
            writer.writerow(line)
    if rows == 0:
        fail(f"no row of {args.batch} could be scored ({skipped} skipped)")

    metrics = {"rows": rows, "skipped_rows": skipped, "flagged": flagged,
               "positive_rate": flagged / rows, "mean_probability": total / rows,
               "model_version": args.model_version,
               "model_test_auc": model.get("evaluation", {}).get("auc", 0.0)}
    if labels:
        metrics["accuracy"] = sum(1 for s, y in zip(scores, labels) if (s >= args.threshold) == (y == 1)) / len(labels)
        batch_auc = features.auc(scores, labels)
        if batch_auc is not None:
            metrics["auc"] = batch_auc
    print(f"score: model version {args.model_version}, {rows} rows scored, {skipped} skipped; "
          f"{flagged} flagged (positive rate {flagged / rows:.3f}, threshold {args.threshold})")
    with open(os.environ["SLUICE_METRICS"], "a", encoding="utf-8") as f:
        f.write(json.dumps(metrics) + "\n")


def fail(message):
    print(f"score: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
