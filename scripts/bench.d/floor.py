"""The floor under `sluice run` for scripts/bench: `floor`.

How fast could any engine be that, like Sluice, is a JVM that starts each step through
`setsid /bin/sh -c` (the issue's executor: Commons Exec, each step in its own session)? It
measures the two costs no such engine can skip and adds them up:

  start   `sluice runs` on an existing store: JVM start, class loading, opening and closing the
          store (the fixed part of every `sluice run`);
  spawn   SpawnProbe.java under the launcher's JVM options: a JVM starting `setsid /bin/sh -c true`
          and reading its pipes to the end, nothing else; one at a time and two at a time.

  floor(chain)  = start + N x spawn, one at a time
  floor(fanout) = start + N x spawn, two at a time

and compares the floor with ninja on the same DAG (gen.py), with the issue's targets (fan-out
within 2x ninja, chain within 3x), and with a real `sluice run` of that DAG. When the floor is
above the target, no amount of work on Sluice's scheduler, store or executor meets the target on
this machine: only dropping the JVM or the per-step session would.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGETS = {"chain": 3.0, "fanout": 2.0}


def note(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def die(message):
    note(message)
    sys.exit(2)


def launcher_java_options(launcher):
    """The JVM options scripts/sluice passes (its `java_opts=(...)` line), so the probe runs the same JVM."""
    with open(launcher, encoding="utf-8") as f:
        match = re.search(r"^java_opts=\((.*)\)\s*$", f.read(), re.MULTILINE)
    if not match:
        die(f"cannot find the java_opts=(...) line in {launcher}")
    return match.group(1).split()


def timed(command, log):
    """Wall seconds of one run of command; its output goes to log. Dies when it fails."""
    start = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        status = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    if status != 0:
        with open(log, encoding="utf-8", errors="replace") as f:
            tail = "".join(f.readlines()[-5:])
        die(f"{' '.join(command)} failed (exit {status}):\n{tail}")
    return seconds


def median_of(reps, command, log):
    timed(command, log)  # warm-up: caches, the class-data sharing archive, the store's files
    return statistics.median(timed(command, log) for _ in range(reps))


def main():
    parser = argparse.ArgumentParser(prog="scripts/bench floor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1000, help="steps of each DAG (default 1000)")
    parser.add_argument("--reps", type=int, default=3, help="measured runs of each, after a warm-up (default 3)")
    parser.add_argument("--no-run", action="store_true", help="skip the real `sluice run` of each DAG")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    if args.steps < 3 or args.reps < 1:
        die("--steps must be at least 3 and --reps at least 1")
    sluice = os.environ.get("SLUICE", os.path.join(ROOT, "scripts", "sluice"))
    if not shutil.which("ninja"):
        die("ninja is needed to compare with (apt-get install ninja-build)")
    if not os.path.exists("/usr/bin/setsid"):
        die("/usr/bin/setsid is needed (Debian package util-linux)")

    scratch = tempfile.mkdtemp(prefix="sluice-floor.")
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "--out", os.path.join(scratch, "dags"),
                        "--shapes", "chain,fanout", "--sizes", str(args.steps)], check=True, stdout=subprocess.DEVNULL)
        data = os.path.join(scratch, "data")
        log = os.path.join(scratch, "log.txt")

        print(f"Timing the fixed start of `sluice run` (`sluice runs` on a store), {args.reps} runs ...", flush=True)
        one = os.path.join(scratch, "one.yaml")
        with open(one, "w", encoding="utf-8") as f:
            f.write('name: one\nsteps:\n  - id: only\n    run: "true"\n')
        # a first `run` makes the store and, after a build, the launcher's class-data sharing archive
        timed([sluice, "run", one, "--data-dir", data], log)
        start = median_of(args.reps, [sluice, "runs", "--data-dir", data], log)

        print(f"Timing a JVM starting {args.steps} x `setsid /bin/sh -c true` (SpawnProbe.java) ...", flush=True)
        probe = subprocess.run(["java", *launcher_java_options(os.path.join(ROOT, "scripts", "sluice")),
                                os.path.join(HERE, "SpawnProbe.java"), str(args.steps), str(args.reps)],
                               check=True, capture_output=True, text=True).stdout
        spawn = {}
        for line in probe.splitlines():
            way, threads, ms = line.split("\t")
            spawn[(way, int(threads))] = float(ms)

        rows = []
        for shape, threads in (("chain", 1), ("fanout", 2)):
            dag = os.path.join(scratch, "dags", f"{shape}-{args.steps}")
            print(f"Timing ninja -j2 and sluice run --slots 2 on the {args.steps}-step {shape} ...", flush=True)
            ninja = median_of(args.reps, ["ninja", "-C", dag, "-f", "build.ninja", "-j2"], log)
            run = None if args.no_run else median_of(
                args.reps, [sluice, "run", os.path.join(dag, "pipeline.yaml"), "--slots", "2", "--data-dir", data], log)
            floor = start + args.steps * spawn[("setsid", threads)] / 1000
            rows.append((shape, ninja, TARGETS[shape] * ninja, floor, run))

        print()
        print(f"Medians of {args.reps} runs after a warm-up, {args.steps} steps of `true`, 2 slots/jobs, "
              f"{os.cpu_count()} CPUs")
        print(f"  start of sluice (JVM + store)                 {start * 1000:8.1f} ms")
        for threads, label in ((1, "one at a time"), (2, "two at a time")):
            print(f"  JVM spawn, setsid /bin/sh -c true, {label}  {spawn[('setsid', threads)]:8.3f} ms/step"
                  f"   (/bin/sh -c true: {spawn[('sh', threads)]:.3f})")
        print()
        print("shape   ninja s  target s        floor s  floor/ninja  sluice s  sluice/ninja  floor above target")
        print("------  -------  --------------  -------  -----------  --------  ------------  ------------------")
        for shape, ninja, target, floor, run in rows:
            ran = f"{run:8.3f}  {run / ninja:11.1f}x" if run is not None else f"{'-':>8}  {'-':>12}"
            print(f"{shape:<6}  {ninja:7.3f}  {target:7.3f} ({TARGETS[shape]:.0f}x)  {floor:7.3f}  "
                  f"{floor / ninja:10.1f}x  {ran}  {'yes' if floor > target else 'no'}")
    finally:
        if args.keep:
            note(f"scratch files kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
