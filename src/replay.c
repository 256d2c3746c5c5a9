/* replay.c - runs history changes in the shadow database (see replay.h). */
#include "ddlsnap/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/refuse.h"
#include "ddlsnap/replay_role.h"
#include "ddlsnap/stmt.h"
#include "ddlsnap_sql.h"

struct ds_replayer {
	PGconn *admin;   /* to the source server, only for a scratch shadow */
	char *scratch;   /* the scratch database's name, NULL for a named shadow */
	PGconn *replay;  /* runs history SQL */
	PGconn *capture; /* reads the catalogs */
	int replay_dml;  /* run DML instead of skipping it */
	ds_replay_role *role; /* runs history SQL in a scratch shadow */
	char *notice;
	ds_replay_gate gate; /* asked before each change's COMMIT (all NULL: none) */
	int reset_sent;      /* the session reset is on its way: read its results (open_block) */
};

/* Keep the first error of an attempt. */
static void res_set_error(ds_replay_result *res, const char *msg, const char *sqlstate)
{
	if (res->error)
		return;
	res->error = ds_xstrdup(msg);
	res->sqlstate = sqlstate ? ds_xstrdup(sqlstate) : NULL;
}

static int create_scratch(ds_replayer *r, const char *source)
{
	char name[64];
	snprintf(name, sizeof name, "ddlsnap_shadow_%ld", (long)getpid());
	int rc = ds_db_connect(&r->admin, source, NULL);
	if (rc == 0)
		rc = ds_db_exec(r->admin, "SET client_min_messages = warning");
	if (rc)
		return ds_error_wrap(rc, "connecting to the source server for the shadow database");

	/* template0 and the C locale: the shadow starts empty, and its own
	 * locale cannot leak into what is captured. */
	char *ident = PQescapeIdentifier(r->admin, name, strlen(name));
	ds_buf sql = DS_BUF_INIT;
	ds_buf_printf(&sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", ident);
	rc = ds_db_exec(r->admin, sql.ptr);
	ds_buf_clear(&sql);
	ds_buf_printf(&sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'",
		      ident);
	if (rc == 0)
		rc = ds_db_exec(r->admin, sql.ptr);
	ds_buf_free(&sql);
	PQfreemem(ident);
	if (rc)
		return ds_error_wrap(rc, "creating the shadow database %s", name);
	r->scratch = ds_xstrdup(name);
	return 0;
}

static int check_empty(PGconn *conn)
{
	PGresult *res;
	int rc = ds_db_query(conn, &res, ds_sql_replay_shadow_is_empty, 0, NULL);
	if (rc)
		return rc;
	int empty = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!empty)
		return ds_error_setc(DS_EINVALID, "the shadow database %s is not empty",
				     PQdb(conn));
	return 0;
}

