/*
 * query.c - how capture queries reach the server: one at a time (a full
 * capture), prepared once with generic plans (a scoped capture), or sent
 * ahead all together in one libpq pipeline (a scoped capture of a group
 * captured before), and the helpers that read their results.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

/* Typed, so a query that reads no scope (database-wide kinds, read whole)
 * may leave $2 unused. 1028 is oid[]. */
static const Oid param_types[2] = { 1028, 1028 };

/*
 * The text of a kind query as prepared for scoped captures: without the
 * "$2::oid[] IS NULL OR " tests, so its generic plan (prepared once, run
 * after every change) reads the scope's objects by their OID index instead
 * of scanning the catalogs.
 */
static char *scoped_text(const char *sql)
{
	static const char test[] = "$2::oid[] IS NULL OR ";
	ds_buf b = DS_BUF_INIT;
	for (const char *p = sql, *hit; *p; p = hit + sizeof test - 1) {
		hit = strstr(p, test);
		if (!hit) {
			ds_buf_puts(&b, p);
			break;
		}
		ds_buf_put(&b, p, (size_t)(hit - p));
	}
	return ds_buf_detach(&b);
}

/* The text to prepare a scoped query with; NULL once it is prepared. */
static char *text_to_prepare(const ds_capture_ctx *ctx, const char *sql)
{
	return ds_db_prepared_has(ctx->prepared, sql) ? NULL : scoped_text(sql);
}

/* A kind query as ds_capture_query runs it: prepared for a scope, or not. */
typedef struct {
	const char *key; /* the sql/ text's address */
	bool scoped;
} query_ref;

typedef struct {
	query_ref *v;
	size_t n, cap;
} query_list;

/*
 * Pipelining learns rather than lists: what a step queried the last time
 * is what it is sent ahead next time (a step run for the first time runs
 * a query at a time), so the kind modules stay the one place that says
 * what they read, and a query they no longer make is only a wasted result.
 */
struct ds_capture_memo {
	query_list *steps; /* by step number (capture.c numbers them) */
	size_t nsteps;
	char *nsp_oids; /* the tracked schemas of the last capture */
	size_t taken; /* results the kinds took from a pipeline, all captures */
};

typedef struct {
	query_ref q;
	PGresult *res; /* NULL once taken */
} prefetched;

typedef struct ds_capture_pipe {
	prefetched *items;
	size_t n;
	query_list record; /* what the running step queried */
	size_t taken; /* results sent ahead that a kind took */
} ds_capture_pipe;

ds_capture_memo *ds_capture_memo_new(void)
{
	return ds_xcalloc(1, sizeof(ds_capture_memo));
}

size_t ds_capture_memo_taken(const ds_capture_memo *m)
{
	return m ? m->taken : 0;
}

void ds_capture_memo_free(ds_capture_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nsteps; i++)
		free(m->steps[i].v);
	free(m->steps);
	free(m->nsp_oids);
	free(m);
}

void ds_capture_memo_forget_schemas(ds_capture_memo *m)
{
	if (!m)
		return;
	free(m->nsp_oids);
	m->nsp_oids = NULL;
}

static void list_add(query_list *l, query_ref q)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = ds_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = q;
}

/*
 * Send every query steps[0..nsteps-1] ran the last time, in one round
 * trip; with tracked, schema_tracked.sql first, its result left there.
 */
