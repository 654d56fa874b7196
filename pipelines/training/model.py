"""Logistic regression in plain Python: the table format, the fit, and the scores.

Small on purpose (a few hundred rows, a few dozen features): full-batch gradient descent on
standardized features is exact enough and takes well under a second.
"""
import csv
import hashlib
import math
from operator import mul

TARGET = "target"


def read_table(path):
    """Reads a prepared table: feature columns then `target` (0/1). Returns (names, rows, labels)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if not header or header[-1] != TARGET:
            raise ValueError(f"{path}: the last column must be '{TARGET}'")
        rows, labels = [], []
        for row in reader:
            rows.append([float(v) for v in row[:-1]])
            labels.append(int(row[-1]))
    return header[:-1], rows, labels


def write_table(path, names, rows, labels):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(list(names) + [TARGET])
        for row, label in zip(rows, labels):
            writer.writerow([_short(v) for v in row] + [label])


def _short(value):
    return int(value) if float(value).is_integer() else value


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def standardization(rows):
    """Mean and standard deviation of each column (a constant column gets std 1)."""
    n = len(rows)
    columns = list(zip(*rows))
    means = [sum(c) / n for c in columns]
    stds = [math.sqrt(sum((v - m) ** 2 for v in c) / n) or 1.0 for c, m in zip(columns, means)]
    return means, stds


def standardize(rows, means, stds):
    return [[(v - m) / s for v, m, s in zip(row, means, stds)] for row in rows]


def fit(rows, labels, l2, epochs, learning_rate, on_epoch=None, every=10):
    """Minimises mean log loss + l2/2 * |w|^2 (the bias is not penalised) by gradient descent.

    `rows` must already be standardized. Returns (weights, bias). `on_epoch(epoch, loss)`, when
    given, hears the mean log loss of the model at the start of every `every`-th epoch and after
    the last one (the loss costs one pass over values the fit computes anyway).
    """
    n, width = len(rows), len(rows[0])
    columns = list(zip(*rows))
    weights, bias = [0.0] * width, 0.0
    for epoch in range(epochs):
        errors = [sigmoid(bias + sum(map(mul, weights, row))) - y for row, y in zip(rows, labels)]
        if on_epoch is not None and epoch % every == 0:
            on_epoch(epoch, log_loss([e + y for e, y in zip(errors, labels)], labels))
        bias -= learning_rate * sum(errors) / n
        weights = [w - learning_rate * (sum(map(mul, errors, column)) / n + l2 * w)
                   for w, column in zip(weights, columns)]
    if on_epoch is not None:
        final = [sigmoid(bias + sum(map(mul, weights, row))) for row in rows]
        on_epoch(epochs, log_loss(final, labels))
    return weights, bias


def predict(model, rows):
    """Probabilities of the positive class for raw (not yet standardized) rows."""
    scaled = standardize(rows, model["means"], model["stds"])
    return [sigmoid(model["bias"] + sum(map(mul, model["weights"], row))) for row in scaled]


def log_loss(probabilities, labels):
    eps = 1e-12
    return -sum(math.log(max(p, eps)) if y else math.log(max(1 - p, eps))
                for p, y in zip(probabilities, labels)) / len(labels)


def auc(scores, labels):
    """Area under the ROC curve: the chance that a random positive outscores a random negative
    (ties count one half), computed from ranks."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("AUC needs both classes")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum, i = 0.0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid_rank = (i + j) / 2 + 1  # ranks are 1-based; tied scores share their mean rank
        rank_sum += sum(mid_rank for k in range(i, j + 1) if labels[order[k]])
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def accuracy(probabilities, labels, threshold=0.5):
    return sum((p >= threshold) == bool(y) for p, y in zip(probabilities, labels)) / len(labels)


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