int ds_replay_open(ds_replayer **out, const char *source_conninfo, const char *shadow_conninfo)
{
	ds_replayer *r = ds_xcalloc(1, sizeof *r);
	int rc = 0;

	if (shadow_conninfo) {
		rc = ds_db_connect(&r->replay, shadow_conninfo, NULL);
		if (rc == 0)
			rc = check_empty(r->replay);
		if (rc == 0)
			r->notice = ds_replay_role_check_named(r->replay);
		if (rc == 0)
			rc = ds_db_connect(&r->capture, shadow_conninfo, NULL);
	} else {
		rc = create_scratch(r, source_conninfo);
		/* History SQL logs in as an unprivileged role that owns the shadow
		 * (not SET ROLE, which history could RESET). */
		if (rc == 0)
			rc = ds_replay_role_setup(&r->role, r->admin, r->scratch);
		if (rc == 0)
			rc = ds_replay_role_connect(r->role, &r->replay, source_conninfo, r->scratch);
		if (rc == 0)
			rc = ds_db_connect(&r->capture, source_conninfo, r->scratch);
	}
	if (rc == 0)
		rc = ds_db_exec(r->replay, "SET client_min_messages = warning");
	if (rc) {
		ds_replay_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

const char *ds_replay_notice(const ds_replayer *r)
{
	return r->notice;
}

void ds_replay_report_refusals(FILE *log, const char *ids, const ds_replay_result *res)
{
	for (size_t i = 0; i < res->nrefused; i++) {
		const ds_refusal *f = &res->refusals[i];
		fprintf(log,
			"warning: history %s: statement %d of %zu (line %d) refused, not executed: "
			"%s\n  statement: %.200s%s\n",
			ids, f->number, res->nstatements, f->line, f->reason, f->statement,
			strlen(f->statement) > 200 ? "..." : "");
	}
}

static void add_refusal(ds_replay_result *res, size_t i, const ds_stmt *s)
{
	res->refusals = ds_xrealloc(res->refusals, (res->nrefused + 1) * sizeof *res->refusals);
	res->refusals[res->nrefused++] = (ds_refusal){
		.number = (int)i + 1,
		.line = s->line,
		.reason = s->refused,
		.statement = ds_xstrdup(s->sql),
	};
}

const char *ds_replay_user(ds_replayer *r)
{
	return PQuser(r->replay);
}

PGconn *ds_replay_capture_conn(ds_replayer *r)
{
	return r->capture;
}

static char *field(const PGresult *res, int code)
{
	const char *v = PQresultErrorField(res, code);
	return v ? ds_xstrdup(v) : NULL;
}

void ds_replay_set_dml(ds_replayer *r, int on)
{
	r->replay_dml = on;
}

void ds_replay_set_gate(ds_replayer *r, const ds_replay_gate *gate)
{
	r->gate = gate ? *gate : (ds_replay_gate){ 0 };
}

/*
 * SET search_path, SET ROLE, set_config()... in one change must not leak
 * into the next: the session is reset between changes (settings, role,
 * session authorization, temporary tables, prepared statements, cursors,
 * listens, advisory locks). These are the statements PostgreSQL documents
 * DISCARD ALL as doing, spelled out because DISCARD ALL alone refuses to run
 * in a statement list, with what the replay connection needs for every
 * change (its message level). All but DISCARD PLANS: a cached plan holds
 * nothing a change can see, and the plans of the gate's functions
 * (touched.h) are worth keeping. The function is qualified: history may
 * have created one of that name.
 *
 * The reset is sent when a change ends and its results are read when the
 * next one begins (open_block): a round trip costs about what a small change
 * does, and the server runs the reset while ddlsnap keeps the change's
 * snapshot and reads the next one. A capture waits for it (ds_replay_settle).
 * It is a statement list of its own, so its own transaction: a
 * change rolled back (by a failure, or by the gate, which then runs it
 * again) cannot take it back.
 */
static const char reset_session_sql[] =
	"CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL;"
	" UNLISTEN *; SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD TEMP;"
	" DISCARD SEQUENCES; SET client_min_messages = warning";

/* Read the results of the reset sent at the end of the last change. */
static int finish_reset(ds_replayer *r)
{
	int rc = 0;
	PGresult *res;
	r->reset_sent = 0;
	while ((res = PQgetResult(r->replay)) != NULL) {
		ExecStatusType st = PQresultStatus(res);
		if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			rc = ds_db_error(r->replay, res, "resetting the replay session after a change");
		PQclear(res);
	}
	return rc;
}

int ds_replay_settle(ds_replayer *r)
{
	return r->reset_sent ? finish_reset(r) : 0;
}

static int send_reset(ds_replayer *r)
{
	int rc = ds_replay_settle(r); /* a change that never opened a block */
	if (rc)
		return rc;
	if (!PQsendQuery(r->replay, reset_session_sql))
		return ds_db_error(r->replay, NULL, "resetting the replay session");
	r->reset_sent = 1;
	return 0;
}

/* One attempt at a change: its statements, in order, in the shadow. */
typedef struct {
	ds_replayer *r;
	const ds_stmt_list *list;
	ds_replay_result *res;
	int stepped;	    /* commit after ADD VALUE; CALL and DO outside a block */
	int in_block;	    /* our BEGIN; SAVEPOINT ddlsnap_change is open */
	int user_block;	    /* the text's own BEGIN is open: SAVEPOINT ddlsnap_tx */
	int pending_commit; /* stepped: an ADD VALUE waits for the end of the text's block */
	size_t committed;   /* statements whose effect is committed (stepped) */
	int db_failed;	    /* the connection failed: a fatal error, not the change's */
	int no_retry;	    /* the gate may not send the change back again */
	int retry;	    /* the gate sent it back: run it again after its flush */
	int may_defer;	    /* ran DML, a query, DO or CALL: deferred triggers may wait */
	int gate_rc;	    /* the gate's error */
	ds_buf undo;	    /* drops what ran on the caller's connection (run_privileged) */
} attempt;

/* A statement of the change failed: its message and SQLSTATE into res; a lost connection fails the run. */
static void exec_failed(attempt *a, const PGresult *pr)
{
	char *state = field(pr, PG_DIAG_SQLSTATE);
	char *msg = ds_db_message(a->r->replay, pr);
	res_set_error(a->res, msg, state);
	free(msg);
	free(state);
	if (PQstatus(a->r->replay) != CONNECTION_OK)
		a->db_failed = 1;
}

/* Run sql; on failure fill res->error and res->sqlstate. @return 1 on success */
static int exec_one(attempt *a, const char *sql)
{
	/* The extended protocol refuses more than one statement per call:
	 * a second line of defence behind the parser's split. */
	PGresult *pr = PQexecParams(a->r->replay, sql, 0, NULL, NULL, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(pr);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
		res_set_error(a->res, "COPY cannot be replayed from a history row", NULL);
		if (PQstatus(a->r->replay) != CONNECTION_OK)
			a->db_failed = 1;
	} else if (!ok) {
		exec_failed(a, pr);
	}
	PQclear(pr);
	return ok;
}

/* The replayer's own statements (BEGIN, SAVEPOINT...), several per call.
 * One can fail because of the text (a RELEASE of ddlsnap_tx after the text
 * rolled back past it): that fails the change, a lost connection the run. */
static int exec_own(attempt *a, const char *sql)
{
	PGresult *pr = PQexec(a->r->replay, sql);
	int ok = PQresultStatus(pr) == PGRES_COMMAND_OK;
	if (!ok)
		exec_failed(a, pr);
	PQclear(pr);
	return ok;
}

static int open_block(attempt *a)
{
	if (ds_replay_settle(a->r) != 0) {
		a->db_failed = 1;
		return 0;
	}
	a->in_block = exec_own(a, "BEGIN; SAVEPOINT ddlsnap_change");
	return a->in_block;
}

/* Commit what ran so far; statements before `next` are then permanent. */
static int commit_block(attempt *a, size_t next)
{
	a->in_block = 0;
	if (!exec_own(a, "RELEASE SAVEPOINT ddlsnap_change; COMMIT")) {
		/* a deferred constraint failed at COMMIT, or the RELEASE did */
		PQclear(PQexec(a->r->replay, "ROLLBACK"));
		return 0;
	}
	a->committed = next;
	a->pending_commit = 0;
	return 1;
}

/*
 * Emulate the text's own transaction control inside the change's
 * transaction: its BEGIN ... COMMIT is a savepoint released, its ROLLBACK
 * rolls back to that savepoint, its SAVEPOINT/RELEASE/ROLLBACK TO run as
 * written inside such a block. Outside a block PostgreSQL ignores COMMIT and
 * ROLLBACK with a warning, and so do we. @return 1 on success
 */
static int transaction_control(attempt *a, const ds_stmt *s, size_t i)
{
	a->res->skipped_transaction++;
	switch (s->txn) {
	case DS_TXN_BEGIN:
		if (!a->user_block)
			a->user_block = exec_own(a, "SAVEPOINT ddlsnap_tx");
		return a->user_block;
	case DS_TXN_COMMIT:
	case DS_TXN_COMMIT_CHAIN:
	case DS_TXN_ROLLBACK:
	case DS_TXN_ROLLBACK_CHAIN: {
		int commit = s->txn == DS_TXN_COMMIT || s->txn == DS_TXN_COMMIT_CHAIN;
		int chain = s->txn == DS_TXN_COMMIT_CHAIN || s->txn == DS_TXN_ROLLBACK_CHAIN;
		if (a->user_block) {
			a->user_block = 0;
			if (!exec_own(a, commit ? "RELEASE SAVEPOINT ddlsnap_tx"
						: "ROLLBACK TO SAVEPOINT ddlsnap_tx;"
						  " RELEASE SAVEPOINT ddlsnap_tx"))
				return 0;
			/* The value a rolled-back ADD VALUE added is gone with it. */
			if (a->pending_commit && commit && !commit_block(a, i + 1))
				return 0;
			if (!a->in_block && !open_block(a))
				return 0;
			a->pending_commit = 0;
			if (chain && !(a->user_block = exec_own(a, "SAVEPOINT ddlsnap_tx")))
				return 0;
		}
		return 1;
	}
	case DS_TXN_SAVEPOINT:
		return a->user_block ? exec_one(a, s->sql) : 1;
	default: /* SET TRANSACTION...: the replayer's transaction is its own */
		return 1;
	}
}

/* Whether a query calls a function that is not built in, asked of the shadow. */
static int calls_user_function(attempt *a, const ds_stmt *s, int *user)
{
	*user = 0;
	if (s->nfuncs == 0)
		return 1;
	json_t *funcs = json_array();
	for (size_t i = 0; i < s->nfuncs; i++)
		json_array_append_new(funcs, json_pack("{s:s?, s:s}", "nsp", s->funcs[i].nsp,
						       "name", s->funcs[i].name));
	char *param = json_dumps(funcs, JSON_COMPACT);
	json_decref(funcs);
	const char *params[] = {param};
	PGresult *pr;
	int rc = ds_db_query(a->r->replay, &pr, ds_sql_replay_user_function, 1, params);
	free(param);
	if (rc) {
		a->db_failed = 1;
		return 0;
	}
	*user = PQgetvalue(pr, 0, 0)[0] == 't';
	PQclear(pr);
	return 1;
}

/* The capture connection, for the change's own use (see ds_replay_gate). */
static void borrow_capture(ds_replayer *r)
{
	if (r->gate.borrow)
		r->gate.borrow(r->gate.payload);
}

/*
 * An allowed statement the replay role may not run (CREATE EXTENSION of an
 * untrusted extension on the allow-list, an allowed event trigger) runs on
 * the caller's connection; undo collects what drops it again if the change
 * rolls back. @return 1 when it ran there, 0 when it is the role's, -1 failed
 */
static int run_privileged(attempt *a, const ds_stmt *s)
{
	ds_replayer *r = a->r;
	char *drop = NULL;
	if (!ds_replay_role_may_need_privilege(s))
		return 0;
	borrow_capture(r);
	int need = ds_replay_role_needs_privilege(r->replay, r->capture, s, &drop);
	if (need == 0)
		return 0;
	if (need > 0 && ds_replay_role_run_privileged(r->replay, r->capture, s) == 0) {
		ds_buf_printf(&a->undo, "%s;", drop);
		free(drop);
		return 1;
	}
	free(drop);
	res_set_error(a->res, ds_error_last(), NULL);
	return -1;
}

/* A statement that runs (class RUN, or DML/QUERY chosen to run). @return 1 on success */
static int run_statement(attempt *a, const ds_stmt *s, size_t i)
{
	char *cut = NULL;
	if (s->flags & DS_STMT_CONCURRENTLY) {
		cut = ds_stmt_cut_concurrently(s->sql);
		if (cut)
			a->res->concurrently++;
	}
	const char *sql = cut ? cut : s->sql;
	int ok;
	if (s->cls == DS_STMT_DML || s->cls == DS_STMT_QUERY || (s->flags & DS_STMT_MAY_COMMIT))
		a->may_defer = 1;
	if (a->stepped && (s->flags & DS_STMT_MAY_COMMIT) && !a->user_block) {
		/* A CALL or DO that COMMITs must run outside a transaction block. */
		ok = commit_block(a, i);
		if (ok) {
			ok = exec_one(a, sql);
			if (ok)
				a->committed = i + 1;
			if (!open_block(a))
				ok = 0;
		}
	} else {
		ok = exec_one(a, sql);
	}
	free(cut);
	if (ok && a->stepped && (s->flags & DS_STMT_ADDS_ENUM_VALUE)) {
		/* The value is usable once committed: now, or at the end of the
		 * text's own block, where the source committed it. */
		a->pending_commit = 1;
		if (!a->user_block)
			ok = commit_block(a, i + 1) && open_block(a);
	}
	if (ok)
		a->res->executed++;
	return ok;
}

/* @return 1 when the statement ran or was skipped, 0 when it failed */
static int replay_statement(attempt *a, const ds_stmt *s, size_t i)
{
	switch (s->cls) {
	case DS_STMT_TRANSACTION:
		return transaction_control(a, s, i);
	case DS_STMT_MAINTENANCE:
		a->res->skipped_maintenance++;
		return 1;
	case DS_STMT_DML:
		if (!a->r->replay_dml || strcmp(s->node, "CopyStmt") == 0) {
			a->res->skipped_dml++;
			return 1;
		}
		return run_statement(a, s, i);
	case DS_STMT_QUERY:
		if (!a->r->replay_dml) {
			int user;
			if (!calls_user_function(a, s, &user))
				return 0;
			if (!user) {
				a->res->skipped_query++;
				return 1;
			}
		}
		return run_statement(a, s, i);
	case DS_STMT_REFUSED:
		if (s->refused == ds_refuse_owner_change)
			a->res->skipped_owner++;
		else
			add_refusal(a->res, i, s);
		return 1;
	case DS_STMT_UNSUPPORTED:
		res_set_error(a->res,
			      "two-phase commit (PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK"
			      " PREPARED) cannot be replayed; nothing of this change ran",
			      NULL);
		return 0;
	default:
		if (a->r->role) {
			int priv = run_privileged(a, s);
			if (priv > 0)
				a->res->executed++;
			if (priv)
				return priv > 0;
		}
		return run_statement(a, s, i);
	}
}

static void fail_at(ds_replay_result *res, const ds_stmt_list *list, size_t i)
{
	res->statement_number = (int)i + 1;
	res->statement_line = list->items[i].line;
	free(res->statement);
	res->statement = ds_xstrdup(list->items[i].sql);
}

/*
 * Before the gate: fire the triggers a change deferred to its COMMIT now, as
 * part of the change. The gate resets the change's settings (its SET LOCAL
 * search_path...) and takes what it touched before the COMMIT, so a trigger
 * fired at the COMMIT would run without those settings, and the objects its
 * DDL makes would be left for the next change to take. Nothing runs between
 * this and the COMMIT but the gate, so the triggers see what they would see
 * at the COMMIT; one that fails fails the change, as at the COMMIT. Only DML,
 * queries (the functions they call), DO and CALL queue row triggers.
 * @return 1 on success
 */
static int fire_deferred(attempt *a)
{
	if (!a->may_defer || !a->r->gate.gate)
		return 1;
	return exec_own(a, "SET CONSTRAINTS ALL IMMEDIATE");
}

/* Before the final COMMIT: may the change commit now? @return 1 yes, 0 no */
static int ask_gate(attempt *a)
{
	const ds_replay_gate *g = &a->r->gate;
	if (!g->gate)
		return 1;
	int rc = g->gate(g->payload, a->r->replay);
	if (rc == 0)
		return 1;
	if (rc == 1 && !a->no_retry)
		a->retry = 1;
	else
		a->gate_rc = rc == 1 ? ds_error_setc(DS_EINVALID, "a change was sent back twice") : rc;
	return 0;
}

/*
 * One attempt. @return 0 (res->ok says whether the change ran), or DS_EDB
 * when the shadow's connection failed.
 */
static int run_attempt(attempt *a)
{
	const ds_stmt_list *list = a->list;
	int ok = 1;

	/* Nothing runs when a statement can never be replayed. */
	for (size_t i = 0; i < list->n && ok; i++) {
		if (list->items[i].cls == DS_STMT_UNSUPPORTED) {
			replay_statement(a, &list->items[i], i);
			fail_at(a->res, list, i);
			ok = 0;
		}
	}
	if (ok && !open_block(a))
		ok = 0;
	for (size_t i = 0; i < list->n && ok; i++) {
		if (!replay_statement(a, &list->items[i], i)) {
			ok = 0;
			fail_at(a->res, list, i);
		}
	}
	/* A text that ends inside its own BEGIN: its rows were recorded, so the
	 * source committed it later; the final COMMIT releases the savepoint. */
	if (ok && a->in_block)
		ok = fire_deferred(a) && ask_gate(a) && commit_block(a, list->n);
	if (!ok && a->in_block) {
		a->in_block = 0;
		if (ds_db_exec(a->r->replay, "ROLLBACK") != 0)
			a->db_failed = 1;
	}
	if (!ok && a->undo.len) {
		borrow_capture(a->r);
		if (ds_db_exec(a->r->capture, ds_buf_cstr(&a->undo)) != 0)
			a->db_failed = 1;
	}
	ds_buf_free(&a->undo);
	if (!ok && !a->res->error && !a->retry && !a->gate_rc)
		a->res->error = ds_xstrdup(ds_error_last());
	a->res->ok = ok;
	return a->db_failed ? DS_EDB : a->gate_rc;
}

/* After the first attempt failed: does committing in steps make it run? */
static int needs_steps(const ds_stmt_list *list, const ds_replay_result *res)
{
	if (!res->sqlstate || res->statement_number < 1)
		return 0;
	if (strcmp(res->sqlstate, "55P04") == 0) /* unsafe use of a new enum value */
		return 1;
	/* invalid transaction termination: a COMMIT inside CALL or DO */
	return strcmp(res->sqlstate, "2D000") == 0 &&
	       (list->items[res->statement_number - 1].flags & DS_STMT_MAY_COMMIT);
}

/* Say in the error what stays in the shadow after a stepped change failed. */
static void note_steps(ds_replay_result *res)
{
	if (!res->stepped || res->ok || !res->error)
		return;
	ds_buf b = DS_BUF_INIT;
	ds_buf_puts(&b, res->error);
	if (res->committed == 1)
		ds_buf_puts(&b, " (replayed in steps, as the first attempt needed a commit;"
				" statement 1 was committed before the failure and stays in the shadow)");
	else if (res->committed)
		ds_buf_printf(&b,
			      " (replayed in steps, as the first attempt needed a commit; statements"
			      " 1 to %zu were committed before the failure and stay in the shadow)",
			      res->committed);
	else
		ds_buf_puts(&b, " (replayed in steps, as the first attempt needed a commit)");
	free(res->error);
	res->error = ds_buf_detach(&b);
}

int ds_replay_change(ds_replayer *r, const char *sql, ds_replay_result *res)
{
	ds_stmt_list list;
	memset(res, 0, sizeof *res);

	if (ds_stmt_split(&list, sql) != 0) {
		res->error = ds_xstrdup(ds_error_last());
		return 0;
	}
	res->nstatements = list.n;

	attempt a = {.r = r, .list = &list, .res = res};
	int rc = run_attempt(&a);
	int gate_failed = rc && a.gate_rc; /* the gate's own error, told as it is */
	if (rc == 0 && a.retry) {
		/* Rolled back: what the gate waits for sees the shadow without it. */
		rc = r->gate.flush(r->gate.payload);
		gate_failed = rc != 0;
		ds_replay_result_free(res);
		res->nstatements = list.n;
		a = (attempt){.r = r, .list = &list, .res = res, .no_retry = 1};
		if (rc == 0)
			rc = run_attempt(&a);
	}
	if (rc == 0 && !res->ok && needs_steps(&list, res)) {
		ds_replay_result_free(res);
		res->nstatements = list.n;
		res->stepped = 1;
		/* Its commits cannot be taken back: the gate cannot send it back. */
		if (r->gate.flush)
			rc = r->gate.flush(r->gate.payload);
		gate_failed = rc != 0;
		a = (attempt){.r = r, .list = &list, .res = res, .stepped = 1, .no_retry = 1};
		if (rc == 0)
			rc = run_attempt(&a);
		res->committed = res->ok ? list.n : a.committed;
		note_steps(res);
	}
	ds_stmt_list_free(&list);
	gate_failed = gate_failed || (rc && a.gate_rc);
	if (rc == 0)
		rc = send_reset(r);
	if (rc) {
		ds_replay_settle(r);
		PQclear(PQexec(r->replay, "ROLLBACK"));
		return gate_failed ? rc : ds_error_wrap(rc, "the shadow database failed");
	}
	return 0;
}

void ds_replay_result_free(ds_replay_result *res)
{
	free(res->statement);
	free(res->error);
	free(res->sqlstate);
	for (size_t i = 0; i < res->nrefused; i++)
		free(res->refusals[i].statement);
	free(res->refusals);
	memset(res, 0, sizeof *res);
}

int ds_replay_close(ds_replayer *r)
{
	int rc = 0;
	if (!r)
		return 0;
	if (r->replay)
		rc = ds_replay_settle(r); /* the last change's reset */
	if (r->replay)
		PQfinish(r->replay);
	if (r->capture)
		PQfinish(r->capture);
	if (r->admin && r->scratch) {
		rc = ds_replay_role_release(r->role, r->admin, r->scratch);
		char *ident = PQescapeIdentifier(r->admin, r->scratch, strlen(r->scratch));
		ds_buf sql = DS_BUF_INIT;
		ds_buf_printf(&sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", ident);
		int rc2 = ds_db_exec(r->admin, sql.ptr);
		if (rc2)
			rc = ds_error_wrap(rc2, "dropping the shadow database %s", r->scratch);
		ds_buf_free(&sql);
		PQfreemem(ident);
	}
	if (r->role) {
		int rc2 = ds_replay_role_free(r->role, r->admin);
		rc = rc ? rc : rc2;
	}
	if (r->admin)
		PQfinish(r->admin);
	free(r->notice);
	free(r->scratch);
	free(r);
	return rc;
}
