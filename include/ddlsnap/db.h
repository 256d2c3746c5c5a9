/*
 * db.h - the one way ddlsnap talks to PostgreSQL.
 *
 * Thin wrappers over libpq that turn failures into the error model of
 * error.h: connect with a conninfo string or URI (PG* variables and .pgpass
 * work as in psql), run a statement with parameters, never with names
 * pasted into the SQL.
 */
#ifndef DDLSNAP_DB_H
#define DDLSNAP_DB_H

#include <libpq-fe.h>

#include "ddlsnap/buf.h"

/**
 * Connect. When dbname is not NULL it replaces the database named by
 * conninfo (the rest of conninfo, host, user, password..., is kept).
 * @param[out] out the connection, to close with PQfinish
 * @return 0 or DS_EDB
 */
int ds_db_connect(PGconn **out, const char *conninfo, const char *dbname);

/** Run one or more statements that return no rows. @return 0 or DS_EDB */
int ds_db_exec(PGconn *conn, const char *sql);

/**
 * Run one statement with text parameters ($1...). On success *out (when
 * out is not NULL) holds the result, to free with PQclear.
 * @return 0 or DS_EDB with PostgreSQL's message and SQLSTATE
 */
int ds_db_query(PGconn *conn, PGresult **out, const char *sql, int nparams,
		const char *const *params);

/**
 * As ds_db_query, with explicit lengths and formats (1 = binary) per
 * parameter, for bytea values such as object bodies. lengths and formats
 * may be NULL for all-text parameters.
 */
int ds_db_query_params(PGconn *conn, PGresult **out, const char *sql, int nparams,
		       const char *const *params, const int *lengths, const int *formats);

/** As ds_db_query, with the parameters' types given (an unused one is then allowed). */
int ds_db_query_params_typed(PGconn *conn, PGresult **out, const char *sql, int nparams,
			     const Oid *types, const char *const *params);

/**
 * PostgreSQL's message for a failed result, on one line: the primary
 * message, then its DETAIL in parentheses when there is one ("cannot drop
 * table t because other objects depend on it (view v depends on table t)").
 * Without a result (or without a message in it), the connection's message.
 * @return a string to free
 */
char *ds_db_message(PGconn *conn, const PGresult *res);

/**
 * Set the error text from a failed result or connection: "what: message
 * (SQLSTATE xxxxx)", the message as ds_db_message gives it.
 * @return DS_EDB
 */
int ds_db_error(PGconn *conn, const PGresult *res, const char *what);

/*
 * Statements prepared once on one connection and run many times (the
 * queries of incremental capture, run after every change): no parse or
 * plan per run. Keyed by the SQL text's address (the embedded sql/ files).
 */
typedef struct ds_db_prepared_s {
	PGconn *conn;
	const char **keys;
	size_t n;
} ds_db_prepared;

/**
 * Run key's statement on p->conn, preparing it the first time from text
 * (NULL: key itself) with the given parameter types.
 * @return 0 or DS_EDB with PostgreSQL's message
 */
int ds_db_query_prepared(ds_db_prepared *p, PGresult **out, const char *key, const char *text,
			 int nparams, const Oid *types, const char *const *params);

/** Whether key's statement is prepared in p already (its text is then not needed). */
int ds_db_prepared_has(const ds_db_prepared *p, const char *key);

void ds_db_prepared_free(ds_db_prepared *p);

/**
 * A result as ds_db_query hands it over: kept in *out (cleared when out is
 * NULL) when it holds rows or a command's completion, otherwise cleared
 * and turned into DS_EDB with PostgreSQL's message. Takes res.
 */
int ds_db_take(PGconn *conn, PGresult *res, PGresult **out);

/*
 * Several statements sent in one round trip (libpq pipeline mode), for
 * queries whose parameters are known before any of them runs.
 */
typedef struct {
	ds_db_prepared *p; /* run as key's statement prepared in p; NULL: key is the SQL */
	const char *key;
	const char *text; /* the text to prepare (NULL: key), as ds_db_query_prepared */
	int nparams;
	const Oid *types;
	const char *const *params;
	PGresult *res; /* out: the statement's result, to hand to ds_db_take or PQclear */
} ds_db_pipe_item;

/**
 * Run items[0..n-1] on conn in one pipeline, preparing first (one round
 * trip each, outside the pipeline) the statements p has not prepared yet.
 * Each statement's result, whatever its status, is left in its res: a
 * statement that failed has PGRES_FATAL_ERROR and the ones after it, not
 * run, PGRES_PIPELINE_ABORTED (they all share one implicit transaction, as
 * with a multi-statement query). The connection is out of pipeline mode on
 * a return of 0.
 * @return 0, or DS_EDB when the round trip failed (every res is then NULL;
 *         the connection was lost or answered out of order, and may be left
 *         in pipeline mode: it is not to be used again)
 */
int ds_db_pipeline(PGconn *conn, ds_db_pipe_item *items, size_t n);

/**
 * Append one element to a PostgreSQL array literal being built in out
 * ("{" and "}" are the caller's); elements are always double-quoted, so any
 * text is safe.
 */
void ds_db_array_add(ds_buf *out, const char *elem);

/**
 * A connection string fit to be recorded: its settings as key=value pairs
 * without the password (malloc'd; "(unreadable connection string)" when
 * libpq cannot parse it).
 */
char *ds_db_conninfo_redact(const char *conninfo);

/** The database name of a connection string (NULL when it names none); malloc'd. */
char *ds_db_conninfo_dbname(const char *conninfo);

#endif
