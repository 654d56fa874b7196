"""evaluate: scores every trained variant on the test set and keeps the best.

Each variant's model is in $SLUICE_INPUTS/<task id>/model.json, e.g. `train[l2=0.01]/model.json`
(every upstream folder with a model.json counts, so the matrix can change without touching this
script); the test set is $SLUICE_INPUTS/prepare/test.csv. The best variant has the highest test
AUC (a tie goes to the larger l2, the simpler model). Writes model.json (the chosen model plus its
test scores) and evaluation.json (every variant), and the metrics auc, accuracy, best_l2.
"""
import json
import sys

sys.dont_write_bytecode = True
import model  # noqa: E402
import sluice_step as step  # noqa: E402 (on PYTHONPATH: Sluice puts it there)


def main():
    test_csv = step.input("prepare", "test.csv")
    names, rows, labels = model.read_table(test_csv)
    variants = step.inputs("model.json")
    if not variants:
        step.fail(f"no model.json under {step.inputs_dir()}/*/: does this step need the train step?")

    scores = []
    for variant in variants:
        with open(step.input(variant, "model.json"), encoding="utf-8") as f:
            fitted = json.load(f)
        if fitted["features"] != names:
            step.fail(f"{variant}/model.json was trained on other features than test.csv has")
        probabilities = model.predict(fitted, rows)
        scores.append({"variant": variant, "l2": fitted["hyperparameters"]["l2"],
                       "auc": model.auc(probabilities, labels),
                       "accuracy": model.accuracy(probabilities, labels),
                       "log_loss": model.log_loss(probabilities, labels),
                       "train_auc": fitted["training"]["auc"], "model": fitted})

    print(f"evaluate: {len(scores)} variants on {len(rows)} test rows")
    print(f"  {'variant':<24} {'test auc':>8} {'accuracy':>8} {'log loss':>8} {'train auc':>9}")
    for s in scores:
        print(f"  {s['variant']:<24} {s['auc']:>8.4f} {s['accuracy']:>8.4f} {s['log_loss']:>8.4f} "
              f"{s['train_auc']:>9.4f}")
    best = max(scores, key=lambda s: (s["auc"], s["l2"]))
    print(f"evaluate: best is {best['variant']} (test auc {best['auc']:.4f}, "
          f"accuracy {best['accuracy']:.4f})")

    chosen = dict(best["model"])
    chosen["evaluation"] = {"variant": best["variant"], "test_rows": len(rows),
                            "test_csv_sha256": model.sha256_file(test_csv),
                            "auc": best["auc"], "accuracy": best["accuracy"],
                            "log_loss": best["log_loss"]}
    write_json("model.json", chosen)
    write_json("evaluation.json", {"best": best["variant"], "variants": [
        {k: v for k, v in s.items() if k != "model"} for s in scores]})
    step.metrics(auc=best["auc"], accuracy=best["accuracy"], best_l2=best["l2"],
                       log_loss=best["log_loss"], variants=len(scores))


def write_json(name, value):
    with open(step.output(name), "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
