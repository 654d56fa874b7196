"""prepare: reads the heart-disease table, encodes it and splits it into train and test.

Source: the UCI Cleveland heart-disease table (303 patients, 13 attributes, `Num` = 1 when
disease is present), read from --source and never copied into the repository. Rows with a
missing value (`NA`) are dropped and counted. When the file is not there, a synthetic table of
the same shape is generated from a fixed seed, and the log and the `synthetic` metric say so.

Outputs: train.csv and test.csv (encoded features, last column `target`), and features.json
(feature names, where the data came from, its sha256, what was dropped).
The split is stratified and driven by --seed, so it is the same on every run.
"""
import argparse
import csv
import json
import math
import os
import random
import sys

sys.dont_write_bytecode = True
import model  # noqa: E402
import sluice_step as step  # noqa: E402 (on PYTHONPATH: Sluice puts it there)

# The table's columns. Categorical ones are one-hot encoded; their first level is the reference.
NUMERIC = ["Age", "Sex", "RestBP", "Chol", "Fbs", "MaxHR", "ExAng", "Oldpeak", "Ca"]
CATEGORICAL = {
    "ChestPain": ["typical", "asymptomatic", "nonanginal", "nontypical"],
    "RestECG": ["0", "1", "2"],
    "Slope": ["1", "2", "3"],
    "Thal": ["normal", "fixed", "reversable"],
}
LABEL = "Num"
COLUMNS = ["Age", "Sex", "ChestPain", "RestBP", "Chol", "Fbs", "RestECG", "MaxHR", "ExAng",
           "Oldpeak", "Slope", "Ca", "Thal", LABEL]
MISSING = {"", "NA", "?"}
SYNTHETIC_ROWS, SYNTHETIC_SEED = 303, 303


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", required=True, help="CSV path, relative to the working folder")
    parser.add_argument("--seed", type=int, default=7, help="seed of the train/test split")
    parser.add_argument("--test-fraction", type=float, default=0.3)
    args = parser.parse_args()
    if not 0 < args.test_fraction < 1:
        step.fail(f"--test-fraction must be between 0 and 1, got {args.test_fraction}")

    if os.path.isfile(args.source):
        print(f"prepare: reading {args.source} ({os.path.abspath(args.source)})")
        records, dropped = read_source(args.source)
        origin = {"source": args.source, "sha256": model.sha256_file(args.source), "synthetic": False}
    else:
        print(f"prepare: WARNING: {args.source} not found (looked in {os.getcwd()}).")
        print(f"prepare: WARNING: using a SYNTHETIC table of {SYNTHETIC_ROWS} rows generated with "
              f"seed {SYNTHETIC_SEED}: it has the shape of the Cleveland data, not its patients, "
              "so the scores of this run say nothing about real heart disease.")
        records, dropped = synthetic(SYNTHETIC_ROWS, random.Random(SYNTHETIC_SEED)), []
        origin = {"source": args.source, "sha256": None, "synthetic": True,
                  "synthetic_seed": SYNTHETIC_SEED}
    for line, column in dropped:
        print(f"prepare: dropped line {line}: {column} is missing")
    print(f"prepare: {len(records)} rows kept, {len(dropped)} dropped for missing values")

    names, rows, labels = encode(records)
    test_rows = split(labels, args.test_fraction, random.Random(args.seed))
    train = [i for i in range(len(rows)) if i not in test_rows]
    test = sorted(test_rows)
    for part, indexes in (("train", train), ("test", test)):
        if len({labels[i] for i in indexes}) < 2:
            step.fail(f"the {part} set has {len(indexes)} rows and not both classes: "
                      f"choose a test fraction further from 0 and 1 than {args.test_fraction}")
    model.write_table(step.output("train.csv"), names,
                      [rows[i] for i in train], [labels[i] for i in train])
    model.write_table(step.output("test.csv"), names,
                      [rows[i] for i in test], [labels[i] for i in test])
    with open(step.output("features.json"), "w", encoding="utf-8") as f:
        json.dump({"features": names, "target": "disease present (Num > 0)", "origin": origin,
                   "rows": len(rows), "dropped_rows": len(dropped), "split_seed": args.seed,
                   "test_fraction": args.test_fraction}, f, indent=2)
        f.write("\n")
    print(f"prepare: {len(names)} features; train {len(train)} rows, test {len(test)} rows "
          f"(stratified, seed {args.seed})")
    step.metrics(rows=len(rows), dropped_rows=len(dropped), train_rows=len(train),
                       test_rows=len(test), positive_rate=sum(labels) / len(labels),
                       synthetic=origin["synthetic"])


