/* db.c - libpq wrappers that speak the error model of error.h. */
#include "ddlsnap/db.h"

#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/error.h"

/* libpq messages end in a newline and may span lines; keep the first line. */
static void first_line(char *dst, size_t size, const char *msg)
{
	size_t n = strcspn(msg, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(dst, msg, n);
	dst[n] = '\0';
}

char *ds_db_message(PGconn *conn, const PGresult *res)
{
	char line[2048];
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	ds_buf b = DS_BUF_INIT;
	first_line(line, sizeof line, primary ? primary : conn ? PQerrorMessage(conn) : "no connection");
	ds_buf_puts(&b, line);
	if (detail && *detail) {
		/* "view a depends on table t\nview b depends on view a": one line */
		ds_buf_puts(&b, " (");
		for (const char *p = detail; *p; p++)
			if (*p != '\n')
				ds_buf_putc(&b, *p);
			else if (p[1])
				ds_buf_puts(&b, "; ");
		ds_buf_putc(&b, ')');
	}
	return ds_buf_detach(&b);
}

int ds_db_error(PGconn *conn, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	char *msg = ds_db_message(conn, res);
	int rc = state ? ds_error_setc(DS_EDB, "%s: %s (SQLSTATE %s)", what, msg, state) :
			 ds_error_setc(DS_EDB, "%s: %s", what, msg);
	free(msg);
	return rc;
}

int ds_db_connect(PGconn **out, const char *conninfo, const char *dbname)
{
	/* libpq expands the first dbname as a full conninfo string; a second
	 * dbname then overrides only the database name. */
	const char *keys[] = {"dbname", "dbname", "fallback_application_name", NULL};
	const char *vals[] = {conninfo ? conninfo : "", dbname, "ddlsnap", NULL};
	if (!dbname) {
		keys[1] = "fallback_application_name";
		vals[1] = "ddlsnap";
		keys[2] = NULL;
		vals[2] = NULL;
	}
	PGconn *conn = PQconnectdbParams(keys, vals, 1);
	if (!conn)
		return ds_error_setc(DS_EDB, "cannot connect: out of memory");
	if (PQstatus(conn) != CONNECTION_OK) {
		char msg[2048];
		first_line(msg, sizeof msg, PQerrorMessage(conn));
		PQfinish(conn);
		return ds_error_setc(DS_EDB, "cannot connect to %s: %s",
				     dbname ? dbname : "database", msg);
	}
	*out = conn;
	return 0;
}

int ds_db_exec(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = ds_db_error(conn, res, "statement failed");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	return 0;
}

static int run_params(PGconn *conn, PGresult **out, const char *sql, int nparams, const Oid *types,
		      const char *const *params, const int *lengths, const int *formats);

/* A query's result: kept in *out (or cleared when out is NULL), or an error. */
static int take_result(PGconn *conn, PGresult *res, PGresult **out)
{
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = ds_db_error(conn, res, "query failed");
		PQclear(res);
		return rc;
	}
	if (out)
		*out = res;
	else
		PQclear(res);
	return 0;
}

int ds_db_query(PGconn *conn, PGresult **out, const char *sql, int nparams,
		const char *const *params)
{
	return ds_db_query_params(conn, out, sql, nparams, params, NULL, NULL);
}

int ds_db_query_params(PGconn *conn, PGresult **out, const char *sql, int nparams,
		       const char *const *params, const int *lengths, const int *formats)
{
	return run_params(conn, out, sql, nparams, NULL, params, lengths, formats);
}

int ds_db_query_params_typed(PGconn *conn, PGresult **out, const char *sql, int nparams,
			     const Oid *types, const char *const *params)
{
	return run_params(conn, out, sql, nparams, types, params, NULL, NULL);
}

static int run_params(PGconn *conn, PGresult **out, const char *sql, int nparams, const Oid *types,
		      const char *const *params, const int *lengths, const int *formats)
{
	return take_result(
		conn, PQexecParams(conn, sql, nparams, types, params, lengths, formats, 0), out);
}

char *ds_db_conninfo_dbname(const char *conninfo)
{
	char *err = NULL;
	char *name = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo ? conninfo : "", &err);
	if (!opts) {
		PQfreemem(err);
		return NULL;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "dbname") == 0 && o->val && *o->val)
			name = ds_xstrdup(o->val);
	PQconninfoFree(opts);
	return name;
}

void ds_db_array_add(ds_buf *out, const char *elem)
{
	if (out->len > 0 && out->ptr[out->len - 1] != '{')
		ds_buf_putc(out, ',');
	ds_buf_putc(out, '"');
	for (const char *p = elem; *p; p++) {
		if (*p == '"' || *p == '\\')
			ds_buf_putc(out, '\\');
		ds_buf_putc(out, *p);
	}
	ds_buf_putc(out, '"');
}