static int pipe_send(ds_capture_ctx *ctx, const ds_capture_memo *m, const size_t *steps,
		     size_t nsteps, PGresult **tracked)
{
	ds_capture_pipe *pipe = ctx->pipe;
	size_t first = tracked ? 1 : 0;
	size_t total = first;
	for (size_t s = 0; s < nsteps; s++)
		if (steps[s] < m->nsteps)
			total += m->steps[steps[s]].n;
	if (total == 0)
		return 0;
	const char *scoped_params[2] = { ctx->nsp_oids, ctx->scope_oids };
	const char *whole_params[2] = { ctx->nsp_oids, NULL };
	ds_db_pipe_item *items = ds_xcalloc(total, sizeof *items);
	pipe->items = ds_xcalloc(total, sizeof *pipe->items);
	if (tracked)
		items[0] = (ds_db_pipe_item){ ctx->prepared, ds_sql_capture_schema_tracked };
	for (size_t s = 0; s < nsteps; s++) {
		const query_list *l = steps[s] < m->nsteps ? &m->steps[steps[s]] : NULL;
		for (size_t k = 0; l && k < l->n; k++) {
			query_ref q = l->v[k];
			items[first + pipe->n] =
				(ds_db_pipe_item){ q.scoped ? ctx->prepared : NULL,
						   q.key,
						   q.scoped ? text_to_prepare(ctx, q.key) : NULL,
						   2,
						   param_types,
						   q.scoped ? scoped_params : whole_params,
						   NULL };
			pipe->items[pipe->n++].q = q;
		}
	}
	int rc = ds_db_pipeline(ctx->conn, items, total);
	if (tracked)
		*tracked = items[0].res;
	for (size_t i = 0; i < pipe->n; i++) {
		free((char *)items[first + i].text);
		pipe->items[i].res = items[first + i].res;
	}
	free(items);
	return rc;
}

/* The result sent ahead for q, or NULL; and note that the step ran q. */
static PGresult *pipe_take(ds_capture_pipe *pipe, query_ref q)
{
	list_add(&pipe->record, q);
	for (size_t i = 0; i < pipe->n; i++) {
		prefetched *p = &pipe->items[i];
		if (p->res && p->q.key == q.key && p->q.scoped == q.scoped) {
			PGresult *res = p->res;
			p->res = NULL;
			return res;
		}
	}
	return NULL;
}

/* Clears the results no step took (a step that queries less than before). */
static void pipe_clear(ds_capture_pipe *pipe)
{
	for (size_t i = 0; i < pipe->n; i++)
		PQclear(pipe->items[i].res);
	free(pipe->items);
	pipe->items = NULL;
	pipe->n = 0;
}

int ds_capture_run_step(ds_capture_ctx *ctx, ds_capture_memo *m, size_t step,
			int (*fn)(ds_capture_ctx *ctx))
{
	if (ctx->pipe)
		ctx->pipe->record.n = 0;
	int rc = fn(ctx);
	if (rc == 0 && ctx->pipe && m) {
		if (step >= m->nsteps) {
			m->steps = ds_xrealloc(m->steps, (step + 1) * sizeof *m->steps);
			memset(m->steps + m->nsteps, 0, (step + 1 - m->nsteps) * sizeof *m->steps);
			m->nsteps = step + 1;
		}
		query_list learned = ctx->pipe->record;
		ctx->pipe->record = m->steps[step];
		m->steps[step] = learned;
	}
	return rc;
}

/* schema_tracked.sql's result (taken): the oid[] literal in its one row. */
static int take_tracked(PGconn *conn, PGresult *res, PGresult **out)
{
	int rc = ds_db_take(conn, res, out);
	if (rc)
		return ds_error_wrap(rc, "resolving the tracked schemas");
	if (PQntuples(*out) != 1 || PQgetisnull(*out, 0, 0)) {
		PQclear(*out);
		*out = NULL;
		return ds_error_setc(DS_EDB, "resolving the tracked schemas: no result");
	}
	return 0;
}

int ds_capture_resolve_tracked(ds_capture_ctx *ctx, PGresult **out)
{
	PGresult *res = NULL;
	int rc = ctx->prepared ?
			 ds_db_query_prepared(ctx->prepared, &res, ds_sql_capture_schema_tracked,
					      NULL, 0, NULL, NULL) :
			 ds_db_query(ctx->conn, &res, ds_sql_capture_schema_tracked, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "resolving the tracked schemas");
	rc = take_tracked(ctx->conn, res, out);
	if (rc == 0)
		ctx->nsp_oids = PQgetvalue(*out, 0, 0);
	return rc;
}

/*
 * A change seldom adds or drops a tracked schema, so the queries go with
 * the last capture's schemas in the round trip that resolves them, and
 * again only when they differ.
 */
