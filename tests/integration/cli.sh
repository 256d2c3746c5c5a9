#!/usr/bin/env bash
# The command line contract: help, usage errors (exit 2) and fatal errors
# (exit 3) with a message that says what was wrong.
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source "$here/../harness/assert.sh"
: "${DDLSNAP:?set DDLSNAP to the ddlsnap binary}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

run_ddlsnap "$out" --help
assert_eq 0 "$rc" "--help"
assert_contains "$(cat "$out")" "convert" "--help lists convert"

for cmd in convert verify; do
	run_ddlsnap "$out" "$cmd" --help
	assert_eq 0 "$rc" "$cmd --help"
	assert_contains "$(cat "$out")" "--source CONN" "$cmd --help shows --source"

	run_ddlsnap "$out" "$cmd"
	assert_eq 2 "$rc" "$cmd without --source"
	assert_contains "$(cat "$out")" "needs --source" "$cmd without --source says so"

	run_ddlsnap "$out" "$cmd" --source x --bogus
	assert_eq 2 "$rc" "$cmd with an unknown option"

	run_ddlsnap "$out" "$cmd" --source x stray
	assert_eq 2 "$rc" "$cmd with a stray argument"
	assert_contains "$(cat "$out")" "unexpected argument 'stray'" "$cmd names the stray argument"

	# a server that is not there: fatal, and the message names the problem
	run_ddlsnap "$out" "$cmd" --source "host=/nonexistent-ddlsnap-socket dbname=nothing"
	assert_eq 3 "$rc" "$cmd against no server"
	assert_contains "$(cat "$out")" "cannot connect" "$cmd says it cannot connect"
done

run_ddlsnap "$out" convert --source x --batch-size 0
assert_eq 2 "$rc" "--batch-size 0"
assert_contains "$(cat "$out")" "--batch-size wants a number" "--batch-size 0 is explained"

# checkout takes no --source: a commit, a source of snapshots and a target
run_ddlsnap "$out" checkout --help
assert_eq 0 "$rc" "checkout --help"
assert_contains "$(cat "$out")" "--commit REV" "checkout --help shows --commit"
run_ddlsnap "$out" checkout --commit main --into x
assert_eq 2 "$rc" "checkout without --git-dir or --target"
assert_contains "$(cat "$out")" "exactly one of --git-dir and --target" "checkout says what it needs"
run_ddlsnap "$out" checkout --git-dir /nonexistent --into x
assert_eq 2 "$rc" "checkout without --commit"
assert_contains "$(cat "$out")" "needs --commit" "checkout without --commit says so"
run_ddlsnap "$out" checkout --git-dir /nonexistent --commit main
assert_eq 2 "$rc" "checkout without --into"
run_ddlsnap "$out" checkout --git-dir /nonexistent --commit main --into x stray
assert_eq 2 "$rc" "checkout with a stray argument"
run_ddlsnap "$out" checkout --git-dir /nonexistent --commit main --into x --quiet
assert_eq 3 "$rc" "checkout from a repository that is not there"
assert_contains "$(cat "$out")" "cannot open the git repository" "checkout names the repository problem"
run_ddlsnap "$out" checkout --target "host=/nonexistent-ddlsnap-socket dbname=nothing" \
	--commit main --into x
assert_eq 3 "$rc" "checkout from a store on no server"
assert_contains "$(cat "$out")" "cannot connect" "checkout says it cannot connect"

run_ddlsnap "$out" frobnicate
assert_eq 2 "$rc" "unknown command"
assert_contains "$(cat "$out")" "unknown command 'frobnicate'" "unknown command is named"

run_ddlsnap "$out"
assert_eq 2 "$rc" "no command"

finish
