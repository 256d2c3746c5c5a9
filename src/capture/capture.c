/*
 * capture.c - the capture driver: session settings, the table of kinds,
 * which of them a scope runs, and the capture result (see capture.h);
 * query.c runs their queries.
 *
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
	bool whole; /* its query reads every object of the kind, whatever the scope */
} kinds[] = {
	{ "schemas", "schema", ds_capture_schema, false },
	{ "sequences", "sequence", ds_capture_sequence, false },
	{ "collations", "collation", ds_capture_collation, false },
	{ "types", "type", ds_capture_type, false },
	{ "domains", "domain", ds_capture_domain, false },
	{ "functions", "function", ds_capture_function, false },
	{ "tables", "table", ds_capture_table, false },
	{ "views", "view", ds_capture_view, false },
	{ "materialized views", "matview", ds_capture_matview, false },
	{ "aggregates", "aggregate", ds_capture_aggregate, false },
	{ "operators", "operator", ds_capture_operator, false },
	{ "operator families", "opfamily", ds_capture_opfamily, false },
	{ "operator classes", "opclass", ds_capture_opclass, false },
	{ "casts", "cast", ds_capture_cast, true },
	{ "statistics objects", "statistics", ds_capture_statistics, false },
	{ "text search dictionaries", "ts_dict", ds_capture_ts_dict, false },
	{ "text search configurations", "ts_config", ds_capture_ts_config, false },
	{ "extensions", "extension", ds_capture_extension, true },
	{ "foreign-data wrappers", "foreign_data_wrapper", ds_capture_foreign_data_wrapper, true },
	{ "foreign servers", "server", ds_capture_server, true },
	{ "foreign tables", "foreign_table", ds_capture_foreign_table, false },
	{ "publications", "publication", ds_capture_publication, true },
	{ "event triggers", "event_trigger", ds_capture_event_trigger, true },
	{ "default privileges", "default_privileges", ds_capture_default_privileges, true },
	{ "uncaptured objects", "other", ds_capture_uncaptured, true },
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

bool ds_capture_reads_whole(const char *group)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].group, group) == 0)
			return kinds[i].whole;
	return false;
}
/* The steps of a scoped capture (query.c learns what each one queries):
 * kinds[0..NKINDS-1], then the attachments, one step for each of their
 * queries (ds_capture_attach_sql's number): a scope of other groups sends
 * another one. */
#define STEP_ATTACH NKINDS

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
	ds_capture_memo *memo = scope && scope->prepared ? scope->memo : NULL;
	size_t attach_step;
	ctx.attach_sql = ds_capture_attach_sql(scope, &attach_step);
	attach_step += STEP_ATTACH;
	int rc;
	if (memo) {
		size_t steps[NKINDS + 1], nsteps = 0;
		steps[nsteps++] = attach_step;
		for (size_t i = 0; i < NKINDS; i++)
			if (in_scope(scope, kinds[i].group))
				steps[nsteps++] = i;
		rc = ds_capture_pipe_start(&ctx, memo, steps, nsteps,
					   in_scope(scope, "schema") || in_scope(scope, "extension"),
					   &res);
	} else {
		rc = ds_capture_resolve_tracked(&ctx, &res);
	}
	if (!rc)
		rc = ds_capture_run_step(&ctx, memo, attach_step, ds_capture_attach_gather);
	for (size_t i = 0; !rc && i < NKINDS; i++) {
		if (!in_scope(scope, kinds[i].group))
			continue;
		/* Kinds not captured are looked for everywhere: they are rare,
		 * and uncaptured.sql reads by schema, not by object. */
		const char *oids = ctx.scope_oids;
		if (strcmp(kinds[i].group, "other") == 0)
			ctx.scope_oids = NULL;
		rc = ds_capture_run_step(&ctx, memo, i, kinds[i].capture);
		ctx.scope_oids = oids;
		if (rc) {
			ds_error_wrap(rc, "capturing %s", kinds[i].what);
			break;
		}
	}
	ds_capture_attach_free(&ctx);
	ds_capture_pipe_end(&ctx, memo);
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