int ds_capture_pipe_start(ds_capture_ctx *ctx, ds_capture_memo *m, const size_t *steps,
			  size_t nsteps, int schemas_may_change, PGresult **tracked)
{
	int rc;
	ctx->pipe = ds_xcalloc(1, sizeof *ctx->pipe);
	*tracked = NULL;
	/* Only a change to a schema or an extension changes which schemas are
	 * tracked: schema_tracked.sql reads every schema (0.7 ms a change with
	 * 1,000 of them), and most changes touch neither. */
	if (m->nsp_oids && !schemas_may_change) {
		ctx->nsp_oids = m->nsp_oids;
		rc = pipe_send(ctx, m, steps, nsteps, NULL);
		return rc ? ds_error_wrap(rc, "reading the objects in scope") : 0;
	}
	if (m->nsp_oids) {
		PGresult *res = NULL;
		ctx->nsp_oids = m->nsp_oids;
		rc = pipe_send(ctx, m, steps, nsteps, &res);
		if (rc)
			return ds_error_wrap(rc, "reading the objects in scope");
		rc = take_tracked(ctx->conn, res, tracked);
		if (rc)
			return rc;
		ctx->nsp_oids = PQgetvalue(*tracked, 0, 0);
		if (strcmp(ctx->nsp_oids, m->nsp_oids) == 0)
			return 0;
		pipe_clear(ctx->pipe);
	} else {
		rc = ds_capture_resolve_tracked(ctx, tracked);
		if (rc)
			return rc;
	}
	free(m->nsp_oids);
	m->nsp_oids = ds_xstrdup(ctx->nsp_oids);
	rc = pipe_send(ctx, m, steps, nsteps, NULL);
	return rc ? ds_error_wrap(rc, "reading the objects in scope") : 0;
}

void ds_capture_pipe_end(ds_capture_ctx *ctx, ds_capture_memo *m)
{
	if (!ctx->pipe)
		return;
	if (m)
		m->taken += ctx->pipe->taken;
	pipe_clear(ctx->pipe);
	free(ctx->pipe->record.v);
	free(ctx->pipe);
	ctx->pipe = NULL;
}

int ds_capture_query(ds_capture_ctx *ctx, PGresult **res, const char *sql,
		     const char *const *names, size_t n, int *idx)
{
	const char *params[2] = { ctx->nsp_oids, ctx->scope_oids };
	query_ref q = { sql, ctx->scope_oids && ctx->prepared };
	PGresult *ahead = ctx->pipe ? pipe_take(ctx->pipe, q) : NULL;
	int rc;
	/* An aborted one did not run (an earlier query of the pipeline
	 * failed, and its step reports that): run it here as if not sent. */
	if (ahead && PQresultStatus(ahead) != PGRES_PIPELINE_ABORTED) {
		ctx->pipe->taken++;
		rc = ds_db_take(ctx->conn, ahead, res);
	} else if (q.scoped) {
		PQclear(ahead);
		char *text = text_to_prepare(ctx, sql);
		rc = ds_db_query_prepared(ctx->prepared, res, sql, text, 2, param_types, params);
		free(text);
	} else {
		PQclear(ahead);
		rc = ds_db_query_params_typed(ctx->conn, res, sql, 2, param_types, params);
	}
	if (rc) {
		*res = NULL;
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		idx[i] = PQfnumber(*res, names[i]);
		if (idx[i] < 0) {
			PQclear(*res);
			*res = NULL;
			return ds_error_set("query result has no column \"%s\"", names[i]);
		}
	}
	return 0;
}

const char *ds_capture_get(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

bool ds_capture_get_bool(const PGresult *res, int row, int col)
{
	const char *v = ds_capture_get(res, row, col);
	return v && v[0] == 't';
}

unsigned long ds_capture_get_oid(const PGresult *res, int row, int col)
{
	const char *v = ds_capture_get(res, row, col);
	return v ? strtoul(v, NULL, 10) : 0;
}
