#!/usr/bin/env python3
"""bench/real/goose_split.py FILE OUTDIR: the statements goose sends for FILE's Up section.

goose (pressly/goose) does not send a SQL migration file whole: it keeps the part after
`-- +goose Up` (up to `-- +goose Down`) and splits it into statements, one Exec each. A
statement ends at a line whose last token before any `--` comment ends with `;`, except between
`-- +goose StatementBegin` and `-- +goose StatementEnd`, which is one statement. Whole-line
comments are left out. `-- +goose NO TRANSACTION` anywhere means no transaction around the
file. Written from goose's documented behaviour, for bench/real/load.sh.

Writes OUTDIR/0001.sql, 0002.sql, ... (one statement each, without a trailing newline) and
OUTDIR/notx when the file asks for no transaction.
"""
import os
import re
import sys


def ends_statement(line):
    code = line
    # Drop a trailing `--` comment when it starts a word (as goose does; not inside quotes,
    # which goose does not consider either).
    words = []
    for w in code.split():
        if w.startswith("--"):
            break
        words.append(w)
    return bool(words) and words[-1].endswith(";")


def main():
    path, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    notx = False
    section = None
    in_block = False
    buf = []
    stmts = []
    for line in lines:
        s = line.strip()
        m = re.match(r"^--\s*\+goose\s+(.*?)\s*$", s)
        if m:
            cmd = m.group(1).lower()
            if cmd == "up":
                section = "up"
            elif cmd == "down":
                section = "down"
            elif cmd == "no transaction":
                notx = True
            elif cmd == "statementbegin" and section == "up":
                in_block = True
            elif cmd == "statementend" and section == "up":
                in_block = False
                if "\n".join(buf).strip():
                    stmts.append("\n".join(buf).strip())
                buf = []
            continue
        if section != "up":
            continue
        if not in_block and (s == "" or s.startswith("--")):
            continue
        buf.append(line)
        if not in_block and ends_statement(line):
            stmts.append("\n".join(buf).strip())
            buf = []
    if "\n".join(buf).strip():
        stmts.append("\n".join(buf).strip())
    for i, st in enumerate(stmts, 1):
        with open(os.path.join(out, "%04d.sql" % i), "w", encoding="utf-8") as f:
            f.write(st)
    if notx:
        open(os.path.join(out, "notx"), "w").close()


if __name__ == "__main__":
    main()
