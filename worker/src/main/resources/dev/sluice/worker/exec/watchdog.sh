# Sluice's attempt watchdog (POSIX sh; reads /proc): ends a worker's step processes when the
# worker's lease with the engine has run out, whatever the worker's JVM is doing (frozen by SIGSTOP,
# cut off, killed). Started by dev.sluice.worker.exec.Watchdog as
#   sh -c "$(cat watchdog.sh)" sluice-watchdog FILE NEEDLE JVM_PID TICK [CGROUPS]
# FILE holds "DEADLINE GRACE" in hundredths of a second of /proc/uptime (the JVM rewrites it, by
# rename, each time the engine acknowledges a heartbeat), or "none" before the first lease.
# Past DEADLINE: TERM to every process in the JVM's attempt cgroups (CGROUPS*/*/cgroup.procs, when
# it has them) and every process whose environment carries NEEDLE (SLUICE_ATTEMPT_COOKIE=<jvm>.),
# KILL past DEADLINE + GRACE, again every second while the lease
# stays lost. Before each signal the lease is read again, so a renewed lease's new steps are spared.
# FILE deleted: the worker closed cleanly, exit. JVM gone: kill what is left once the lease ran out,
# then exit.
file=$1 needle=$2 jvm=$3 tick=$4 cgroups=${5:-}
dl=none grace=0 now=0 done= idle=0

read_lease() {
    read dl grace < "$file" 2>/dev/null || [ -n "$dl" ] || dl=none
    read up rest < /proc/uptime
    now=${up%.*}${up#*.}
}

# true when the lease has run out (and was held once)
lapsed() {
    case $dl in ''|*[!0-9]*) return 1 ;; esac
    [ "$now" -gt "$dl" ]
}

# signals every process in the cgroups or carrying the needle; found = how many. Each process is
# listed before the lease is read again: one started under a renewed lease is never signalled.
sweep() {
    found=0
    if [ -n "$cgroups" ]; then
        for f in "$cgroups"*/*/cgroup.procs; do
            [ -r "$f" ] || continue
            pids=
            while read p; do pids="$pids $p"; done < "$f"
            for p in $pids; do
                read_lease
                lapsed || return 0
                kill -s "$1" "$p" 2>/dev/null && found=$((found + 1))
            done
        done
    fi
    for e in /proc/[0-9]*/environ; do
        grep -qaF -e "$needle" "$e" 2>/dev/null || continue
        read_lease
        lapsed || return 0
        p=${e#/proc/}
        p=${p%/environ}
        kill -s "$1" "$p" 2>/dev/null && found=$((found + 1))
    done
}

while :; do
    [ -e "$file" ] || exit 0
    read_lease
    if lapsed; then
        if [ "$now" -gt $((dl + grace)) ]; then sig=KILL; else sig=TERM; fi
        if [ "$sig" = KILL ] && [ "$done" = KILL ]; then
            idle=$((idle + 1))
        fi
        if [ "$sig" != "$done" ] || [ "$idle" -ge 4 ]; then
            sweep "$sig"
            [ "$found" -gt 0 ] && echo "sluice-watchdog: lease of pid $jvm ran out at $dl: $sig sent to $found process(es)" >&2
            done=$sig
            idle=0
            if [ "$sig" = KILL ] && [ "$found" -eq 0 ] && ! kill -0 "$jvm" 2>/dev/null; then
                exit 0
            fi
        fi
    else
        done=
        idle=0
        case $dl in ''|*[!0-9]*) kill -0 "$jvm" 2>/dev/null || exit 0 ;; esac
    fi
    sleep "$tick"
done
