/*
 * raw_replay.c - the benchmark's baseline (a): the history's changes executed
 * in an empty database with savepoints, and nothing else.
 *
 *   usage: raw_replay --source CONN --target CONN
 *
 * Reads the changes from pggit.history of the source the way ddlsnap does
 * (history.h: the same groups, in the same order, through a cursor) and runs
 * each in the target as ddlsnap's replayer does (src/replay.c): "BEGIN;
 * SAVEPOINT" in one round trip, the change's text with PQexecParams (the
 * extended protocol), "RELEASE SAVEPOINT; COMMIT"; a failing change is rolled
 * back to its savepoint and counted. No parsing, no capture, no writes but
 * the DDL itself. The synthetic histories hold one statement per change; a
 * change of several statements would fail here (PQexecParams takes one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "bench_common.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/history.h"

static int run(PGconn *target, const char *sql, long *failed)
{
	if (ds_db_exec(target, "BEGIN; SAVEPOINT bench_change"))
		return -1;
	PGresult *res = PQexecParams(target, sql, 0, NULL, NULL, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok && *failed < 5)
		fprintf(stderr, "raw_replay: %s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	if (!ok) {
		(*failed)++;
		if (ds_db_exec(target, "ROLLBACK TO SAVEPOINT bench_change"))
			return -1;
	}
	return ds_db_exec(target, "RELEASE SAVEPOINT bench_change; COMMIT") ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *source = NULL, *target_ci = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--source"))
			source = argv[i + 1];
		else if (!strcmp(argv[i], "--target"))
			target_ci = argv[i + 1];
	}
	if (!source || !target_ci) {
		fputs("usage: raw_replay --source CONN --target CONN\n", stderr);
		return 2;
	}
	PGconn *src = NULL, *target = NULL;
	ds_history *h = NULL;
	if (ds_db_connect(&src, source, NULL) || ds_db_connect(&target, target_ci, NULL) ||
	    ds_db_exec(target, "SET client_min_messages = warning") || ds_history_open(&h, src)) {
		fprintf(stderr, "raw_replay: %s\n", ds_error_last());
		return 3;
	}
	long changes = 0, failed = 0;
	double start = bench_now();
	int rc;
	ds_group g;
	while ((rc = ds_history_next(h, &g)) == 1) {
		if (g.sql) {
			changes++;
			if (run(target, g.sql, &failed)) {
				fprintf(stderr, "raw_replay: the target failed: %s\n",
					ds_error_last());
				ds_group_free(&g);
				return 3;
			}
		}
		ds_group_free(&g);
	}
	double seconds = bench_now() - start;
	if (rc < 0) {
		fprintf(stderr, "raw_replay: reading the history: %s\n", ds_error_last());
		return 3;
	}
	ds_history_close(h);
	PQfinish(src);
	PQfinish(target);
	bench_report("raw_replay", changes, failed, seconds);
	return 0;
}
