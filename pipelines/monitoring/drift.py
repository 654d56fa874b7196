#!/usr/bin/env python3
"""Per-feature drift of a batch against the reference table: population stability index (PSI, 10
quantile bins of the reference) and the two-sample Kolmogorov-Smirnov statistic. python3 stdlib only.

usage: drift.py REFERENCE.csv [--shift S] [--model-version V]
The batch is generated deterministically from the reference: each numeric feature shifted by S of its
standard deviation. Writes psi_max, ks_max, psi_<feature> to $SLUICE_METRICS
and drift.json to $SLUICE_OUTPUTS."""
import argparse, bisect, csv, json, math, os, statistics

def numeric_columns(rows):
    cols = []
    for name in rows[0]:
        try:
            [float(r[name]) for r in rows if r[name] not in ("", "?")]
            cols.append(name)
        except ValueError:
            pass
    return [c for c in cols if c != "Num"]

def psi(ref, cur, bins=10):
    qs = sorted(ref)
    edges = sorted(set(qs[int(len(qs) * i / bins)] for i in range(1, bins)))
    def dist(xs):
        counts = [0] * (len(edges) + 1)
        for x in xs:
            counts[bisect.bisect_right(edges, x)] += 1
        return [max(c / len(xs), 1e-4) for c in counts]
    p, q = dist(ref), dist(cur)
    return sum((b - a) * math.log(b / a) for a, b in zip(p, q))

def ks(ref, cur):
    a, b = sorted(ref), sorted(cur)
    d = 0.0
    for x in sorted(set(a + b)):
        d = max(d, abs(bisect.bisect_right(a, x) / len(a) - bisect.bisect_right(b, x) / len(b)))
    return d

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("--shift", type=float, default=0.0)
    ap.add_argument("--model-version", help="the champion's version, recorded in drift.json")
    args = ap.parse_args()
    with open(args.reference, newline="") as f:
        rows = list(csv.DictReader(f))
    report, metrics = {}, {}
    for col in numeric_columns(rows):
        ref = [float(r[col]) for r in rows if r[col] not in ("", "?")]
        sd = statistics.pstdev(ref) or 1.0
        cur = [x + args.shift * sd for x in ref]
        p, k = psi(ref, cur), ks(ref, cur)
        report[col] = {"psi": round(p, 6), "ks": round(k, 6)}
        metrics["psi_" + col.lower()] = round(p, 6)
    metrics["psi_max"] = max(v["psi"] for v in report.values())
    metrics["ks_max"] = max(v["ks"] for v in report.values())
    with open(os.environ.get("SLUICE_METRICS", os.devnull), "a") as m:
        m.write(json.dumps(metrics) + "\n")
    out = os.environ.get("SLUICE_OUTPUTS", ".")
    with open(os.path.join(out, "drift.json"), "w") as f:
        json.dump({"shift": args.shift, "model_version": args.model_version, "features": report}, f, indent=2, sort_keys=True)
    print("psi_max %.4f ks_max %.4f (shift %s)" % (metrics["psi_max"], metrics["ks_max"], args.shift))

if __name__ == "__main__":
    main()
