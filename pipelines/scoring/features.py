"""Turns a patient record (the Cleveland table's columns, as text) into the feature vector a
heart-disease model expects, using only the model's own feature names: `Age` is the numeric
column Age, `ChestPain=asymptomatic` is 1.0 when ChestPain is asymptomatic, else 0.0. Self-contained
(python3 standard library), so scoring needs nothing from the training code."""
import math

MISSING = {"", "NA", "?"}


def encode(record, features):
    """The feature vector of one record, or None when a value the model needs is missing or bad."""
    row = []
    for name in features:
        if "=" in name:
            column, level = name.split("=", 1)
            value = (record.get(column) or "").strip()
            if value in MISSING:
                return None
            row.append(1.0 if value == level else 0.0)
        else:
            value = (record.get(name) or "").strip()
            if value in MISSING:
                return None
            try:
                row.append(float(value))
            except ValueError:
                return None
    return row


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def probability(model, row):
    """P(disease) of a logistic-regression model.json (means, stds, weights, bias) for a raw row."""
    z = model["bias"]
    for value, mean, std, weight in zip(row, model["means"], model["stds"], model["weights"]):
        z += weight * (value - mean) / std
    return sigmoid(z)


def auc(scores, labels):
    """Area under the ROC curve (ties count half); None when one class is absent."""
    pos = [s for s, y in zip(scores, labels) if y == 1]
    neg = [s for s, y in zip(scores, labels) if y == 0]
    if not pos or not neg:
        return None
    wins = 0.0
    for p in pos:
        for n in neg:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(pos) * len(neg))
