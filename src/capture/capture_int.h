/*
 * capture_int.h - what the per-kind capture modules share (private to
 * src/capture/).
 *
 * ds_capture_all() in capture.c resolves the tracked schemas once and runs
 * one ds_capture_<kind>() per object kind from a table. Each kind lives in
 * its own file with its SQL in sql/capture/<kind>*.sql and works as pg_dump
 * does: a gather pass reads the catalog rows into structs, an emit pass
 * turns the structs into normalized DDL and adds it to ctx->out.
 *
 * Every kind query takes the tracked schemas as $1::oid[], the objects to
 * read as $2::oid[] (NULL: all; database-wide kinds read all anyway), and
 * ends with an
 * explicit ORDER BY on names COLLATE "C", so the objects and their text do
 * not depend on OIDs, creation order or the database's collation.
 */
#ifndef DDLSNAP_CAPTURE_INT_H
#define DDLSNAP_CAPTURE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/capture.h"

typedef struct ds_attach ds_attach;

typedef struct {
	PGconn *conn;
	const char *nsp_oids; /* "{2200,16390}": the tracked schemas, $1 of every kind query */
	/* "{16390,16402}": the objects to read, $2 of every kind query; NULL
	 * reads all (ds_capture_scoped) */
	const char *scope_oids;
	struct ds_db_prepared_s *prepared; /* scoped queries prepared once (may be NULL) */
	const ds_capture_opts *opts; /* never NULL here */
	ds_attach *attach; /* comments, grants and owners, by object (attach.c) */
	const char *attach_sql; /* the query that reads them (ds_capture_attach_sql) */
	/* results sent ahead in one pipeline and what the running kind
	 * queries (query.c); NULL but in a scoped capture with a memo */
	struct ds_capture_pipe *pipe;
	ds_capture *out;
} ds_capture_ctx;

/* One per kind; each returns 0 or an error code with the message set. */
int ds_capture_schema(ds_capture_ctx *ctx);
int ds_capture_collation(ds_capture_ctx *ctx);
int ds_capture_type(ds_capture_ctx *ctx);
int ds_capture_domain(ds_capture_ctx *ctx);
int ds_capture_sequence(ds_capture_ctx *ctx);
int ds_capture_function(ds_capture_ctx *ctx);
int ds_capture_table(ds_capture_ctx *ctx);
int ds_capture_view(ds_capture_ctx *ctx);
int ds_capture_matview(ds_capture_ctx *ctx);
int ds_capture_aggregate(ds_capture_ctx *ctx);
int ds_capture_operator(ds_capture_ctx *ctx);
int ds_capture_opfamily(ds_capture_ctx *ctx);
int ds_capture_opclass(ds_capture_ctx *ctx);
int ds_capture_cast(ds_capture_ctx *ctx);
int ds_capture_statistics(ds_capture_ctx *ctx);
int ds_capture_ts_dict(ds_capture_ctx *ctx);
int ds_capture_ts_config(ds_capture_ctx *ctx);
int ds_capture_extension(ds_capture_ctx *ctx);
int ds_capture_foreign_data_wrapper(ds_capture_ctx *ctx);
int ds_capture_server(ds_capture_ctx *ctx);
int ds_capture_foreign_table(ds_capture_ctx *ctx);
int ds_capture_publication(ds_capture_ctx *ctx);
int ds_capture_event_trigger(ds_capture_ctx *ctx);
int ds_capture_default_privileges(ds_capture_ctx *ctx);
int ds_capture_uncaptured(ds_capture_ctx *ctx);

/*
 * Attachments (attach.c): the statements that decorate an object rather
 * than create it, read once for the whole database before the kinds run:
 *
 *   COMMENT ON ... IS '...';          the object's and its parts' comments
 *   GRANT ... / REVOKE ...;           privileges that differ from the default
 *   ALTER ... OWNER TO ...;           only with opts->with_owners
 *
 * Each is filed under the object whose blob holds it: a column's,
 * constraint's, index's, trigger's, rule's or policy's comment under its
 * table (or view, materialized view, foreign table), a domain constraint's
 * under its domain. A kind module calls ds_capture_attach() at the end of
 * an object's text with the object's catalog and OID.
 */
int ds_capture_attach_gather(ds_capture_ctx *ctx);

/**
 * The query ds_capture_attach_gather runs for a capture of scope: for a
 * scope, attach.sql without the branches that serve none of its groups
 * (built once per set of branches, and kept), numbered 1, 2... in the
 * order first asked for; attach.sql itself, number 0, without a scope.
 */
