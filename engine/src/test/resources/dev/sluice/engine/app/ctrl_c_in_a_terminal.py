"""Runs a command in a new pseudo-terminal, as a user's shell would, and presses Ctrl-C in it.

usage: python3 ctrl_c_in_a_terminal.py SIGN COMMAND [ARG...]

Once the command has printed SIGN, writes Ctrl-C (\\x03) to the terminal: the terminal's line
discipline sends SIGINT to its foreground process group, exactly as a key press does. Prints
everything the command printed, then exits with the command's exit status (124 if SIGN never came
within 60 s).
"""
import os
import pty
import select
import sys
import time

sign, command = sys.argv[1].encode(), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
out, pressed, start = b"", False, time.monotonic()
while True:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:  # the terminal's last writer is gone
            break
        if not data:
            break
        out += data
    if not pressed and sign in out:
        os.write(fd, b"\x03")
        pressed = True
    if not pressed and time.monotonic() - start > 60:
        os.kill(pid, 9)
        sys.stdout.write(out.decode(errors="replace"))
        sys.exit(124)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
