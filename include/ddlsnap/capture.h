/*
 * capture.h - read a database's catalogs into normalized DDL, one object at
 * a time.
 *
 * The capturer runs on its own connection to the shadow database with an
 * empty search_path (so every name PostgreSQL prints is schema-qualified),
 * ISO dates and UTC, and produces a list of objects: schema, kind, name and
 * deterministic DDL text. Objects of kinds it cannot capture yet are listed
 * separately so the caller can warn about them; nothing is dropped silently.
 * Schemas pggit, pggit_v2, pggit_audit, the system schemas and objects that
 * belong to extensions are never captured.
 *
 * One file per kind in src/capture/, each with its queries in
 * sql/capture/<kind>[_<part>].sql.
 */
#ifndef DDLSNAP_CAPTURE_H
#define DDLSNAP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

/* What a capture includes beyond the schema itself. */
typedef struct {
	bool with_owners; /* ALTER ... OWNER TO in every object's text (--with-owners) */
} ds_capture_opts;

typedef struct {
	char *schema; /* schema name as in the catalog (unquoted); NULL for
		       * database-wide objects (extensions, event triggers...) */
	char *kind;   /* "schema", "table", "sequence", "view", "function", "procedure",
		       * "materialized_view", "aggregate", "operator", "cast"... */
	char *name;   /* unquoted name; functions: name(identity arguments) */
	char *ddl;    /* normalized DDL, ends with a newline */
	unsigned int oid; /* the object's OID in its catalog (the one whose
			   * blob this is: a table's, not its index's); 0 when
			   * unknown (a snapshot loaded from a store) */
} ds_object;

typedef struct {
	char *schema; /* NULL for database-wide objects (extensions, event triggers...) */
	char *kind;   /* e.g. "type", "materialized view", "trigger" */
	char *name;
} ds_skipped;

typedef struct {
	ds_object *objects;
	size_t nobjects, objects_cap;
	ds_skipped *skipped;
	size_t nskipped, skipped_cap;
} ds_capture;

/**
 * Prepare a connection for capture: empty search_path, ISO DateStyle,
 * postgres IntervalStyle, UTC, extra_float_digits 3.
 * @return 0 or DS_EDB
 */
int ds_capture_session_setup(PGconn *conn);

/**
 * Capture every tracked object of the database conn is connected to.
 * The caller runs ds_capture_session_setup on conn first (once).
 * @param opts NULL for the defaults (no owners)
 * @param[out] out filled (initialize with {0}; free with ds_capture_free);
 *             on failure it is freed and left zeroed
 * @return 0 or an error code with the kind that failed in the message
 */
int ds_capture_all(PGconn *conn, const ds_capture_opts *opts, ds_capture *out);

/*
 * What a scoped capture reads (incremental capture, see touched.h): the
 * objects by OID, with their parts (indexes, constraints... whose comments
 * and grants the holder's text carries), and the groups of kinds they
 * belong to, so kinds with nothing to read send no query.
 */
typedef struct {
	const char *oids;	    /* an oid[] literal: "{16390,16402}" */
	const char *const *groups;  /* "table", "view", "function"... (sql/touched/scope.sql) */
	size_t ngroups;
	/* where the scoped queries are prepared once (NULL: each is planned
	 * on every call) */
	struct ds_db_prepared_s *prepared;
	/* what each group's kinds queried the last time, to send it all in
	 * one round trip this time (NULL: one round trip per query; used
	 * only with prepared) */
	struct ds_capture_memo *memo;
} ds_capture_scope;

/* Learned by scoped captures, kept by their caller from one to the next. */
typedef struct ds_capture_memo ds_capture_memo;
ds_capture_memo *ds_capture_memo_new(void);
void ds_capture_memo_free(ds_capture_memo *m);
/**
 * Forget the tracked schemas the memo holds, after a capture that did not
 * use it (a whole one) and may have seen them change.
 */
void ds_capture_memo_forget_schemas(ds_capture_memo *m);
/** How many query results the captures took from a pipeline (not run by themselves). */
size_t ds_capture_memo_taken(const ds_capture_memo *m);

/**
 * Whether a scoped capture of group reads every object of its kind (a
 * database-wide kind: casts, extensions...; kinds not captured, "other").
 */
bool ds_capture_reads_whole(const char *group);

/**
 * Capture only the objects of scope (NULL: everything, as ds_capture_all).
 * Objects of the scope's groups whose OID is not in scope->oids are not
 * read, except database-wide kinds and kinds not captured, read whole.
 */
int ds_capture_scoped(PGconn *conn, const ds_capture_opts *opts, const ds_capture_scope *scope,
		      ds_capture *out);

void ds_capture_free(ds_capture *c);

/**
 * Print the warning for an object that is not captured:
 * "warning: <context>: <kind> <schema>.<name> is not captured yet" (context
 * may be NULL, e.g. "history 17").
 */
void ds_capture_warn_skipped(FILE *log, const char *context, const ds_skipped *s);

/** Used by the per-kind modules: take ownership of ddl. */
void ds_capture_add(ds_capture *c, unsigned long oid, const char *schema, const char *kind,
		    const char *name, char *ddl);
void ds_capture_add_skipped(ds_capture *c, const char *schema, const char *kind,
			    const char *name);

#endif
