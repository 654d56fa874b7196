"""train: fits one logistic regression on $SLUICE_INPUTS/prepare/train.csv.

One task per matrix value: --l2 comes from ${{ matrix.l2 }} (or the step's matrix value l2).
Features are standardized with the training set's mean and std, which the model keeps so that
evaluate can apply the same scaling. Writes model.json, the metrics train_loss, train_auc, and the
series loss: the training loss every 10 epochs (step = epoch).
"""
import argparse
import json
import sys

sys.dont_write_bytecode = True
import model  # noqa: E402
import sluice_step as step  # noqa: E402 (on PYTHONPATH: Sluice puts it there)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--l2", type=float, default=step.param("l2", None, float),
                        help="L2 penalty (default: the matrix value l2)")
    parser.add_argument("--epochs", type=int, default=step.param("epochs", 300))
    parser.add_argument("--learning-rate", type=float, default=step.param("learning_rate", 0.3, float))
    args = parser.parse_args()
    if args.l2 is None or args.l2 < 0:
        step.fail(f"--l2 must be a number >= 0, got {args.l2}")
    if args.epochs < 1 or args.learning_rate <= 0:
        step.fail("--epochs must be >= 1 and --learning-rate > 0")

    train_csv = step.input("prepare", "train.csv")
    with open(step.input("prepare", "features.json"), encoding="utf-8") as f:
        features = json.load(f)
    names, rows, labels = model.read_table(train_csv)
    if names != features["features"]:
        step.fail("train.csv and features.json disagree on the features")

    means, stds = model.standardization(rows)
    weights, bias = model.fit(model.standardize(rows, means, stds), labels,
                              args.l2, args.epochs, args.learning_rate,
                              on_epoch=lambda epoch, loss: step.metric("loss", loss, step=epoch))
    fitted = {"kind": "logistic_regression", "features": names, "means": means, "stds": stds,
              "weights": weights, "bias": bias,
              "hyperparameters": {"l2": args.l2, "epochs": args.epochs,
                                  "learning_rate": args.learning_rate}}
    probabilities = model.predict(fitted, rows)
    loss, auc = model.log_loss(probabilities, labels), model.auc(probabilities, labels)
    fitted["training"] = {"rows": len(rows), "loss": loss, "auc": auc,
                          "train_csv_sha256": model.sha256_file(train_csv),
                          "origin": features["origin"]}
    with open(step.output("model.json"), "w", encoding="utf-8") as f:
        json.dump(fitted, f, indent=2)
        f.write("\n")

    top = sorted(zip(names, weights), key=lambda nw: -abs(nw[1]))[:3]
    print(f"train: l2={args.l2:g}, {args.epochs} epochs on {len(rows)} rows: "
          f"loss {loss:.4f}, auc {auc:.4f}")
    print("train: strongest features: " + ", ".join(f"{n} {w:+.2f}" for n, w in top))
    step.metrics(train_loss=loss, train_auc=auc, l2=args.l2)


if __name__ == "__main__":
    main()
