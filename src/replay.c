/* replay.c - runs history changes in the shadow database (see replay.h). */
#include "ddlsnap/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	ds_replay_role *role; /* runs history SQL in a scratch shadow */
	char *notice;
};

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

PGconn *ds_replay_capture_conn(ds_replayer *r)
{
	return r->capture;
}

static char *field(const PGresult *res, int code)
{
	const char *v = PQresultErrorField(res, code);
	return v ? ds_xstrdup(v) : NULL;
}

/*
 * An allowed statement the replay role may not run (CREATE EXTENSION of an
 * untrusted extension on the allow-list, an allowed event trigger) runs on
 * the caller's connection; undo collects what drops it again if the change
 * rolls back. @return 1 when it ran there, 0 when it is the role's, -1 failed
 */
static int run_privileged(ds_replayer *r, const ds_stmt *s, ds_replay_result *res, ds_buf *undo)
{
	char *drop = NULL;
	int need = ds_replay_role_needs_privilege(r->replay, r->capture, s, &drop);
	if (need == 0)
		return 0;
	if (need > 0 && ds_replay_role_run_privileged(r->replay, r->capture, s) == 0) {
		ds_buf_printf(undo, "%s;", drop);
		free(drop);
		return 1;
	}
	free(drop);
	res->error = ds_xstrdup(ds_error_last());
	return -1;
}

/* Run one statement inside the change's savepoint; @return 1 on success. */
static int run_statement(ds_replayer *r, const ds_stmt *s, ds_replay_result *res)
{
	/* The extended protocol refuses more than one statement per call:
	 * a second line of defence behind the parser's split. */
	PGresult *pr = PQexecParams(r->replay, s->sql, 0, NULL, NULL, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(pr);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(pr);
		return 1;
	}
	const char *msg = PQresultErrorField(pr, PG_DIAG_MESSAGE_PRIMARY);
	if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
		res->error = ds_xstrdup("COPY cannot be replayed from a history row");
	} else {
		res->error = ds_xstrdup(msg ? msg : PQerrorMessage(r->replay));
		res->sqlstate = field(pr, PG_DIAG_SQLSTATE);
	}
	PQclear(pr);
	return 0;
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

	int rc = ds_db_exec(r->replay, "BEGIN; SAVEPOINT ddlsnap_change");
	int ok = rc == 0;
	ds_buf undo = DS_BUF_INIT;
	for (size_t i = 0; i < list.n && ok; i++) {
		const ds_stmt *s = &list.items[i];
		int priv = 0;
		if (s->cls == DS_STMT_TRANSACTION) {
			res->skipped_transaction++;
		} else if (s->cls == DS_STMT_DML) {
			res->skipped_dml++;
		} else if (s->cls == DS_STMT_REFUSED && s->refused == ds_refuse_owner_change) {
			res->skipped_owner++;
		} else if (s->cls == DS_STMT_REFUSED) {
			add_refusal(res, i, s);
		} else if (r->role && (priv = run_privileged(r, s, res, &undo)) != 0) {
			if (priv > 0) {
				res->executed++;
			} else {
				ok = 0;
				res->statement_number = (int)i + 1;
				res->statement_line = s->line;
				res->statement = ds_xstrdup(s->sql);
			}
		} else if (run_statement(r, s, res)) {
			res->executed++;
		} else {
			ok = 0;
			res->statement_number = (int)i + 1;
			res->statement_line = s->line;
			res->statement = ds_xstrdup(s->sql);
		}
	}
	ds_stmt_list_free(&list);
	if (rc == 0 && !ok)
		rc = ds_db_exec(r->replay, "ROLLBACK TO SAVEPOINT ddlsnap_change");
	if (rc == 0 && !ok && undo.len)
		rc = ds_db_exec(r->capture, ds_buf_cstr(&undo));
	ds_buf_free(&undo);
	if (rc == 0)
		rc = ds_db_exec(r->replay, "RELEASE SAVEPOINT ddlsnap_change; COMMIT");
	/* SET search_path, SET ROLE... in one change must not leak into the next. */
	if (rc == 0)
		rc = ds_db_exec(r->replay, "RESET ALL; RESET ROLE; SET client_min_messages = warning");
	if (rc) {
		PQclear(PQexec(r->replay, "ROLLBACK"));
		return ds_error_wrap(rc, "the shadow database failed");
	}
	res->ok = ok;
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
		PQfinish(r->replay);
	if (r->role && r->capture && PQstatus(r->capture) == CONNECTION_OK)
		rc = ds_replay_role_drop_owned(r->role, r->capture);
	if (r->capture)
		PQfinish(r->capture);
	if (r->admin && r->scratch) {
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
