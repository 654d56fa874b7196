"""Prints the benchmark table from the raw results scripts/bench collected.

results.tsv: tool, shape, N, rep, seconds, peak RSS KiB, ok|fail (one line per run)
plan.tsv:    N, rep, parse+validate+plan ms, wall seconds of `sluice validate`
"""
import argparse
import csv
import os
import statistics


def read(path):
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return []
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter="\t"))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("results", "plan", "shapes", "sizes", "tools"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--reps", type=int, required=True)
    args = parser.parse_args()
    shapes, sizes, tools = args.shapes.split(","), args.sizes.split(","), args.tools.split(",")

    runs = {}
    for tool, shape, n, _rep, seconds, rss, status in read(args.results):
        entry = runs.setdefault((tool, shape, n), {"seconds": [], "rss": [], "failed": False})
        if status == "ok":
            entry["seconds"].append(float(seconds))
            if rss:
                entry["rss"].append(int(rss))
        else:
            entry["failed"] = True

    def median(tool, shape, n):
        entry = runs.get((tool, shape, n))
        if entry is None:
            return None, "-"
        if entry["failed"] or not entry["seconds"]:
            return None, "FAIL"
        value = statistics.median(entry["seconds"])
        return value, f"{value:.3f}"

    header = ["shape", "N"] + [f"{t} s" for t in tools]
    if "sluice" in tools:
        header += ["sluice ms/step"]
        if "ninja" in tools:
            header += ["sluice/ninja"]
        header += ["sluice peak RSS MiB"]
    table = [header]
    for shape in shapes:
        for n in sizes:
            row, values = [shape, n], {}
            for tool in tools:
                values[tool], text = median(tool, shape, n)
                row.append(text)
            if "sluice" in tools:
                sluice = values["sluice"]
                row.append(f"{1000 * sluice / int(n):.2f}" if sluice else "-")
                if "ninja" in tools:
                    ninja = values["ninja"]
                    row.append(f"{sluice / ninja:.1f}x" if sluice and ninja else "-")
                rss = runs.get(("sluice", shape, n), {}).get("rss")
                row.append(f"{max(rss) / 1024:.0f}" if rss else "-")
            table.append(row)

    print(f"Median wall time in seconds of {args.reps} runs (after one warm-up), 2 slots/jobs, "
          f"{os.cpu_count()} CPUs")
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(c.ljust(w) if j < 2 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))

    if "sluice" in tools:
        by_size = {}
        for (tool, _shape, n), entry in runs.items():
            if tool == "sluice" and entry["rss"]:
                by_size[n] = max(by_size.get(n, 0), max(entry["rss"]))
        if by_size:
            print("Sluice peak RSS by size (largest over shapes): " + ", ".join(
                f"N={n}: {by_size[n] / 1024:.0f} MiB" for n in sizes if n in by_size))

    plan = read(args.plan)
    if plan:
        ms = [float(r[2]) for r in plan]
        wall = [float(r[3]) for r in plan]
        print(f"\nparse + validate + plan of a random DAG of {plan[0][0]} steps "
              f"(sluice validate --timings, {len(ms)} runs): median {statistics.median(ms):.1f} ms "
              f"(min {min(ms):.1f}, max {max(ms):.1f}); whole command, JVM start included: "
              f"median {statistics.median(wall):.3f} s")


if __name__ == "__main__":
    main()
