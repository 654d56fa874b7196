"""The floor under `sluice run` for scripts/bench: `floor`.

How fast could any engine be that, like Sluice, is a JVM that starts each step as a shell
(`/bin/sh -c`, through Commons Exec)? It measures the two costs no such engine can skip and adds
them up:

  start   `sluice runs` on an existing store: JVM start, class loading, opening and closing the
          store (the fixed part of every `sluice run`);
  spawn   SpawnProbe.java under the launcher's JVM options: a JVM starting `/bin/sh -c true` and
          reading its pipes to the end, nothing else; one at a time and two at a time. Also
          `setsid /bin/sh -c true`, what Sluice ran per step until it dropped the per-step session.

  floor(chain)  = start + N x spawn, one at a time
  floor(fanout) = start + N x spawn, two at a time

once with `setsid` (the old floor) and once without (the floor Sluice is held to: the issue's
target is within 1.5x of it), and compares them with ninja on the same DAG (gen.py), with the
older targets against ninja (fan-out within 2x, chain within 3x), and with a real `sluice run` of
that DAG: sluice / floor without setsid is the figure to watch.

--compare LAUNCHER times a second launcher's `sluice run` too (e.g. a build of main), each of its
runs right after one of SLUICE's, on the same DAGs, so a noisy machine weighs on both alike.
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


def alternating(reps, commands, log):
    """Median wall seconds of each command, after a warm-up of each; the commands take turns in each round."""
    for command in commands:
        timed(command, log)
    times = [[] for _ in commands]
    for _ in range(reps):
        for i, command in enumerate(commands):
            times[i].append(timed(command, log))
    return [statistics.median(t) for t in times]


def main():
    parser = argparse.ArgumentParser(prog="scripts/bench floor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1000, help="steps of each DAG (default 1000)")
    parser.add_argument("--reps", type=int, default=3, help="measured runs of each, after a warm-up (default 3)")
    parser.add_argument("--no-run", action="store_true", help="skip the real `sluice run` of each DAG")
    parser.add_argument("--compare", metavar="LAUNCHER",
                        help="also time this launcher's sluice run (and start), alternating with SLUICE's runs")
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
        launchers = [sluice] + ([args.compare] if args.compare else [])
        datas = [data] + ([os.path.join(scratch, "data-compare")] if args.compare else [])
        for launcher, d in zip(launchers, datas):
            # a first `run` makes the store and, after a build, the launcher's class-data sharing archive
            timed([launcher, "run", one, "--data-dir", d], log)
        starts = alternating(args.reps, [[launcher, "runs", "--data-dir", d] for launcher, d in zip(launchers, datas)], log)
        start = starts[0]

        print(f"Timing a JVM starting {args.steps} x `/bin/sh -c true`, with and without setsid (SpawnProbe.java) ...",
              flush=True)
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
            runs = [None] * len(launchers) if args.no_run else alternating(args.reps, [
                [launcher, "run", os.path.join(dag, "pipeline.yaml"), "--slots", "2", "--data-dir", d]
                for launcher, d in zip(launchers, datas)], log)
            floor = start + args.steps * spawn[("setsid", threads)] / 1000
            bare = start + args.steps * spawn[("sh", threads)] / 1000
            rows.append((shape, ninja, TARGETS[shape] * ninja, floor, bare, runs))

        print()
        print(f"Medians of {args.reps} runs after a warm-up, {args.steps} steps of `true`, 2 slots/jobs, "
              f"{os.cpu_count()} CPUs")
        print(f"  start of sluice (JVM + store)                 {start * 1000:8.1f} ms")
        for threads, label in ((1, "one at a time"), (2, "two at a time")):
            print(f"  JVM spawn, /bin/sh -c true, {label}         {spawn[('sh', threads)]:8.3f} ms/step"
                  f"   (setsid /bin/sh -c true: {spawn[('setsid', threads)]:.3f})")
        print()
        print("shape   ninja s  target s        floor s  floor/ninja  floor w/o setsid s  sluice s  sluice/ninja  "
              "sluice/floor w/o setsid")
        print("------  -------  --------------  -------  -----------  ------------------  --------  ------------  "
              "-----------------------")
        for shape, ninja, target, floor, bare, runs in rows:
            run = runs[0]
            ran = f"{run:8.3f}  {run / ninja:11.1f}x  {run / bare:22.2f}x" if run is not None else \
                f"{'-':>8}  {'-':>12}  {'-':>23}"
            print(f"{shape:<6}  {ninja:7.3f}  {target:7.3f} ({TARGETS[shape]:.0f}x)  {floor:7.3f}  "
                  f"{floor / ninja:10.1f}x  {bare:18.3f}  {ran}")
        print("(floor: start + N x setsid spawn, the old floor; floor w/o setsid: start + N x /bin/sh spawn, "
              "the target is 1.5x of it)")
        if args.compare:
            print()
            print(f"--compare {args.compare} (runs alternating with {sluice}'s):")
            print(f"  start of sluice (JVM + store)  {starts[1] * 1000:8.1f} ms   (SLUICE: {start * 1000:.1f} ms, "
                  f"ratio {start / starts[1]:.2f})")
            for shape, ninja, target, floor, bare, runs in rows:
                if runs[1] is not None:
                    print(f"  {shape:<6}  {runs[1]:8.3f} s  {runs[1] / bare:5.2f}x the floor w/o setsid   "
                          f"(SLUICE: {runs[0]:.3f} s, {runs[0] / bare:.2f}x; ratio {runs[0] / runs[1]:.2f})")
    finally:
        if args.keep:
            note(f"scratch files kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
