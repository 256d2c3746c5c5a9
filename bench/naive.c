/*
 * naive.c - the benchmark's baseline (b): seeds/002's backfill algorithm,
 * written faithfully against ddlsnap's own capture library.
 *
 *   usage: naive --source CONN --target CONN [--max-changes N] [--max-seconds S]
 *
 * For every change of pggit.history, in order, one transaction in the target:
 *   1. replay the change in a scratch shadow database (ddlsnap's replayer,
 *      src/replay.c; a failing change is counted and skipped, as the seed's
 *      EXCEPTION WHEN OTHERS does);
 *   2. capture ALL objects of the shadow (ds_capture_all);
 *   3. a blob per object, the trees and a commit (ds_snapshot_build,
 *      gitobj.h), every one written to naive_v2.objects (the seed's
 *      create_blob/create_tree/create_commit; ON CONFLICT DO NOTHING for
 *      objects already stored);
 *   4. an audit row per object per commit in naive_audit.changes (the seed's
 *      pggit_audit.changes: change_type 'CREATE', the object's DDL, author,
 *      time, message, backfilled_from_v1 = true, verified = false).
 * The writes of one change go in bulk (COPY into a staging table, then one
 * INSERT; COPY of the audit rows): kinder to the naive algorithm than the
 * seed's row-at-a-time function calls, so what is measured is the algorithm's
 * O(changes x objects) work, not avoidable round trips. The target's
 * naive_v2 and naive_audit schemas are dropped and created at the start.
 * --max-changes N stops after N changes, --max-seconds S after the change
 * that ends S seconds or more after the start (for sizes that would take
 * hours: the issue measures (b) where it finishes within an hour). Every
 * 1,000 changes a line on stderr gives the time so far and the cost of the
 * last 1,000, so the growth of the cost per change with the schema is seen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "bench_common.h"
#include "ddlsnap/buf.h"
#include "ddlsnap/capture.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/history.h"
#include "ddlsnap/replay.h"
#include "ddlsnap/snapshot.h"

static const char setup_sql[] =
	"SET client_min_messages = warning;"
	"DROP SCHEMA IF EXISTS naive_v2 CASCADE; DROP SCHEMA IF EXISTS naive_audit CASCADE;"
	"CREATE SCHEMA naive_v2; CREATE SCHEMA naive_audit;"
	"CREATE TABLE naive_v2.objects (sha text PRIMARY KEY, type text NOT NULL,"
	" body bytea NOT NULL);"
	"CREATE TABLE naive_audit.changes (id bigserial PRIMARY KEY, commit_sha text NOT NULL,"
	" object_schema text, object_name text NOT NULL, object_type text NOT NULL,"
	" change_type text NOT NULL, new_definition text, author text,"
	" committed_at timestamp, commit_message text, backfilled_from_v1 boolean,"
	" verified boolean);"
	"CREATE INDEX ON naive_audit.changes (commit_sha);"
	"CREATE TEMP TABLE stage (sha text, type text, body bytea) ON COMMIT DELETE ROWS;";

/* COPY text format: a field with \, tab, newline and CR escaped; NULL as \N. */
static void copy_text(ds_buf *b, const char *s)
{
	if (!s) {
		ds_buf_puts(b, "\\N");
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			ds_buf_puts(b, "\\\\");
			break;
		case '\t':
			ds_buf_puts(b, "\\t");
			break;
		case '\n':
			ds_buf_puts(b, "\\n");
			break;
		case '\r':
			ds_buf_puts(b, "\\r");
			break;
		default:
			ds_buf_putc(b, *s);
		}
	}
}

static void stage_object(ds_buf *b, ds_objtype type, const ds_oid *oid, const char *body,
			 size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char sha[DS_OID_HEXSZ + 1];
	ds_oid_fmt(sha, oid);
	ds_buf_printf(b, "%s\t%s\t\\\\x", sha, ds_objtype_name(type));
	for (size_t i = 0; i < len; i++) {
		ds_buf_putc(b, hex[(unsigned char)body[i] >> 4]);
		ds_buf_putc(b, hex[(unsigned char)body[i] & 15]);
	}
	ds_buf_putc(b, '\n');
}

static int emit(void *payload, ds_objtype type, const ds_oid *oid, const char *body, size_t len)
{
	stage_object(payload, type, oid, body, len);
	return 0;
}

static int copy_in(PGconn *conn, const char *sql, const ds_buf *data)
{
	PGresult *res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		int rc = ds_db_error(conn, res, sql);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	if (PQputCopyData(conn, data->ptr ? data->ptr : "", (int)data->len) != 1 ||
	    PQputCopyEnd(conn, NULL) != 1)
		return ds_db_error(conn, NULL, sql);
	res = PQgetResult(conn);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : ds_db_error(conn, res, sql);
	PQclear(res);
	while ((res = PQgetResult(conn)))
		PQclear(res);
	return rc;
}

typedef struct {
	ds_replayer *shadow;
	PGconn *capture, *target;
	ds_oid head;
	int has_head;
	ds_buf objects, audit;
} naive;

