/*
 * capture.c - the capture driver: session settings, the list of tracked
 * schemas, the table of kinds, and the capture result (see capture.h).
 *
 * Captured kinds, in the order they are added to the result: schemas,
 * The kinds run in the order of the table below; each adds its objects
 * (the snapshot sorts them by path). Everything else of the tracked
 * schemas, and database-wide objects not captured, are listed as skipped
 * by uncaptured.c. Not done here: a consistent snapshot across the kind
 * queries when the database changes during capture (the shadow database
 * does not; ddlsnap snapshot wraps the call in a REPEATABLE READ
 * transaction).
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

/*
 * The kinds, in the order their objects appear in ds_capture.objects, with
 * the group a scoped capture names them by (sql/touched/scope.sql's grp).
 */
static const struct {
	const char *what; /* for messages: "capturing <what>" */
	const char *group;
	int (*capture)(ds_capture_ctx *ctx);
} kinds[] = {
	{ "schemas", "schema", ds_capture_schema },
	{ "sequences", "sequence", ds_capture_sequence },
	{ "collations", "collation", ds_capture_collation },
	{ "types", "type", ds_capture_type },
	{ "domains", "domain", ds_capture_domain },
	{ "functions", "function", ds_capture_function },
	{ "tables", "table", ds_capture_table },
	{ "views", "view", ds_capture_view },
	{ "materialized views", "matview", ds_capture_matview },
	{ "aggregates", "aggregate", ds_capture_aggregate },
	{ "operators", "operator", ds_capture_operator },
	{ "operator families", "opfamily", ds_capture_opfamily },
	{ "operator classes", "opclass", ds_capture_opclass },
	{ "casts", "cast", ds_capture_cast },
	{ "statistics objects", "statistics", ds_capture_statistics },
	{ "text search dictionaries", "ts_dict", ds_capture_ts_dict },
	{ "text search configurations", "ts_config", ds_capture_ts_config },
	{ "extensions", "extension", ds_capture_extension },
	{ "foreign-data wrappers", "foreign_data_wrapper", ds_capture_foreign_data_wrapper },
	{ "foreign servers", "server", ds_capture_server },
	{ "foreign tables", "foreign_table", ds_capture_foreign_table },
	{ "publications", "publication", ds_capture_publication },
	{ "event triggers", "event_trigger", ds_capture_event_trigger },
	{ "default privileges", "default_privileges", ds_capture_default_privileges },
	{ "uncaptured objects", "other", ds_capture_uncaptured },
};

static bool in_scope(const ds_capture_scope *scope, const char *group)
{
	if (!scope)
		return true;
	for (size_t i = 0; i < scope->ngroups; i++)
		if (strcmp(scope->groups[i], group) == 0)
			return true;
	return false;
}

#define NKINDS (sizeof kinds / sizeof kinds[0])
/* The steps of a scoped capture: kinds[0..NKINDS-1], then the attachments. */
#define STEP_ATTACH NKINDS

/* Typed, so a query that reads no scope (database-wide kinds, read whole)
 * may leave $2 unused. 1028 is oid[]. */
static const Oid param_types[2] = { 1028, 1028 };

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
	query_list steps[NKINDS + 1];
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
	for (size_t i = 0; i < NKINDS + 1; i++)
		free(m->steps[i].v);
	free(m->nsp_oids);
	free(m);
}

static void list_add(query_list *l, query_ref q)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = ds_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = q;
}

static char *scoped_text(const char *sql);

/*
 * Send every query the steps of scope ran the last time, in one round
 * trip; with tracked, schema_tracked.sql first, its result left there.
 */
