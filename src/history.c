/* history.c - the v1 history reader and grouper (see history.h). */
#include "ddlsnap/history.h"

#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

#define FETCH_ROWS 500 /* keep in step with the FETCH below */

enum { COL_ID, COL_CREATED_AT, COL_EPOCH, COL_CREATED_BY, COL_SQL, COL_DESCRIPTION };

struct ds_history {
	PGconn *conn;
	PGresult *rows; /* the current fetch */
	int next;       /* next unread row of rows */
	int done;       /* the cursor is exhausted */
	int has_archive;
};

int ds_history_probe(PGconn *source, int *has_archive)
{
	PGresult *res;
	int rc = ds_db_query(source, &res, ds_sql_source_tables, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading the source");
	int has_history = PQgetvalue(res, 0, 0)[0] == 't';
	*has_archive = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	if (!has_history)
		return ds_error_setc(DS_ENOTFOUND, "the source database %s has no pggit.history table",
				     PQdb(source));
	return 0;
}

char *ds_history_sql(const char *sql, int has_archive)
{
	static const char token[] = "pggit_history_rows";
	static const char both[] =
		"(SELECT id, object_id, change_type, change_description, sql_executed,"
		" old_metadata, new_metadata, created_at, created_by FROM pggit.history"
		" UNION ALL"
		" SELECT id, object_id, change_type, change_description, sql_executed,"
		" old_metadata, new_metadata, created_at, created_by FROM pggit.history_archive)";
	ds_buf b = DS_BUF_INIT;
	for (const char *p = sql, *hit; *p; p = hit + sizeof token - 1) {
		hit = strstr(p, token);
		if (!hit) {
			ds_buf_puts(&b, p);
			break;
		}
		ds_buf_put(&b, p, (size_t)(hit - p));
		ds_buf_puts(&b, has_archive ? both : "pggit.history");
	}
	return ds_buf_detach(&b);
}

/* Run a query over the v1 rows (ds_history_sql). */
static int query_history(PGconn *conn, PGresult **out, const char *sql, int has_archive)
{
	char *text = ds_history_sql(sql, has_archive);
	int rc = ds_db_query(conn, out, text, 0, NULL);
	free(text);
	return rc;
}

int ds_history_open(ds_history **out, PGconn *source)
{
	int has_archive;
	int rc = ds_history_probe(source, &has_archive);
	if (rc)
		return rc;

	rc = ds_db_exec(source, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc == 0)
		rc = query_history(source, NULL, ds_sql_source_history, has_archive);
	if (rc) {
		PQclear(PQexec(source, "ROLLBACK"));
		return ds_error_wrap(rc, "reading pggit.history");
	}
	ds_history *h = ds_xcalloc(1, sizeof *h);
	h->conn = source;
	h->has_archive = has_archive;
	*out = h;
	return 0;
}

int ds_history_count(ds_history *h, int64_t *rows)
{
	PGresult *res = NULL;
	int rc = query_history(h->conn, &res, ds_sql_source_count, h->has_archive);
	if (rc)
		return ds_error_wrap(rc, "counting the history rows");
	*rows = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

int ds_history_has_archive(const ds_history *h)
{
	return h->has_archive;
}

/* Make sure a row is available; @return 1, 0 at the end, or an error. */
static int fill(ds_history *h)
{
	if (h->rows && h->next < PQntuples(h->rows))
		return 1;
	if (h->done)
		return 0;
	PQclear(h->rows);
	h->rows = NULL;
	h->next = 0;
	int rc = ds_db_query(h->conn, &h->rows, "FETCH 500 ddlsnap_history",
			     0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading pggit.history");
	if (PQntuples(h->rows) < FETCH_ROWS)
		h->done = 1;
	return PQntuples(h->rows) > 0;
}

static char *value(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : ds_xstrdup(PQgetvalue(r, row, col));
}

static int same(PGresult *r, int row, int col, const char *v)
{
	if (PQgetisnull(r, row, col))
		return v == NULL;
	return v && strcmp(PQgetvalue(r, row, col), v) == 0;
}

static void add_row(ds_group *g, PGresult *r, int row)
{
	g->ids = ds_xrealloc(g->ids, (g->nids + 1) * sizeof *g->ids);
	g->descriptions = ds_xrealloc(g->descriptions, (g->nids + 1) * sizeof *g->descriptions);
	g->ids[g->nids] = strtoll(PQgetvalue(r, row, COL_ID), NULL, 10);
	g->descriptions[g->nids] = value(r, row, COL_DESCRIPTION);
	g->nids++;
}

int ds_history_next(ds_history *h, ds_group *out)
{
	memset(out, 0, sizeof *out);
	int rc = fill(h);
	if (rc <= 0)
		return rc;

	PGresult *r = h->rows;
	int row = h->next++;
	out->sql = value(r, row, COL_SQL);
	out->created_by = value(r, row, COL_CREATED_BY);
	out->created_at = value(r, row, COL_CREATED_AT);
	out->has_epoch = !PQgetisnull(r, row, COL_EPOCH);
	out->epoch = out->has_epoch ? strtoll(PQgetvalue(r, row, COL_EPOCH), NULL, 10) : 0;
	add_row(out, r, row);

	/* A row without SQL stays alone: there is nothing to tie it to. */
	while (out->sql) {
		rc = fill(h);
		if (rc < 0) {
			ds_group_free(out);
			return rc;
		}
		if (rc == 0)
			break;
		r = h->rows;
		row = h->next;
		if (!same(r, row, COL_SQL, out->sql) || !same(r, row, COL_CREATED_BY, out->created_by) ||
		    !same(r, row, COL_CREATED_AT, out->created_at))
			break;
		add_row(out, r, row);
		h->next++;
	}
	return 1;
}

void ds_history_close(ds_history *h)
{
	if (!h)
		return;
	PQclear(h->rows);
	PQclear(PQexec(h->conn, "ROLLBACK"));
	free(h);
}

void ds_group_free(ds_group *g)
{
	for (size_t i = 0; i < g->nids; i++)
		free(g->descriptions[i]);
	free(g->descriptions);
	free(g->ids);
	free(g->sql);
	free(g->created_by);
	free(g->created_at);
	memset(g, 0, sizeof *g);
}

char *ds_group_ids_text(const ds_group *g)
{
	ds_buf b = DS_BUF_INIT;
	int contiguous = 1;
	for (size_t i = 1; i < g->nids; i++)
		if (g->ids[i] != g->ids[i - 1] + 1)
			contiguous = 0;
	if (g->nids == 0)
		ds_buf_puts(&b, "(none)");
	else if (g->nids == 1)
		ds_buf_printf(&b, "%lld", (long long)g->ids[0]);
	else if (contiguous)
		ds_buf_printf(&b, "%lld-%lld", (long long)g->ids[0],
			      (long long)g->ids[g->nids - 1]);
	else if (g->nids <= 4) {
		for (size_t i = 0; i < g->nids; i++)
			ds_buf_printf(&b, "%s%lld", i ? ", " : "", (long long)g->ids[i]);
	} else
		ds_buf_printf(&b, "%lld, %lld and %zu more", (long long)g->ids[0],
			      (long long)g->ids[1], g->nids - 2);
	return ds_buf_detach(&b);
}