def read_source(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            step.fail(f"{path}: columns {reader.fieldnames}; expected {COLUMNS}")
        records, dropped = [], []
        for line, record in enumerate(reader, start=2):
            missing = [c for c in COLUMNS if (record[c] or "").strip() in MISSING]
            if missing:
                dropped.append((line, ", ".join(missing)))
            else:
                records.append(record)
    return records, dropped


def encode(records):
    names = NUMERIC + [f"{c}={level}" for c, levels in CATEGORICAL.items() for level in levels[1:]]
    rows, labels = [], []
    for number, record in enumerate(records, start=1):
        try:
            row = [float(record[c]) for c in NUMERIC]
        except ValueError as e:
            step.fail(f"row {number}: a numeric column is not a number ({e})")
        for column, levels in CATEGORICAL.items():
            if record[column] not in levels:
                step.fail(f"row {number}: {column} {record[column]!r} is not one of {levels}")
            row += [1.0 if record[column] == level else 0.0 for level in levels[1:]]
        rows.append(row)
        labels.append(1 if float(record[LABEL]) > 0 else 0)
    return names, rows, labels


def split(labels, test_fraction, rng):
    """Row indexes of the test set: the same fraction of each class, picked by rng."""
    test = set()
    for label in (0, 1):
        members = [i for i, y in enumerate(labels) if y == label]
        rng.shuffle(members)
        test.update(members[:round(len(members) * test_fraction)])
    return test


def synthetic(count, rng):
    """Patients with the Cleveland table's columns and plausible ranges; disease follows a
    logistic risk score of the usual suspects (age, sex, chest pain, vessels, thal, ...)."""
    def pick(weights):
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def clip(value, low, high):
        return max(low, min(high, value))

    records = []
    for _ in range(count):
        age = round(clip(rng.gauss(54, 9), 29, 77))
        sex = int(rng.random() < 0.68)
        pain = pick({"asymptomatic": 48, "nonanginal": 28, "nontypical": 16, "typical": 8})
        max_hr = round(clip(rng.gauss(150 - 0.9 * (age - 54), 21), 71, 202))
        exang = int(rng.random() < 0.33)
        oldpeak = round(clip(rng.gauss(1.0, 1.1), 0, 6.2), 1)
        ca = int(pick({"0": 59, "1": 22, "2": 13, "3": 6}))
        thal = pick({"normal": 55, "reversable": 39, "fixed": 6})
        risk = (-3.4 + 0.04 * (age - 54) + 0.9 * sex + 1.5 * (pain == "asymptomatic")
                + 0.9 * exang + 0.55 * oldpeak - 0.02 * (max_hr - 150) + 0.85 * ca
                + 1.4 * (thal == "reversable") + 0.9 * (thal == "fixed"))
        disease = int(rng.random() < 1 / (1 + math.exp(-risk)))
        records.append({
            "Age": str(age), "Sex": str(sex), "ChestPain": pain,
            "RestBP": str(round(clip(rng.gauss(131, 17.5), 94, 200))),
            "Chol": str(round(clip(rng.gauss(247, 52), 126, 564))),
            "Fbs": str(int(rng.random() < 0.15)), "RestECG": pick({"0": 50, "1": 1, "2": 49}),
            "MaxHR": str(max_hr), "ExAng": str(exang), "Oldpeak": str(oldpeak),
            "Slope": pick({"1": 47, "2": 46, "3": 7}), "Ca": str(ca), "Thal": thal,
            LABEL: str(disease),
        })
    return records


if __name__ == "__main__":
    main()
