"""Cluster benchmark for scripts/bench: `cluster`.

The same 1,000-step fan-out (1 -> 998 -> 1 steps of `true`) run first by a single-process server
(its embedded worker, --slots 8), then by a server with no embedded worker and 4 `sluice-worker`
processes of 2 slots each on loopback. For each: run wall time and steps per second (median of
the runs), and the dispatch latency of every step: from the stored RUNNING event (the scheduler
committed the dispatch) to the attempt's process start on the worker, p50 and p99.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import Server, die, get_json, instant, ms, note, percentile, run_to_success, steps_yaml  # noqa: E402


def fanout_yaml(n):
    needs = {0: []}
    for i in range(1, n - 1):
        needs[i] = [0]
    needs[n - 1] = list(range(1, n - 1))
    return steps_yaml(f"fanout{n}", f"1 -> {n - 2} -> 1 no-op steps (scripts/bench cluster)", needs)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def events(server, run_id):
    """The run's stored events (SSE replay; the stream ends with the run)."""
    conn = server.connection()
    conn.request("GET", f"/api/runs/{run_id}/events")
    response = conn.getresponse()
    out, data = [], None
    for raw in response:
        line = raw.decode().rstrip("\n")
        if line.startswith("data:"):
            data = json.loads(line[5:].strip())
        elif line == "" and data is not None:
            out.append(data)
            data = None
    conn.close()
    return out


def measure(server, name, runs, warmup, timeout):
    conn = server.connection()
    walls, latencies = [], []
    for n in range(warmup + runs):
        report = run_to_success(conn, server, name, timeout, 0.5)
        run_id = report["id"]
        wall = instant(report["endedAt"]) - instant(report["startedAt"])
        dispatched = {}
        for e in events(server, run_id):
            if e.get("kind") == "step" and e.get("status") == "RUNNING":
                dispatched[(e["step"], e["attempt"])] = instant(e["at"])
        lat = []
        for s in report["steps"]:
            for a in s["attempts"]:
                at = dispatched.get((s["id"], a["attempt"]))
                if at is not None and a.get("startedAt") and not a.get("cached"):
                    lat.append(instant(a["startedAt"]) - at)
        steps = len(report["steps"])
        label = "warm-up" if n < warmup else f"run {n - warmup + 1}"
        print(f"  {label:<8} {run_id}  wall {wall:.2f} s, {steps / wall:.1f} steps/s; dispatch latency "
              f"p50 {ms(percentile(lat, 50))}, p99 {ms(percentile(lat, 99))}", flush=True)
        if n >= warmup:
            walls.append(wall)
            latencies.extend(lat)
    conn.close()
    return walls, latencies


def main():
    parser = argparse.ArgumentParser(prog="scripts/bench cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1000, help="steps of the fan-out (default 1000)")
    parser.add_argument("--workers", type=int, default=4, help="sluice-worker processes (default 4)")
    parser.add_argument("--worker-slots", type=int, default=2, help="slots of each worker (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per setup (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
    parser.add_argument("--run-timeout", type=float, default=900, help="seconds one run may take (default 900)")
    parser.add_argument("--start-timeout", type=float, default=180, help="seconds to wait for a server or worker")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sluice = os.environ.get("SLUICE") or os.path.join(root, "scripts", "sluice")
    worker_cmd = os.environ.get("SLUICE_WORKER") or os.path.join(root, "scripts", "sluice-worker")
    name = f"fanout{args.steps}"
    pipelines = {name: fanout_yaml(args.steps)}
    scratch = tempfile.mkdtemp(prefix="sluice-bench-cluster.")
    slots = args.workers * args.worker_slots
    results = {}
    status = 1
    workers = []
    try:
        print(f"cluster: {args.warmup + args.runs} run(s) of {name} per setup ({args.warmup} warm-up, not counted)", flush=True)
        print(f"single server, embedded worker, --slots {slots}:", flush=True)
        single = Server(sluice, os.path.join(scratch, "single"), pipelines, slots, args.start_timeout,
                        ["--cluster-name", f"bench-single-{os.getpid()}", "--cluster-port", str(free_port())])
        try:
            results["single"] = measure(single, name, args.runs, args.warmup, args.run_timeout)
        finally:
            single.stop()

        print(f"server without embedded worker + {args.workers} sluice-worker x {args.worker_slots} slots:", flush=True)
        cluster = f"bench-{os.getpid()}"
        port = free_port()
        lead = Server(sluice, os.path.join(scratch, "cluster"), pipelines, 0, args.start_timeout,
                      ["--no-local-worker", "--cluster-name", cluster, "--cluster-port", str(port)])
        try:
            for i in range(args.workers):
                log = open(os.path.join(scratch, f"worker{i}.log"), "w")
                workers.append(subprocess.Popen(
                    [worker_cmd, "--join", f"127.0.0.1:{port}", "--cluster-name", cluster, "--cluster-port", "0",
                     "--slots", str(args.worker_slots), "--name", f"bench-{i}",
                     "--work-dir", os.path.join(scratch, f"worker{i}")], stdout=log, stderr=subprocess.STDOUT))
            deadline = time.monotonic() + args.start_timeout
            conn = lead.connection()
            while sum(1 for m in get_json(conn, "/api/cluster")["members"] if m["role"] == "worker") < args.workers:
                if time.monotonic() > deadline:
                    die(f"the {args.workers} workers did not all join within {args.start_timeout} s; logs in {scratch}")
                time.sleep(0.5)
            conn.close()
            results["cluster"] = measure(lead, name, args.runs, args.warmup, args.run_timeout)
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                try:
                    w.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    w.kill()
            lead.stop()

        print()
        print(f"cluster: {name}, median of {args.runs} run(s)")
        for key, label in (("single", f"single server, {slots} local slots"),
                           ("cluster", f"{args.workers} workers x {args.worker_slots} slots")):
            walls, lat = results[key]
            wall = statistics.median(walls)
            print(f"  {label:<28} wall {wall:.2f} s  {args.steps / wall:7.1f} steps/s  dispatch latency "
                  f"p50 {ms(percentile(lat, 50))}, p99 {ms(percentile(lat, 99))}")
        ratio = statistics.median(results["single"][0]) / statistics.median(results["cluster"][0])
        print(f"  cluster / single throughput: {ratio:.2f}x")
        status = 0
    finally:
        if args.keep or status != 0:
            note(f"scratch files kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
