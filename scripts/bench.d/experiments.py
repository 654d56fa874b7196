#!/usr/bin/env python3
"""scripts/bench experiments: the experiments table of one pipeline with N runs (default 10,000), first
page of 50 sorted by a metric, timed on a real server (GET /api/pipelines/exp/experiments over loopback),
median and max of warm requests. The runs are seeded straight into a fresh data dir (ExperimentsSeed.java
on sluice.jar) before the server starts on it."""
import argparse, http.client, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PIPELINE = """name: exp
params:
  l2: 0.1
steps:
  - id: train
    run: echo "loss 0.5" >> "$SLUICE_METRICS"
  - id: evaluate
    needs: [train]
    run: echo "auc 0.9" >> "$SLUICE_METRICS"
"""

def main():
    ap = argparse.ArgumentParser(prog="scripts/bench experiments", description=__doc__)
    ap.add_argument("--runs", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=20, help="measured requests, after 5 warm-up ones (default 20)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    sluice = os.environ.get("SLUICE") or os.path.join(ROOT, "scripts", "sluice")
    subprocess.run([sluice, "--version"], check=True, stdout=subprocess.DEVNULL)  # builds the jar when stale
    jar = os.path.join(ROOT, "engine", "target", "sluice.jar")
    scratch = tempfile.mkdtemp(prefix="sluice-bench-experiments.")
    data, pipelines = os.path.join(scratch, "data"), os.path.join(scratch, "pipelines")
    os.makedirs(pipelines)
    with open(os.path.join(pipelines, "exp.yaml"), "w") as f:
        f.write(PIPELINE)
    t0 = time.monotonic()
    subprocess.run(["java", "-cp", jar, os.path.join(HERE, "ExperimentsSeed.java"), data, os.path.join(pipelines, "exp.yaml"),
                    str(args.runs)], check=True)
    print(f"seeded {args.runs} runs in {time.monotonic() - t0:.0f} s", flush=True)
    log = open(os.path.join(scratch, "server.log"), "w")
    proc = subprocess.Popen([sluice, "server", "--port", "0", "--data-dir", data, "--pipelines", pipelines],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        url = urllib.parse.urlsplit(proc.stdout.readline().strip())
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        path = "/api/pipelines/exp/experiments?metrics=evaluate.auc,evaluate.accuracy&params=l2&sort=-evaluate.auc&limit=50"
        times, total = [], 0
        for i in range(5 + args.requests):
            start = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                sys.exit(f"GET {path}: {r.status} {body[:200]!r}")
            if i >= 5:
                times.append(time.perf_counter() - start)
            total = int(body.split(b'"total":')[1].split(b",")[0])
        print(f"experiments: {total} rows, first page of 50 sorted by -evaluate.auc: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms ({args.requests} warm requests; target < 300 ms)")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

if __name__ == "__main__":
    main()
