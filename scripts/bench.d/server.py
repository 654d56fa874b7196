"""Server benchmarks for scripts/bench: `server-load` and `server-latency`.

Each starts its own `sluice server --port 0` with a fresh data dir and its own pipelines folder
under a scratch folder, reads the URL from the first line of its stdout, and stops it (SIGTERM)
at the end. Clients use the Python standard library only.

  load     N concurrent clients POST /api/pipelines/noop10/runs in a loop for D seconds; then
           waits until every created run is terminal and checks that none was lost.
  latency  one run at a time of a 100-step chain of `true` steps; the gap from each step's end
           to the next one's start, from GET /api/runs/{id}.
"""
import argparse
import http.client
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from datetime import datetime, timezone

TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}


def note(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def die(message):
    note(message)
    sys.exit(2)


# --- pipelines -----------------------------------------------------------------------------

NOOP10_STEPS = 10


def noop10_yaml():
    """10 steps of `true`: s0 fans out to 3, joins, fans out to 3 again, joins, then a chain of 2."""
    needs = {0: [], 1: [0], 2: [0], 3: [0], 4: [1, 2, 3], 5: [4], 6: [4], 7: [4], 8: [5, 6, 7], 9: [8]}
    return steps_yaml("noop10", "10 no-op steps: fan-out, join, fan-out, join, chain (scripts/bench server-load)", needs)


def chain_yaml(n):
    needs = {i: ([i - 1] if i else []) for i in range(n)}
    return steps_yaml(f"chain{n}", f"a chain of {n} no-op steps (scripts/bench server-latency)", needs)


def steps_yaml(name, description, needs):
    lines = [f"name: {name}", f"description: {json.dumps(description)}", "steps:"]
    for i, parents in needs.items():
        after = f", needs: [{', '.join(f's{p}' for p in parents)}]" if parents else ""
        lines.append(f'  - {{id: s{i}, run: "true"{after}}}')
    return "\n".join(lines) + "\n"


# --- the server ----------------------------------------------------------------------------

class Server:
    """`sluice server --port 0` over a fresh data dir; the URL comes from its first stdout line."""

    def __init__(self, sluice, scratch, pipelines, slots, start_timeout, extra=()):
        self.log_path = os.path.join(scratch, "server.log")
        data_dir = os.path.join(scratch, "data")
        pipelines_dir = os.path.join(scratch, "pipelines")
        os.makedirs(pipelines_dir, exist_ok=True)
        for name, text in pipelines.items():
            with open(os.path.join(pipelines_dir, f"{name}.yaml"), "w") as f:
                f.write(text)
        cmd = [sluice, "server", "--port", "0", "--data-dir", data_dir, "--pipelines", pipelines_dir]
        if slots:
            cmd += ["--slots", str(slots)]
        cmd += list(extra)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=scratch)
        lines = queue.Queue()
        def first_url():  # lines before it (a JFR recording's notice, say) are skipped
            for line in self.proc.stdout:
                if line.startswith("http"):
                    lines.put(line)
                    return
            lines.put("")
        threading.Thread(target=first_url, daemon=True).start()
        try:
            first = lines.get(timeout=start_timeout).strip()
        except queue.Empty:
            self.stop()
            die(f"the server printed no URL within {start_timeout} s; its log: {self.log_path}")
        if not first.startswith("http"):
            tail = self.tail()
            self.stop()
            die(f"the server did not start (exit {self.proc.poll()}); the end of {self.log_path}:\n" + tail)
        parsed = urllib.parse.urlsplit(first)
        self.host, self.port = parsed.hostname, parsed.port
        self.url = first.rstrip("/")
        note(f"server at {self.url} (data in {data_dir}, log {self.log_path})")
        conn = self.connection()
        for name in pipelines:
            conn.request("GET", f"/api/pipelines/{name}")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                tail = self.tail()
                self.stop()
                die(f"the server did not load pipeline {name} (GET /api/pipelines/{name}: {response.status}); "
                    f"the end of {self.log_path}:\n" + tail)
        conn.close()

    def tail(self, n=10):
        self.log.flush()
        with open(self.log_path) as f:
            return "".join(f.readlines()[-n:])

    def connection(self, timeout=60):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                note("the server did not stop within 30 s of SIGTERM: killing it")
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def rss_mib(pid, field="VmRSS"):
    """The process's resident set (or VmHWM, its peak) in MiB from /proc, or None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    """User + system CPU seconds from /proc of a process itself and of its children it has waited for
    (a server's step processes), or (None, None) where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # from field 3 (state) on: utime is field 14
    except OSError:
        return None, None
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def get_json(conn, path):
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
    return json.loads(body)


def instant(text):
    """An ISO-8601 instant (Java prints up to 9 fraction digits) as seconds since the epoch, as a float."""
    if text is None:
        return None
    text = text.rstrip("Z")
    whole, _, fraction = text.partition(".")
    base = datetime.fromisoformat(whole).replace(tzinfo=timezone.utc).timestamp()
    return base + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


# --- load ----------------------------------------------------------------------------------

def load(args, server):
    path = "/api/pipelines/noop10/runs"
    body = json.dumps({"params": {}})
    headers = {"Content-Type": "application/json", "X-Sluice-Request": "1"}
    stop_at = time.monotonic() + args.duration
    results = []  # (latency s, status, run id or None), appended by every client thread
    errors = Counter()
    lock = threading.Lock()
    start_gate = threading.Barrier(args.clients + 1)

    def client():
        conn = server.connection()
        mine, mine_errors = [], Counter()
        start_gate.wait()
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as e:
                mine_errors[type(e).__name__] += 1
                conn.close()
                conn = server.connection()
                continue
            took = time.perf_counter() - began
            run_id = None
            if response.status == 201:
                try:
                    run_id = json.loads(data)["id"]
                except (ValueError, KeyError):
                    mine_errors["201 without an id"] += 1
            mine.append((took, response.status, run_id))
        conn.close()
        with lock:
            results.extend(mine)
            errors.update(mine_errors)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    load_started = time.time()
    server_cpu_before = cpu_seconds(server.proc.pid)
    clients_cpu_before = os.times()
    print(f"load: {args.clients} clients POSTing {path} for {args.duration} s ...", flush=True)
    for t in threads:
        t.join()
    load_ended = time.time()
    load_seconds = load_ended - load_started
    server_cpu_after = cpu_seconds(server.proc.pid)
    clients_cpu_after = os.times()

    created = [r[2] for r in results if r[1] == 201 and r[2]]
    statuses = Counter(r[1] for r in results)
    latencies = [r[0] for r in results]
    rss_after_load = rss_mib(server.proc.pid)
    print(f"load: {len(results)} requests, {len(created)} runs created; waiting for every run to end "
          f"(at most {args.drain_timeout} s) ...", flush=True)

    conn = server.connection()
    drain_deadline = time.monotonic() + args.drain_timeout
    unfinished = None
    while time.monotonic() < drain_deadline:
        unfinished = sum(len(get_json(conn, f"/api/runs?pipeline=noop10&status={s}&limit=500")) for s in ("QUEUED", "RUNNING"))
        if unfinished == 0:
            break
        time.sleep(0.5)
    drained_at = time.time()
    peak_rss = rss_mib(server.proc.pid, "VmHWM")

    runs = list_runs(conn, "noop10")
    missing = [i for i in created if i not in runs]
    for run_id in missing:  # a page boundary between runs created in the same instant: ask one by one
        conn.request("GET", f"/api/runs/{run_id}")
        response = conn.getresponse()
        data = response.read()
        if response.status == 200:
            report = json.loads(data)
            runs[run_id] = {"status": report["status"], "createdAt": report["createdAt"], "endedAt": report["endedAt"]}
    conn.close()

    # throughput while the load runs, once the server is warm (JIT) and runs are queued: runs whose
    # last step ended in the load's window after its first third (at most 10 s)
    warm = min(10.0, load_seconds / 3)
    window = (load_started + warm, load_ended)
    ended_in_load = sum(1 for r in runs.values() if r["status"] == "SUCCEEDED" and r["endedAt"]
                        and window[0] <= instant(r["endedAt"]) <= window[1])
    final = Counter(runs[i]["status"] if i in runs else "MISSING" for i in created)
    lost = sum(n for status, n in final.items() if status != "SUCCEEDED")
    succeeded = [runs[i] for i in created if i in runs and runs[i]["status"] == "SUCCEEDED"]
    print()
    print(f"server-load: {args.clients} clients, {args.duration} s, pipeline noop10 (10 steps of `true`), "
          f"server --slots {args.slots or 'default'}")
    print(f"  requests            {len(results)}")
    print(f"  201 Created         {statuses.get(201, 0)}")
    others = {s: n for s, n in statuses.items() if s != 201}
    print(f"  other statuses      {', '.join(f'{s}: {n}' for s, n in sorted(others.items())) or 'none'}")
    print(f"  connection errors   {', '.join(f'{k}: {n}' for k, n in sorted(errors.items())) or 'none'}")
    if latencies:
        print(f"  API latency         p50 {ms(percentile(latencies, 50))}, p99 {ms(percentile(latencies, 99))}, "
              f"max {ms(max(latencies))}")
    print(f"  runs created/s      {len(created) / load_seconds:.1f} (over {load_seconds:.1f} s of load)")
    if succeeded:
        first = min(instant(r["createdAt"]) for r in succeeded)
        last = max(instant(r["endedAt"]) for r in succeeded)
        per_second = len(succeeded) / max(last - first, 1e-9)
        print(f"  runs completed/s    {per_second:.1f} "
              f"({len(succeeded)} runs from the first created to the last ended, {last - first:.1f} s; "
              f"{drained_at - load_started - load_seconds:.1f} s after the load to drain)")
        print(f"  steps completed/s   {per_second * NOOP10_STEPS:.0f} ({NOOP10_STEPS} steps a run, "
              f"on {args.slots or 'the default'} slots)")
    print(f"  during the load     {ended_in_load * NOOP10_STEPS / (window[1] - window[0]):.0f} steps completed/s "
          f"(runs ended from {warm:.0f} s into the load to its end)")
    if server_cpu_after[0] is not None:
        jvm = server_cpu_after[0] - server_cpu_before[0]
        steps = server_cpu_after[1] - server_cpu_before[1]
        clients = (clients_cpu_after.user + clients_cpu_after.system
                   - clients_cpu_before.user - clients_cpu_before.system)
        print(f"  CPU in the load     server {jvm + steps:.1f} s (its JVM {jvm:.1f}, its steps {steps:.1f}), "
              f"clients {clients:.1f} s, of {load_seconds * (os.cpu_count() or 1):.0f} s on {os.cpu_count()} CPUs")
    if peak_rss is not None:
        print(f"  server RSS          {rss_after_load:.0f} MiB at the end of the load, peak {peak_rss:.0f} MiB (VmHWM)")
    print(f"  final run states    {', '.join(f'{s}: {n}' for s, n in sorted(final.items())) or 'none'}")
    print(f"  runs lost           {lost}" + ("" if unfinished == 0 else f" (still unfinished after {args.drain_timeout} s)"))
    return 0 if lost == 0 and created else 1


def list_runs(conn, pipeline):
    """Every run of a pipeline: id -> {status, createdAt, endedAt}, paging with before=."""
    runs, before = {}, None
    while True:
        query = f"/api/runs?pipeline={pipeline}&limit=500" + (f"&before={urllib.parse.quote(before)}" if before else "")
        page = get_json(conn, query)
        for r in page:
            runs[r["id"]] = {"status": r["status"], "createdAt": r["createdAt"], "endedAt": r["endedAt"]}
        if len(page) < 500:
            return runs
        before = page[-1]["createdAt"]


# --- latency -------------------------------------------------------------------------------

def run_to_success(conn, server, name, timeout, poll):
    """Starts a run of pipeline `name`, waits for it to end, and returns its report; dies unless it SUCCEEDED."""
    conn.request("POST", f"/api/pipelines/{name}/runs", body="{}", headers={"Content-Type": "application/json", "X-Sluice-Request": "1"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 201:
        die(f"POST /api/pipelines/{name}/runs: {response.status} {data[:200]!r}")
    run_id = json.loads(data)["id"]
    deadline = time.monotonic() + timeout
    while True:
        report = get_json(conn, f"/api/runs/{run_id}")
        if report["status"] in TERMINAL:
            break
        if time.monotonic() > deadline:
            die(f"run {run_id} did not end within {timeout} s")
        time.sleep(poll)
    if report["status"] != "SUCCEEDED":
        die(f"run {run_id} ended {report['status']}; see {server.log_path}")
    return report


def latency(args, server):
    name = f"chain{args.steps}"
    conn = server.connection()
    all_gaps, all_durations, walls = [], [], []
    total = args.warmup + args.runs
    print(f"latency: {total} run(s) of {name} one after another ({args.warmup} warm-up, not counted) ...", flush=True)
    for n in range(total):
        report = run_to_success(conn, server, name, args.run_timeout, 0.2)
        run_id = report["id"]
        steps = {s["id"]: s for s in report["steps"]}
        gaps, durations = [], []
        for i in range(args.steps):
            attempt = steps[f"s{i}"]["attempts"][-1]
            durations.append(instant(attempt["endedAt"]) - instant(attempt["startedAt"]))
            if i:
                gaps.append(instant(attempt["startedAt"]) - instant(steps[f"s{i - 1}"]["attempts"][-1]["endedAt"]))
        wall = instant(report["endedAt"]) - instant(report["startedAt"])
        warm = n < args.warmup
        label = "warm-up" if warm else f"run {n - args.warmup + 1}"
        line = (f"  {label:<8} {run_id}  {len(gaps)} gaps: p50 {ms(percentile(gaps, 50))}, "
                f"p99 {ms(percentile(gaps, 99))}, max {ms(max(gaps))}; attempt start to end p50 "
                f"{ms(percentile(durations, 50))}; run wall {wall:.2f} s ({ms(wall / args.steps)} per step)")
        print(line, flush=True)
        if not warm:
            all_gaps.extend(gaps)
            all_durations.extend(durations)
            walls.append(wall)
    conn.close()
    print()
    print(f"server-latency: {name}, gap from a step's end to the next step's start, {args.runs} run(s), "
          f"{len(all_gaps)} gaps")
    p99 = percentile(all_gaps, 99)
    print(f"  overall  p50 {ms(percentile(all_gaps, 50))}, p99 {ms(p99)}, max {ms(max(all_gaps))}, "
          f"mean {ms(statistics.fmean(all_gaps))}")
    print(f"  target   p99 under 20 ms: {'met' if p99 < 0.020 else 'NOT met'}")
    print(f"  attempt start to end (the process, `true`, as the worker saw it): "
          f"p50 {ms(percentile(all_durations, 50))}, p99 {ms(percentile(all_durations, 99))}")
    print(f"  run wall per step   {ms(statistics.fmean(walls) / args.steps)} (mean of the runs' endedAt - startedAt, "
          f"divided by {args.steps})")
    return 0


# --- main ----------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="bench", required=True, metavar="server-load|server-latency")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--slots", type=int, default=0, help="the server's --slots (default: its own, the number of cores)")
    common.add_argument("--dir", help="scratch folder to use and keep (default: a temp folder, deleted at the end)")
    common.add_argument("--keep", action="store_true", help="keep the temp folder (server log, data dir)")
    common.add_argument("--start-timeout", type=float, default=180,
                        help="seconds to wait for the server's URL, a build included (default 180)")

    p = sub.add_parser("server-load", parents=[common], help="concurrent clients triggering runs of a 10-step no-op pipeline")
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    p.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    p.add_argument("--drain-timeout", type=float, default=3600,
                   help="seconds to wait after the load for every run to end (default 3600)")

    p = sub.add_parser("server-latency", parents=[common], help="step-to-step gaps in a 100-step chain")
    p.add_argument("--runs", type=int, default=3, help="measured runs (default 3)")
    p.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
    p.add_argument("--steps", type=int, default=100, help="steps in the chain (default 100)")
    p.add_argument("--run-timeout", type=float, default=600, help="seconds one run may take (default 600)")

    args = parser.parse_args()
    for name, least in (("clients", 1), ("runs", 1), ("steps", 2), ("warmup", 0)):
        if getattr(args, name, least) < least:
            die(f"--{name} must be at least {least}")
    if getattr(args, "duration", 1) <= 0:
        die("--duration must be positive")
    sluice = os.environ.get("SLUICE") or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sluice")
    if not os.access(sluice, os.X_OK):
        die(f"{sluice} not found or not executable (build the CLI, or set SLUICE)")

    if args.dir:
        scratch, keep = os.path.abspath(args.dir), True
        os.makedirs(scratch, exist_ok=True)
        if os.listdir(scratch):
            die(f"--dir {scratch} is not empty; the server needs a fresh data dir")
    else:
        scratch, keep = tempfile.mkdtemp(prefix="sluice-bench-server."), args.keep
    if args.bench == "server-load":
        pipelines = {"noop10": noop10_yaml()}
    else:
        pipelines = {f"chain{args.steps}": chain_yaml(args.steps)}

    server = Server(sluice, scratch, pipelines, args.slots, args.start_timeout)
    status = 1
    try:
        status = load(args, server) if args.bench == "server-load" else latency(args, server)
    except KeyboardInterrupt:
        status = 130
    except (OSError, RuntimeError, http.client.HTTPException) as e:
        note(f"{e}; the end of the server log:\n{server.tail()}")
        keep = True
    finally:
        server.stop()
        if status != 0:
            keep = True
        if keep:
            note(f"scratch files kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
