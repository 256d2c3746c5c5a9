/*
 * stmt.h - split a history text into statements and classify them, on
 * PostgreSQL's own parse tree (libpg_query), never with regular expressions.
 *
 * pgGit v1 stores the whole query string the client sent, so one history
 * text may hold a migration file: its own BEGIN/COMMIT, DML and DDL, CREATE
 * INDEX CONCURRENTLY, VACUUM. The classes say what the replayer does with
 * each statement (docs/replay.md):
 *
 *   RUN          runs (DDL, SET, DO, CALL, SELECT of set_config...); the
 *                replayer cuts a CONCURRENTLY that cannot run in a
 *                transaction block out of the text first (flag
 *                DS_STMT_CONCURRENTLY; the shadow has no concurrent users)
 *   TRANSACTION  BEGIN, COMMIT, SAVEPOINT...: not executed as written, the
 *                replayer owns the transaction and emulates the text's own
 *                blocks with savepoints (txn says which statement it is)
 *   DML          INSERT, UPDATE, DELETE, MERGE, COPY, PREPARE/EXECUTE,
 *                cursors: data, skipped unless the replay runs DML
 *   QUERY        SELECT, VALUES, SHOW, EXPLAIN: skipped unless it calls a
 *                function that is not built in (the replayer asks the shadow,
 *                funcs lists the names called)
 *   MAINTENANCE  VACUUM, ANALYZE, REINDEX, CLUSTER of everything, CHECKPOINT,
 *                DISCARD, LOCK, LISTEN/NOTIFY: no schema effect, skipped
 *   UNSUPPORTED  two-phase commit (PREPARE TRANSACTION, COMMIT/ROLLBACK
 *                PREPARED): the change fails before anything runs
 */
#ifndef DDLSNAP_STMT_H
#define DDLSNAP_STMT_H

#include <stddef.h>

typedef enum {
	DS_STMT_RUN = 0,
	DS_STMT_TRANSACTION,
	DS_STMT_DML,
	DS_STMT_QUERY,
	DS_STMT_MAINTENANCE,
	DS_STMT_UNSUPPORTED,
	DS_STMT_REFUSED,     /* reaches beyond the shadow: never executed (refuse.h) */
} ds_stmt_class;

/* Which transaction-control statement (DS_STMT_TRANSACTION only). */
typedef enum {
	DS_TXN_NONE = 0,
	DS_TXN_BEGIN,        /* BEGIN, START TRANSACTION */
	DS_TXN_COMMIT,       /* COMMIT, END */
	DS_TXN_COMMIT_CHAIN, /* COMMIT AND CHAIN */
	DS_TXN_ROLLBACK,     /* ROLLBACK, ABORT */
	DS_TXN_ROLLBACK_CHAIN,
	DS_TXN_SAVEPOINT,    /* SAVEPOINT, RELEASE, ROLLBACK TO: run as written inside a block */
	DS_TXN_SETTING,      /* SET TRANSACTION ..., SET SESSION CHARACTERISTICS: dropped */
} ds_txn_kind;

/* Flags of a RUN statement. */
enum {
	DS_STMT_CONCURRENTLY = 1 << 0,     /* runs without its CONCURRENTLY (ds_stmt_cut_concurrently) */
	DS_STMT_ADDS_ENUM_VALUE = 1 << 1,  /* ALTER TYPE ... ADD VALUE */
	DS_STMT_MAY_COMMIT = 1 << 2,       /* CALL or DO: may COMMIT inside */
	DS_STMT_SETS_CONFIG = 1 << 3,      /* a query that calls set_config() */
};

typedef struct {
	char *nsp;  /* schema named in the call, NULL when unqualified */
	char *name;
} ds_stmt_func;

typedef struct {
	char *sql;          /* the statement's text, trimmed, without a trailing ';' */
	const char *node;   /* parse node name, e.g. "CreateStmt" (static storage) */
	ds_stmt_class cls;
	ds_txn_kind txn;
	unsigned flags;
	int line;           /* 1-based line of the statement in the whole text */
	ds_stmt_func *funcs; /* DS_STMT_QUERY: the functions it calls, each name once */
	size_t nfuncs;
	const char *refused; /* why it is DS_STMT_REFUSED (static storage), else NULL */
} ds_stmt;

typedef struct {
	ds_stmt *items;
	size_t n;
} ds_stmt_list;

/**
 * Parse text and split it into classified statements.
 * @param[out] out the statements (free with ds_stmt_list_free)
 * @return 0, or DS_EINVALID with PostgreSQL's syntax error and its line and
 *         column in the message
 */
int ds_stmt_split(ds_stmt_list *out, const char *text);

void ds_stmt_list_free(ds_stmt_list *list);

/** "run", "transaction control", "DML", "query", "maintenance" or "unsupported". */
const char *ds_stmt_class_name(ds_stmt_class cls);

/**
 * The statement's text without its CONCURRENTLY keyword, found with
 * PostgreSQL's scanner (a quoted "concurrently" is an identifier and stays).
 * @return a malloc'd copy, or NULL when the text has no such keyword
 */
char *ds_stmt_cut_concurrently(const char *sql);

#endif