const char *ds_capture_attach_sql(const ds_capture_scope *scope, size_t *number);
void ds_capture_attach_free(ds_capture_ctx *ctx);

/**
 * Append the attached statements of the object (catalog, objid), e.g.
 * ("pg_class", relid), ("pg_proc", funcid), ("pg_type", typid), in a fixed
 * order: comments, privileges, owner. Appends nothing when there are none.
 */
void ds_capture_attach(ds_capture_ctx *ctx, ds_buf *b, const char *catalog, unsigned long objid);

/**
 * The end of every object: append its attachments to b (ds_capture_attach)
 * and add it to the result, taking b's text. catalog/oid name the object
 * whose blob this is; incremental capture replaces objects by that OID.
 */
void ds_capture_object(ds_capture_ctx *ctx, ds_buf *b, const char *catalog, unsigned long oid,
		       const char *schema, const char *kind, const char *name);

/*
 * Running the queries (query.c).
 */

/**
 * Resolve the tracked schemas (schema_tracked.sql) into *out and point
 * ctx->nsp_oids into it. @return 0 or an error code
 */
int ds_capture_resolve_tracked(ds_capture_ctx *ctx, PGresult **out);

/**
 * As ds_capture_resolve_tracked, and send ahead in the same round trip
 * every query that steps[0..nsteps-1] ran the last time (learned by
 * ds_capture_run_step into memo): ds_capture_query then takes their
 * results. Call ds_capture_pipe_end afterwards, whatever this returns.
 * Unless schemas_may_change (the scope holds a schema or an extension), the
 * memo's tracked schemas are taken as they are, without a query (*tracked
 * is then NULL).
 */
int ds_capture_pipe_start(ds_capture_ctx *ctx, ds_capture_memo *memo, const size_t *steps,
			  size_t nsteps, int schemas_may_change, PGresult **tracked);

/** Clear what no step took, and count what was taken in memo. */
void ds_capture_pipe_end(ds_capture_ctx *ctx, ds_capture_memo *memo);

/**
 * Run fn, a step of a capture (a kind, or the attachments), numbered step
 * by the caller; with memo and a pipeline, remember what it queried, to be
 * sent ahead next time. @return fn's result
 */
int ds_capture_run_step(ds_capture_ctx *ctx, ds_capture_memo *memo, size_t step,
			int (*fn)(ds_capture_ctx *ctx));


/**
 * Run one capture query with $1 = ctx->nsp_oids, and find the result
 * columns named names[0..n-1], storing their numbers in idx. A missing
 * column means a .sql file and its C reader disagree.
 * @param[out] res the result, to PQclear; NULL on failure
 * @return 0, DS_EDB, or DS_ERROR for a missing column
 */
int ds_capture_query(ds_capture_ctx *ctx, PGresult **res, const char *sql,
		     const char *const *names, size_t n, int *idx);

/** The value at (row, col), or NULL when it is SQL NULL. */
const char *ds_capture_get(const PGresult *res, int row, int col);

/** A boolean column: true only for 't'. */
bool ds_capture_get_bool(const PGresult *res, int row, int col);

/** An oid column (relation ids used to group rows); 0 when NULL. */
unsigned long ds_capture_get_oid(const PGresult *res, int row, int col);

/*
 * Sequences (sequence.c), shared with table.c: a sequence owned by a column
 * of a captured table is rendered inside that table's text, with the same
 * function as a standalone sequence.
 */
typedef struct {
	unsigned long oid;
	const char *schema; /* unquoted */
	const char *name; /* unquoted */
	const char *qualified; /* schema.name, quoted where needed */
	unsigned long owner_relid; /* table owning the sequence; 0: standalone */
	const char *owner_column; /* schema.table.column, quoted where needed */
	bool unlogged;
	const char *type; /* smallint, integer or bigint */
	const char *start;
	const char *increment;
	const char *min;
	const char *max;
	const char *cache;
	bool cycle;
} ds_seq;

typedef struct {
	PGresult *res; /* the strings of items point into it */
	ds_seq *items;
	size_t n;
} ds_seq_list;

/** Read every non-identity sequence of the tracked schemas, by name. */
int ds_capture_sequence_gather(ds_capture_ctx *ctx, ds_seq_list *out);
void ds_capture_sequence_list_free(ds_seq_list *list);

/** Append "CREATE SEQUENCE ...;\n" with every option spelled out. */
void ds_capture_sequence_render(ds_buf *b, const ds_seq *seq);

#endif