static int one_change(naive *n, const ds_group *g, long *failed)
{
	ds_replay_result rr;
	int rc = ds_replay_change(n->shadow, g->sql, &rr);
	if (rc)
		return rc;
	if (!rr.ok) {
		if (*failed < 5)
			fprintf(stderr, "naive: history %lld: %s\n", (long long)g->ids[0],
				rr.error);
		(*failed)++;
		ds_replay_result_free(&rr);
		return 0;
	}
	ds_replay_result_free(&rr);

	ds_capture cap = { 0 };
	rc = ds_capture_all(n->capture, NULL, &cap);
	if (rc)
		return rc;
	ds_snapshot snap;
	ds_buf_clear(&n->objects);
	rc = ds_snapshot_build(&snap, &cap, emit, &n->objects);
	ds_capture_free(&cap);
	if (rc)
		return rc;

	char *who = ds_signature_clean(g->created_by, "unknown");
	ds_buf msg = DS_BUF_INIT, body = DS_BUF_INIT;
	const char *descr = g->descriptions[0] ? g->descriptions[0] : "";
	ds_buf_printf(&msg, "Backfill: %s\n", descr);
	ds_commit commit = {
		.tree = snap.tree,
		.parents = n->has_head ? &n->head : NULL,
		.nparents = n->has_head ? 1 : 0,
		.author = { who, "unknown@example.invalid", g->has_epoch ? g->epoch : 0, 0 },
		.committer = { who, "unknown@example.invalid", g->has_epoch ? g->epoch : 0, 0 },
		.message = msg.ptr,
	};
	rc = ds_commit_encode(&body, &commit);
	if (rc == 0) {
		ds_oid_hash(&n->head, DS_OBJ_COMMIT, body.ptr, body.len);
		n->has_head = 1;
		stage_object(&n->objects, DS_OBJ_COMMIT, &n->head, body.ptr, body.len);
	}
	char sha[DS_OID_HEXSZ + 1];
	ds_oid_fmt(sha, &n->head);
	ds_buf_clear(&n->audit);
	for (size_t i = 0; rc == 0 && i < snap.n; i++) {
		const ds_object *o = &snap.entries[i].obj;
		ds_buf_printf(&n->audit, "%s\t", sha);
		copy_text(&n->audit, o->schema);
		ds_buf_putc(&n->audit, '\t');
		copy_text(&n->audit, o->name);
		ds_buf_putc(&n->audit, '\t');
		copy_text(&n->audit, o->kind);
		ds_buf_puts(&n->audit, "\tCREATE\t");
		copy_text(&n->audit, o->ddl);
		ds_buf_putc(&n->audit, '\t');
		copy_text(&n->audit, g->created_by);
		ds_buf_putc(&n->audit, '\t');
		copy_text(&n->audit, g->created_at);
		ds_buf_putc(&n->audit, '\t');
		copy_text(&n->audit, msg.ptr);
		ds_buf_puts(&n->audit, "\tt\tf\n");
	}
	free(who);
	ds_buf_free(&msg);
	ds_buf_free(&body);
	ds_snapshot_free(&snap);
	if (rc)
		return rc;

	rc = ds_db_exec(n->target, "BEGIN");
	if (rc == 0)
		rc = copy_in(n->target, "COPY stage FROM STDIN", &n->objects);
	if (rc == 0)
		rc = ds_db_exec(n->target, "INSERT INTO naive_v2.objects SELECT * FROM stage"
					   " ON CONFLICT (sha) DO NOTHING");
	if (rc == 0)
		rc = copy_in(n->target,
			     "COPY naive_audit.changes (commit_sha, object_schema, object_name,"
			     " object_type, change_type, new_definition, author, committed_at,"
			     " commit_message, backfilled_from_v1, verified) FROM STDIN",
			     &n->audit);
	if (rc == 0)
		rc = ds_db_exec(n->target, "COMMIT");
	return rc;
}

int main(int argc, char **argv)
{
	const char *source = NULL, *target_ci = NULL;
	long max = -1;
	double max_seconds = -1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--source"))
			source = argv[i + 1];
		else if (!strcmp(argv[i], "--target"))
			target_ci = argv[i + 1];
		else if (!strcmp(argv[i], "--max-changes"))
			max = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--max-seconds"))
			max_seconds = atof(argv[i + 1]);
	}
	if (!source || !target_ci) {
		fputs("usage: naive --source CONN --target CONN [--max-changes N] [--max-seconds S]\n",
		      stderr);
		return 2;
	}
	naive n = { .objects = DS_BUF_INIT, .audit = DS_BUF_INIT };
	PGconn *src = NULL;
	ds_history *h = NULL;
	if (ds_db_connect(&src, source, NULL) || ds_history_open(&h, src) ||
	    ds_db_connect(&n.target, target_ci, NULL) || ds_db_exec(n.target, setup_sql) ||
	    ds_replay_open(&n.shadow, source, NULL) ||
	    ds_capture_session_setup(n.capture = ds_replay_capture_conn(n.shadow))) {
		fprintf(stderr, "naive: %s\n", ds_error_last());
		return 3;
	}
	long changes = 0, failed = 0;
	double start = bench_now(), mark = start;
	int rc = 0;
	ds_group g;
	while ((max < 0 || changes < max) &&
	       (max_seconds < 0 || bench_now() - start < max_seconds) &&
	       (rc = ds_history_next(h, &g)) == 1) {
		if (g.sql) {
			changes++;
			rc = one_change(&n, &g, &failed);
			if (changes % 1000 == 0) {
				double now = bench_now();
				fprintf(stderr, "naive: %ld changes in %.1f s, the last 1000 %.1f s\n",
					changes, now - start, now - mark);
				mark = now;
			}
		}
		ds_group_free(&g);
		if (rc)
			break;
	}
	double seconds = bench_now() - start;
	if (rc < 0 || rc > 1) {
		fprintf(stderr, "naive: %s\n", ds_error_last());
		return 3;
	}
	ds_history_close(h);
	PQfinish(src);
	PQfinish(n.target);
	ds_replay_close(n.shadow);
	ds_buf_free(&n.objects);
	ds_buf_free(&n.audit);
	bench_report("naive", changes, failed, seconds);
	return 0;
}
