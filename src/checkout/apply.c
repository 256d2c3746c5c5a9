/*
 * apply.c - run a plan (see checkout_int.h) in the target's open
 * transaction.
 *
 * Phase by phase, every statement runs in a savepoint, so a failing one
 * leaves no trace and the transaction goes on. The statements that failed
 * run again after the others of their phase, pass after pass, as long as a
 * pass applies at least one statement: a view on a view later in path
 * order, a table whose column type is a domain of another schema, a
 * function body that names a table (BEGIN ATOMIC) sort themselves out.
 * What still fails when its phase makes no more progress is carried into
 * the next phase and tried again there, after that phase's own statements,
 * because what it waits for may come later (a view grouping by a primary
 * key added by ALTER TABLE). Only what fails in the last phase, after a pass
 * without progress, does not apply.
 */
#include <stdlib.h>
#include <string.h>

#include "checkout_int.h"
#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"

static char *failure_text(PGconn *conn, const PGresult *res)
{
	ds_buf b = DS_BUF_INIT;
	char *msg = ds_db_message(conn, res);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	ds_buf_puts(&b, msg);
	free(msg);
	if (state)
		ds_buf_printf(&b, " [SQLSTATE %s]", state);
	return ds_buf_detach(&b);
}

static int lost(PGconn *conn, const char *what)
{
	return ds_db_error(conn, NULL, what);
}

/*
 * Run one statement in a savepoint.
 * @return 0 applied, 1 failed (s->error says why), DS_EDB when the
 *         connection or the transaction broke
 */
static int run_one(PGconn *conn, ds_co_stmt *s, ds_co_notices *notices)
{
	notices->current = s;
	if (ds_db_exec(conn, "SAVEPOINT ds_checkout"))
		return DS_EDB;
	/* one statement per call: the extended protocol refuses a second */
	PGresult *res = PQexecParams(conn, s->sql, 0, NULL, NULL, NULL, NULL, 0);
	notices->current = NULL;
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		free(s->error);
		s->error = NULL;
		return ds_db_exec(conn, "RELEASE SAVEPOINT ds_checkout") ? DS_EDB : 0;
	}
	free(s->error);
	s->error = failure_text(conn, res);
	PQclear(res);
	s->attempts++;
	if (PQstatus(conn) != CONNECTION_OK)
		return lost(conn, "the connection to the target was lost");
	if (ds_db_exec(conn, "ROLLBACK TO SAVEPOINT ds_checkout"))
		return DS_EDB;
	return 1;
}

/*
 * Passes over pending[0..*n) until all applied or a pass applies nothing.
 * Applied statements leave the array; the others stay, in order.
 */
static int run_passes(PGconn *conn, ds_co_stmt **pending, size_t *n, ds_checkout_stats *stats,
		      ds_co_notices *notices)
{
	for (;;) {
		size_t kept = 0, applied = 0;
		for (size_t i = 0; i < *n; i++) {
			ds_co_stmt *s = pending[i];
			int rc = run_one(conn, s, notices);
			if (rc < 0)
				return ds_error_wrap(rc, "%s, statement %d", s->path, s->number);
			if (rc == 1) {
				pending[kept++] = s;
				continue;
			}
			applied++;
			stats->statements++;
			stats->per_phase[s->cls.phase]++;
			if (s->attempts)
				stats->retried++;
		}
		*n = kept;
		if (kept == 0 || applied == 0)
			return 0;
	}
}

/* The first lines of a statement, for the report. */
static void print_excerpt(FILE *log, const char *sql)
{
	const char *p = sql;
	for (int line = 0; *p && line < 4; line++) {
		size_t len = strcspn(p, "\n");
		if (len > 160)
			len = 160;
		fprintf(log, "checkout:     %.*s\n", (int)len, p);
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	if (*p)
		fputs("checkout:     ...\n", log);
}

int ds_co_apply(PGconn *conn, ds_co_plan *plan, ds_checkout_stats *stats, ds_co_notices *notices,
		int quiet)
{
	ds_co_stmt **pending = ds_xcalloc(plan->n ? plan->n : 1, sizeof *pending);
	size_t n = 0, next = 0;
	int rc = 0;

	for (int phase = 0; phase < DS_PHASE_COUNT && rc == 0; phase++) {
		/* the plan is sorted by step, so a phase is one run of it */
		size_t carried = n, before = stats->statements, retried = stats->retried;
		ds_co_stmt **start = pending + n;
		for (; next < plan->n && (int)plan->items[next].cls.phase == phase; next++)
			if (!plan->items[next].skip)
				pending[n++] = &plan->items[next];
		/* the phase's own statements first, then those carried over */
		if (carried && n > carried) {
			size_t own = (size_t)(pending + n - start);
			ds_co_stmt **tmp = ds_xcalloc(n, sizeof *tmp);
			memcpy(tmp, start, own * sizeof *tmp);
			memcpy(tmp + own, pending, carried * sizeof *tmp);
			memcpy(pending, tmp, n * sizeof *tmp);
			free(tmp);
		}
		/* statements carried over alone would fail as they did */
		if (n > carried)
			rc = run_passes(conn, pending, &n, stats, notices);
		if (rc == 0 && !quiet && stats->statements > before)
			fprintf(notices->log, "checkout: %-14s %5zu statements (%zu retried)%s\n",
				ds_checkout_phase_name((ds_checkout_phase)phase),
				stats->statements - before, stats->retried - retried,
				n ? ", some wait for a later phase" : "");
	}
	if (rc == 0 && n > 0) {
		stats->failed = n;
		fprintf(notices->log, "checkout: %zu statement%s of the snapshot do%s not apply:\n",
			n, n == 1 ? "" : "s", n == 1 ? "es" : "");
		for (size_t i = 0; i < n; i++) {
			fprintf(notices->log, "checkout:   %s, statement %d (%s): %s\n",
				pending[i]->path, pending[i]->number, pending[i]->cls.what,
				pending[i]->error);
			print_excerpt(notices->log, pending[i]->sql);
		}
	}
	free(pending);
	return rc;
}
