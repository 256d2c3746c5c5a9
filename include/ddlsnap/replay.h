/*
 * replay.h - the replayer: runs history text in the shadow database.
 *
 * The shadow is a scratch database created on the source server (dropped
 * when the replayer closes) or an empty database the user names. Each change
 * runs in its own transaction inside a savepoint: its statements are split
 * and classified on the parse tree (stmt.h), transaction control and DML
 * are not executed, and on the first failing statement the change is rolled
 * back to the savepoint and reported; the shadow is then exactly as before
 * the change. Session settings made by a change are reset after it.
 *
 * The text's own BEGIN/COMMIT/ROLLBACK/SAVEPOINT are emulated with
 * savepoints inside the change's transaction. A change that fails because
 * PostgreSQL needs a real commit (a new enum value used after ADD VALUE,
 * SQLSTATE 55P04; a procedure or DO block that COMMITs, 2D000) is retried
 * once "in steps": committed after its ADD VALUE statements, CALL and DO
 * run outside a transaction block. What that costs: docs/replay.md.
 */
#ifndef DDLSNAP_REPLAY_H
#define DDLSNAP_REPLAY_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

typedef struct ds_replayer ds_replayer;

/* A statement the refusal list kept from running (refuse.h). */
typedef struct {
	int number;       /* 1-based position in the change */
	int line;         /* its line in the text */
	const char *reason; /* static storage */
	char *statement;  /* malloc'd */
} ds_refusal;

typedef struct {
	int ok;               /* 1 when every statement ran */
	int statement_number; /* failing statement, 1-based; 0: the text did not parse */
	int statement_line;   /* its line in the text */
	size_t nstatements;
	char *statement; /* the failing statement (malloc'd) */
	char *error;     /* PostgreSQL's or the parser's message (malloc'd) */
	char *sqlstate;  /* malloc'd, NULL for parse errors */
	size_t executed, skipped_transaction, skipped_dml;
	size_t skipped_query;       /* SELECT, SHOW...: no user function, no set_config */
	size_t skipped_maintenance; /* VACUUM, ANALYZE, REINDEX, CHECKPOINT...: no schema effect */
	size_t concurrently;        /* statements run without their CONCURRENTLY */
	int stepped;                /* replayed in steps (second attempt) */
	size_t committed;           /* stepped and failed: statements whose effect stays */
	ds_refusal *refusals; /* refused statements, not executed; the others ran */
	size_t nrefused;
	size_t skipped_owner; /* ALTER ... OWNER TO, not executed (not converted) */
} ds_replay_result;

/**
 * Open the shadow. With shadow_conninfo NULL, create a scratch database on
 * the server of source_conninfo.
 * @return 0, DS_EINVALID when a named shadow is not empty, or DS_EDB
 */
int ds_replay_open(ds_replayer **out, const char *source_conninfo, const char *shadow_conninfo);

/** Run DML (INSERT, UPDATE, DELETE, MERGE, PREPARE/EXECUTE) and every
 * SELECT instead of skipping them (--replay-dml). COPY never runs: the
 * history holds no data for it. */
void ds_replay_set_dml(ds_replayer *r, int on);
/**
 * Something the caller should print once after opening (a named shadow
 * whose user is a superuser), or NULL.
 */
const char *ds_replay_notice(const ds_replayer *r);

/**
 * Print one warning per refused statement of a change: the history ids,
 * statement k of n, its line, the reason and the statement's start.
 */
void ds_replay_report_refusals(FILE *log, const char *ids, const ds_replay_result *res);

/** A second connection to the shadow, for capture (owned by the replayer). */
PGconn *ds_replay_capture_conn(ds_replayer *r);

/**
 * Wait for the session reset the last change sent, which runs while the
 * caller goes on: call it before reading the shadow on the capture
 * connection after a change. The reset's DISCARD TEMP can change permanent
 * objects (a default that took a temporary sequence's nextval()), and no
 * event trigger sees it. @return 0, or DS_EDB when the reset failed
 */
int ds_replay_settle(ds_replayer *r);

/** The user history SQL runs as (the replay role, or the named shadow's user). */
const char *ds_replay_user(ds_replayer *r);

/*
 * The gate: called on the replay connection right before a change's final
 * COMMIT, with the change's work done and not yet visible to other
 * connections. It returns 0 to commit, 1 when the change must wait for
 * what other connections read of the shadow as it is without it: the
 * change is then rolled back (what ran on the capture connection dropped
 * again), flush is called, and the change runs again (the gate must then
 * say 0). A change that needs real commits inside it (replayed in steps)
 * calls flush before its first commit. Either returns an error code to
 * stop the run. borrow is called before a change uses the capture
 * connection (a privileged statement, its undo), which a capture in
 * another thread may be using. Incremental capture across several changes
 * uses it (docs/incremental.md).
 */
typedef struct {
	int (*gate)(void *payload, PGconn *replay);
	int (*flush)(void *payload);
	void (*borrow)(void *payload);
	void *payload;
} ds_replay_gate;

/** Set (or with NULL clear) the gate of the following changes. */
void ds_replay_set_gate(ds_replayer *r, const ds_replay_gate *gate);

/**
 * Replay one change. A failing change is not an error of this function.
 * @param[out] res the outcome (free with ds_replay_result_free)
 * @return 0, DS_EDB when the shadow itself failed (connection lost), or
 *         the gate's error
 */
int ds_replay_change(ds_replayer *r, const char *sql, ds_replay_result *res);

void ds_replay_result_free(ds_replay_result *res);

/** Close the connections and drop a scratch shadow. @return 0 or DS_EDB */
int ds_replay_close(ds_replayer *r);

#endif
