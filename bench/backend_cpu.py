#!/usr/bin/env python3
"""backend_cpu.py - the CPU time of each PostgreSQL backend while a command runs.

    bench/backend_cpu.py COMMAND [ARG...]

Runs COMMAND and, every 0.1 s until it exits, reads /proc for the server's
processes (those whose command line starts with "postgres: "), keeping each
one's last user+system CPU time. Prints, on stderr once the command is done,
the CPU seconds by backend (user and database, as the process title names
them) over the command's wall time, then exits with the command's status.

Run by hand (docs/benchmarks.md): it tells how the server's work of a
conversion splits between the replay connection, the capture connection and
the store, against the raw replay's one backend. A backend that starts and
ends between two samples is missed; a backend that was there before the
command started counts only what it used after.
"""
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def backends():
    """{pid: (label, cpu seconds)} of the server's processes now."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            if not cmd.startswith("postgres: "):
                continue
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # fields after the command name in parentheses: utime is the 14th
        # field of the line, stime the 15th
        fields = stat[stat.rindex(")") + 2:].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        words = cmd.split()
        # "postgres: USER DB [local] STATE" (or "HOST(PORT)") for a backend,
        # "postgres: checkpointer", "postgres: autovacuum worker DB"... for
        # the server's own processes
        if len(words) >= 4 and (words[3] == "[local]" or "(" in words[3]):
            label = f"{words[1]} {words[2]}"
        else:
            label = " ".join(words[1:3])
        out[int(pid)] = (label, cpu)
    return out


def main():
    if len(sys.argv) < 2:
        print("usage: backend_cpu.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    before = backends()
    start = time.monotonic()
    child = subprocess.Popen(sys.argv[1:])
    last = dict(before)
    while child.poll() is None:
        last.update(backends())
        time.sleep(0.1)
    wall = time.monotonic() - start
    by_label = {}
    for pid, (label, cpu) in last.items():
        base = before.get(pid, (label, 0.0))[1]
        used = cpu - base
        if used > 0:
            by_label[label] = by_label.get(label, 0.0) + used
    total = sum(by_label.values())
    print(f"backend_cpu: {wall:.2f} s wall; server CPU {total:.2f} s:", file=sys.stderr)
    for label, cpu in sorted(by_label.items(), key=lambda kv: -kv[1]):
        print(f"backend_cpu: {cpu:8.2f} s  {100 * cpu / wall:5.1f}% of a core  {label}",
              file=sys.stderr)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
