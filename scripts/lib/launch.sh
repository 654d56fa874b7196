# Sourced by scripts/sluice and scripts/sluice-worker: launch JAVA_ARGS... starts the JVM.
#
# A JVM of Sluice runs its steps in its own process group (a session per step would cost a setsid
# exec per step). In a terminal that group also gets the terminal's signals: Ctrl-C would end a server's steps before
# it drains them (they would fail and use up a retry), Ctrl-\ and Ctrl-Z would reach the steps, and
# a step could read the terminal. So when there is a controlling terminal the JVM gets a session of
# its own (one setsid per command) and this script stays in the terminal's foreground group,
# passing INT, TERM, HUP and QUIT on to it and exiting with its status. Without a terminal (scripts,
# services, CI) the JVM replaces this script, as before. SLUICE_NO_SESSION=1: never.
launch() {
  if [ -n "${SLUICE_NO_SESSION:-}" ] || ! command -v setsid >/dev/null 2>&1 || ! { : </dev/tty; } 2>/dev/null; then
    exec java "$@"
  fi
  # an asynchronous command of a script starts with INT and QUIT ignored, and a JVM keeps an ignored
  # INT ignored: set them back before the exec; and its standard input would be /dev/null but for 0<&0
  ( trap - INT QUIT; exec setsid java "$@" ) 0<&0 &
  local pid=$! sig status passed
  for sig in INT TERM HUP QUIT; do
    trap "passed=1; kill -$sig $pid 2>/dev/null" "$sig"
  done
  while :; do
    passed=0 status=0
    wait "$pid" || status=$?
    [ "$passed" = 1 ] || break # wait also returns when a signal was passed on: wait again for the JVM
  done
  exit "$status"
}
