/*
 * stmt.h - split a history text into statements and classify them, on
 * PostgreSQL's own parse tree (libpg_query), never with regular expressions.
 *
 * pgGit v1 stores the whole query string the client sent, so one history
 * text may hold a migration file: its own BEGIN/COMMIT, DML and DDL. The
 * replayer owns transactions, so transaction control is dropped; plain DML
 * (INSERT, UPDATE, DELETE, MERGE, COPY) is not schema and is skipped;
 * everything else runs.
 */
#ifndef DDLSNAP_STMT_H
#define DDLSNAP_STMT_H

#include <stddef.h>

typedef enum {
	DS_STMT_RUN = 0,     /* replay it */
	DS_STMT_TRANSACTION, /* BEGIN, COMMIT, ROLLBACK, SAVEPOINT...: dropped */
	DS_STMT_DML,         /* data, not schema: skipped */
	DS_STMT_REFUSED,     /* reaches beyond the shadow: never executed (refuse.h) */
} ds_stmt_class;

typedef struct {
	char *sql;          /* the statement's text, trimmed, without a trailing ';' */
	const char *node;   /* parse node name, e.g. "CreateStmt" (static storage) */
	ds_stmt_class cls;
	int line;           /* 1-based line of the statement in the whole text */
	const char *refused; /* why it is DS_STMT_REFUSED (static storage), else NULL */
} ds_stmt;

typedef struct {
	ds_stmt *items;
	size_t n;
} ds_stmt_list;

/**
 * Parse text and split it into statements.
 * @param[out] out the statements (free with ds_stmt_list_free)
 * @return 0, or DS_EINVALID with PostgreSQL's syntax error and its line and
 *         column in the message
 */
int ds_stmt_split(ds_stmt_list *out, const char *text);

void ds_stmt_list_free(ds_stmt_list *list);

/** "run", "transaction control" or "DML". */
const char *ds_stmt_class_name(ds_stmt_class cls);

#endif
