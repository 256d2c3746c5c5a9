/*
 * checkout.h - write a snapshot back into an empty database.
 *
 *   commit (git repository or v2 store) -> tree -> blobs
 *     -> statements (libpg_query) -> phases -> executed in one transaction
 *
 * Every blob of a snapshot holds one object's normalized DDL as ordinary
 * statements. The checkout splits each blob into statements and puts every
 * statement in a phase, from its parse tree, the way pg_dump orders a dump:
 * schemas, extensions, definitions (types, functions, tables, views...),
 * post-data (indexes, constraints, triggers...), decorations (owners,
 * comments, privileges) and event triggers last. Within a phase the
 * statements run in a fixed order (step of the phase, then object path),
 * each in a savepoint; one that fails is retried after the others until a
 * pass makes no progress, so dependencies the order cannot know (a view on
 * a view, a function used in a column default) sort themselves out. All of
 * it runs in one transaction: the target gets the whole snapshot or nothing.
 * docs/checkout.md describes the phases and the decisions.
 */
#ifndef DDLSNAP_CHECKOUT_H
#define DDLSNAP_CHECKOUT_H

#include <stddef.h>
#include <stdio.h>

#include "ddlsnap/gitobj.h"

typedef enum {
	DS_PHASE_SCHEMAS = 0,
	DS_PHASE_EXTENSIONS,
	DS_PHASE_DEFINITIONS,
	DS_PHASE_POST_DATA,
	DS_PHASE_DECORATIONS,
	DS_PHASE_EVENT_TRIGGERS,
	DS_PHASE_COUNT
} ds_checkout_phase;

/* Where one statement goes. */
typedef struct {
	ds_checkout_phase phase;
	int step; /* order within the whole checkout: steps increase with phases */
	const char *what; /* the step's name, e.g. "foreign key" (static storage) */
	int creates_public; /* the statement is CREATE SCHEMA public */
} ds_checkout_class;

/**
 * Classify one statement (its text must hold exactly one) from its parse
 * tree.
 * @return 0, or DS_EINVALID when it does not parse or is not something a
 *         snapshot holds (transaction control, DML, roles, databases, DO...),
 *         with the reason in the message
 */
int ds_checkout_classify(const char *sql, ds_checkout_class *out);

/** "schemas", "extensions", "definitions", "post-data", "decorations", "event triggers". */
const char *ds_checkout_phase_name(ds_checkout_phase phase);

typedef struct {
	const char *git_dir; /* read the commit from this bare repository, or */
	const char *store; /* from the v2 store of this database (--target) */
	const char *rev; /* full SHA, unique prefix, branch name (git: any revision) */
	const char *into; /* conninfo of the empty database to write */
	int quiet; /* no progress lines */
	FILE *log; /* progress and the statements that do not apply */
} ds_checkout_opts;

typedef enum {
	DS_CHECKOUT_OK = 0,
	DS_CHECKOUT_BAD_REQUEST, /* unknown or ambiguous REV, no store, target not empty */
	DS_CHECKOUT_NOT_APPLIED, /* the snapshot does not apply; nothing was written */
	DS_CHECKOUT_FATAL, /* connection or I/O error; nothing was written */
} ds_checkout_outcome;

typedef struct {
	ds_checkout_outcome outcome;
	ds_oid commit;
	ds_oid tree;
	size_t objects; /* blobs in the snapshot */
	size_t statements; /* statements executed */
	size_t retried; /* statements that applied only when retried */
	size_t failed; /* statements that never applied (outcome NOT_APPLIED) */
	size_t per_phase[DS_PHASE_COUNT];
	int public_kept; /* the target's public schema was kept for the snapshot's */
	int public_dropped; /* the snapshot has no public schema: the target's was dropped */
	double seconds;
} ds_checkout_stats;

/**
 * Check a commit out into an empty database.
 * @return 0, or an error code with stats->outcome saying which kind of
 *         failure it is (the failing statements are listed on opts->log)
 */
int ds_checkout_run(const ds_checkout_opts *opts, ds_checkout_stats *stats);

#endif
