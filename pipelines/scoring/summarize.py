"""summarize: one JSON document about the scored batch, for people and for downstream systems.

Reads $SLUICE_INPUTS/score/predictions.csv and writes summary.json: how many patients, how many
flagged, the probability distribution in tenths, and the model's test AUC it was given.
"""
import argparse
import csv
import json
import os
import sys

sys.dont_write_bytecode = True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-test-auc", type=float, required=True, help="the scoring model's test AUC")
    args = parser.parse_args()
    path = os.path.join(os.environ["SLUICE_INPUTS"], "score", "predictions.csv")
    buckets = [0] * 10
    rows = flagged = 0
    with open(path, newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            p = float(record["probability"])
            buckets[min(9, int(p * 10))] += 1
            flagged += int(record["flagged"])
            rows += 1
    summary = {"rows": rows, "flagged": flagged, "positive_rate": flagged / rows if rows else 0.0,
               "model_test_auc": args.model_test_auc,
               "probability_histogram": {f"{i / 10:.1f}-{(i + 1) / 10:.1f}": n for i, n in enumerate(buckets)}}
    with open(os.path.join(os.environ["SLUICE_OUTPUTS"], "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(json.dumps(summary, indent=2))
    with open(os.environ["SLUICE_METRICS"], "a", encoding="utf-8") as f:
        f.write(json.dumps({"rows": rows, "flagged": flagged}) + "\n")


if __name__ == "__main__":
    main()