static int pipe_send(ds_capture_ctx *ctx, const ds_capture_scope *scope, ds_capture_pipe *pipe,
		     PGresult **tracked)
{
	const ds_capture_memo *m = scope->memo;
	size_t first = tracked ? 1 : 0;
	size_t total = first + m->steps[STEP_ATTACH].n;
	for (size_t i = 0; i < NKINDS; i++)
		if (in_scope(scope, kinds[i].group))
			total += m->steps[i].n;
	if (total == 0)
		return 0;
	const char *scoped_params[2] = { ctx->nsp_oids, ctx->scope_oids };
	const char *whole_params[2] = { ctx->nsp_oids, NULL };
	ds_db_pipe_item *items = ds_xcalloc(total, sizeof *items);
	pipe->items = ds_xcalloc(total, sizeof *pipe->items);
	if (tracked)
		items[0] = (ds_db_pipe_item){ ctx->prepared, ds_sql_capture_schema_tracked };
	for (size_t i = 0; i <= NKINDS; i++) {
		if (i < NKINDS && !in_scope(scope, kinds[i].group))
			continue;
		for (size_t k = 0; k < m->steps[i].n; k++) {
			query_ref q = m->steps[i].v[k];
			items[first + pipe->n] =
				(ds_db_pipe_item){ q.scoped ? ctx->prepared : NULL,
						   q.key,
						   q.scoped ? scoped_text(q.key) : NULL,
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
static void pipe_free(ds_capture_pipe *pipe)
{
	for (size_t i = 0; i < pipe->n; i++)
		PQclear(pipe->items[i].res);
	free(pipe->items);
	free(pipe->record.v);
	memset(pipe, 0, sizeof *pipe);
}

/* Run one step, and remember what it queried for the next scoped capture. */
static int run_step(ds_capture_ctx *ctx, ds_capture_memo *m, size_t step,
		    int (*fn)(ds_capture_ctx *ctx))
{
	if (ctx->pipe)
		ctx->pipe->record.n = 0;
	int rc = fn(ctx);
	if (rc == 0 && ctx->pipe && m) {
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

static int resolve_tracked(ds_capture_ctx *ctx, PGresult **out)
{
	PGresult *res = NULL;
	int rc = ctx->prepared ?
			 ds_db_query_prepared(ctx->prepared, &res, ds_sql_capture_schema_tracked,
					      NULL, 0, NULL, NULL) :
			 ds_db_query(ctx->conn, &res, ds_sql_capture_schema_tracked, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "resolving the tracked schemas");
	return take_tracked(ctx->conn, res, out);
}

/*
 * Resolve the tracked schemas ($1 of every kind query) into *tracked and
 * send the kind queries ahead. A change seldom adds or drops a tracked
 * schema, so the queries go with the last capture's schemas in the round
 * trip that resolves them, and again only when they differ.
 */
static int pipe_start(ds_capture_ctx *ctx, const ds_capture_scope *scope, ds_capture_pipe *pipe,
		      PGresult **tracked)
{
	ds_capture_memo *m = scope->memo;
	int rc;
	if (m->nsp_oids) {
		PGresult *res = NULL;
		ctx->nsp_oids = m->nsp_oids;
		rc = pipe_send(ctx, scope, pipe, &res);
		if (rc)
			return ds_error_wrap(rc, "reading the objects in scope");
		rc = take_tracked(ctx->conn, res, tracked);
		if (rc)
			return rc;
		ctx->nsp_oids = PQgetvalue(*tracked, 0, 0);
		if (strcmp(ctx->nsp_oids, m->nsp_oids) == 0)
			return 0;
		pipe_free(pipe);
	} else {
		rc = resolve_tracked(ctx, tracked);
		if (rc)
			return rc;
		ctx->nsp_oids = PQgetvalue(*tracked, 0, 0);
	}
	free(m->nsp_oids);
	m->nsp_oids = ds_xstrdup(ctx->nsp_oids);
	rc = pipe_send(ctx, scope, pipe, NULL);
	return rc ? ds_error_wrap(rc, "reading the objects in scope") : 0;
}

int ds_capture_session_setup(PGconn *conn)
{
	int rc = ds_db_query(conn, NULL, ds_sql_capture_session, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "preparing the capture session");
	return 0;
}

int ds_capture_all(PGconn *conn, const ds_capture_opts *opts, ds_capture *out)
{
	return ds_capture_scoped(conn, opts, NULL, out);
}

int ds_capture_scoped(PGconn *conn, const ds_capture_opts *opts, const ds_capture_scope *scope,
		      ds_capture *out)
{
	static const ds_capture_opts defaults = { 0 };
	ds_capture_ctx ctx = { .conn = conn,
			       .scope_oids = scope ? scope->oids : NULL,
			       .prepared = scope ? scope->prepared : NULL,
			       .opts = opts ? opts : &defaults,
			       .out = out };
	PGresult *res = NULL; /* the tracked schemas; ctx.nsp_oids points into it */
	ds_capture_pipe pipe = { 0 };
	ds_capture_memo *memo = scope && scope->prepared ? scope->memo : NULL;
	int rc;
	if (memo) {
		ctx.pipe = &pipe;
		rc = pipe_start(&ctx, scope, &pipe, &res);
	} else {
		rc = resolve_tracked(&ctx, &res);
		if (!rc)
			ctx.nsp_oids = PQgetvalue(res, 0, 0);
	}
	if (!rc)
		rc = run_step(&ctx, memo, STEP_ATTACH, ds_capture_attach_gather);
	for (size_t i = 0; !rc && i < NKINDS; i++) {
		if (!in_scope(scope, kinds[i].group))
			continue;
		/* Kinds not captured are looked for everywhere: they are rare,
		 * and uncaptured.sql reads by schema, not by object. */
		const char *oids = ctx.scope_oids;
		if (strcmp(kinds[i].group, "other") == 0)
			ctx.scope_oids = NULL;
		rc = run_step(&ctx, memo, i, kinds[i].capture);
		ctx.scope_oids = oids;
		if (rc) {
			ds_error_wrap(rc, "capturing %s", kinds[i].what);
			break;
		}
	}
	ds_capture_attach_free(&ctx);
	if (memo)
		memo->taken += pipe.taken;
	pipe_free(&pipe);
	PQclear(res);
	/* A partial capture would look like a schema with objects dropped. */
	if (rc)
		ds_capture_free(out);
	return rc;
}

void ds_capture_free(ds_capture *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nobjects; i++) {
		free(c->objects[i].schema);
		free(c->objects[i].kind);
		free(c->objects[i].name);
		free(c->objects[i].ddl);
	}
	free(c->objects);
	for (size_t i = 0; i < c->nskipped; i++) {
		free(c->skipped[i].schema);
		free(c->skipped[i].kind);
		free(c->skipped[i].name);
	}
	free(c->skipped);
	memset(c, 0, sizeof *c);
}

void ds_capture_warn_skipped(FILE *log, const char *context, const ds_skipped *s)
{
	fprintf(log, "warning: %s%s%s %s%s%s is not captured yet\n", context ? context : "",
		context ? ": " : "", s->kind, s->schema ? s->schema : "", s->schema ? "." : "",
		s->name);
}

void ds_capture_add(ds_capture *c, unsigned long oid, const char *schema, const char *kind,
		    const char *name, char *ddl)
{
	if (c->nobjects == c->objects_cap) {
		c->objects_cap = c->objects_cap ? 2 * c->objects_cap : 32;
		c->objects = ds_xrealloc(c->objects, c->objects_cap * sizeof *c->objects);
	}
	ds_object *o = &c->objects[c->nobjects++];
	o->schema = schema ? ds_xstrdup(schema) : NULL;
	o->kind = ds_xstrdup(kind);
	o->name = ds_xstrdup(name);
	o->ddl = ddl;
	o->oid = (unsigned int)oid;
}

void ds_capture_object(ds_capture_ctx *ctx, ds_buf *b, const char *catalog, unsigned long oid,
		       const char *schema, const char *kind, const char *name)
{
	ds_capture_attach(ctx, b, catalog, oid);
	ds_capture_add(ctx->out, oid, schema, kind, name, ds_buf_detach(b));
}

/* schema is NULL for database-wide objects (extensions, event triggers...). */
void ds_capture_add_skipped(ds_capture *c, const char *schema, const char *kind, const char *name)
{
	if (c->nskipped == c->skipped_cap) {
		c->skipped_cap = c->skipped_cap ? 2 * c->skipped_cap : 32;
		c->skipped = ds_xrealloc(c->skipped, c->skipped_cap * sizeof *c->skipped);
	}
	ds_skipped *s = &c->skipped[c->nskipped++];
	s->schema = schema ? ds_xstrdup(schema) : NULL;
	s->kind = ds_xstrdup(kind);
	s->name = ds_xstrdup(name);
}

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
		char *text = scoped_text(sql);
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