char *ds_db_conninfo_redact(const char *conninfo)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo ? conninfo : "", &err);
	if (!opts) {
		PQfreemem(err);
		return ds_xstrdup("(unreadable connection string)");
	}
	ds_buf b = DS_BUF_INIT;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !*o->val || strcmp(o->keyword, "password") == 0)
			continue;
		ds_buf_printf(&b, "%s%s=%s", b.len ? " " : "", o->keyword, o->val);
	}
	PQconninfoFree(opts);
	return ds_buf_detach(&b);
}

/* Prepare key's statement on p->conn unless done; name gets its name. */
/* The number of key's statement in p, or p->n when it is not prepared. */
static size_t key_index(const ds_db_prepared *p, const char *key)
{
	size_t i = 0;
	while (i < p->n && p->keys[i] != key)
		i++;
	return i;
}

int ds_db_prepared_has(const ds_db_prepared *p, const char *key)
{
	return key_index(p, key) < p->n;
}

static int prepare_once(ds_db_prepared *p, char *name, size_t size, const char *key,
			const char *text, int nparams, const Oid *types)
{
	size_t i = key_index(p, key);
	/* unique per cache: several caches may share a connection */
	snprintf(name, size, "ds_%p_%zu", (void *)p, i);
	if (i < p->n)
		return 0;
	PGresult *res = PQprepare(p->conn, name, text ? text : key, nparams, types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int rc = ds_db_error(p->conn, res, "preparing a query failed");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	p->keys = ds_xrealloc(p->keys, (p->n + 1) * sizeof *p->keys);
	p->keys[p->n++] = key;
	return 0;
}

int ds_db_query_prepared(ds_db_prepared *p, PGresult **out, const char *key, const char *text,
			 int nparams, const Oid *types, const char *const *params)
{
	char name[64];
	int rc = prepare_once(p, name, sizeof name, key, text, nparams, types);
	if (rc)
		return rc;
	return take_result(p->conn, PQexecPrepared(p->conn, name, nparams, params, NULL, NULL, 0),
			   out);
}

int ds_db_take(PGconn *conn, PGresult *res, PGresult **out)
{
	return take_result(conn, res, out);
}

static int send_item(PGconn *conn, const ds_db_pipe_item *it)
{
	if (!it->p)
		return PQsendQueryParams(conn, it->key, it->nparams, it->types, it->params, NULL,
					 NULL, 0);
	char name[64];
	/* prepared before the pipeline began: this only finds the name */
	if (prepare_once(it->p, name, sizeof name, it->key, it->text, it->nparams, it->types))
		return 0;
	return PQsendQueryPrepared(conn, name, it->nparams, it->params, NULL, NULL, 0);
}

/*
 * Read the results of the first n items up to the pipeline's sync. Each
 * statement's results end with a NULL; the sync's result ends them all.
 * More NULLs than statements means the connection failed.
 */
static int collect(PGconn *conn, ds_db_pipe_item *items, size_t n)
{
	size_t i = 0;
	for (;;) {
		PGresult *res = PQgetResult(conn);
		if (!res) {
			if (i++ < n)
				continue;
			return ds_db_error(conn, NULL, "reading a pipeline's results failed");
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			return i == n ? 0 : ds_db_error(conn, NULL, "a pipeline ended early");
		}
		if (i < n && !items[i].res)
			items[i].res = res;
		else
			PQclear(res);
		if (PQstatus(conn) == CONNECTION_BAD)
			return ds_db_error(conn, NULL, "reading a pipeline's results failed");
	}
}

int ds_db_pipeline(PGconn *conn, ds_db_pipe_item *items, size_t n)
{
	char name[64];
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		items[i].res = NULL;
		/* PQprepare cannot run inside a pipeline, and a PQsendPrepare
		 * lost to an aborted pipeline would leave the cache wrong */
		if (!rc && items[i].p)
			rc = prepare_once(items[i].p, name, sizeof name, items[i].key,
					  items[i].text, items[i].nparams, items[i].types);
	}
	if (rc)
		return rc;
	if (!PQenterPipelineMode(conn))
		return ds_db_error(conn, NULL, "starting a pipeline failed");
	size_t sent = 0;
	while (sent < n && send_item(conn, &items[sent]))
		sent++;
	if (sent < n)
		rc = ds_db_error(conn, NULL, "sending a query failed");
	/* Without its sync the server would answer nothing: do not wait. */
	if (!PQpipelineSync(conn)) {
		if (!rc)
			rc = ds_db_error(conn, NULL, "sending a pipeline failed");
	} else {
		int crc = collect(conn, items, sent);
		if (!rc)
			rc = crc;
	}
	if (!PQexitPipelineMode(conn) && !rc)
		rc = ds_db_error(conn, NULL, "ending a pipeline failed");
	if (rc)
		for (size_t i = 0; i < n; i++) {
			PQclear(items[i].res);
			items[i].res = NULL;
		}
	return rc;
}

void ds_db_prepared_free(ds_db_prepared *p)
{
	free(p->keys);
	memset(p, 0, sizeof *p);
}
