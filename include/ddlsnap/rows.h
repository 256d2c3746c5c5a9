/*
 * rows.h - rows for the v2 store, held in memory until ds_store_write()
 * sends them: objects, commits, audit rows and failures, each table's field
 * values back to back in one arena.
 *
 * A batch of rows is plain memory and touches no connection, so one thread
 * can fill a batch while another writes the previous one (convert.c); the
 * objects of a batch are read back for the git repository too
 * (ds_rows_each_object), so each body is held once.
 */
#ifndef DDLSNAP_ROWS_H
#define DDLSNAP_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/snapshot.h"

typedef struct {
	ds_oid commit;
	ds_oid tree;
	const ds_oid *parents;
	size_t nparents;
	int generation; /* 1 for a root commit, else 1 + the parents' maximum */
	const char *author;
	int64_t when; /* seconds since the epoch */
	const char *message;
	const int64_t *history_ids;
	size_t nhistory_ids;
} ds_commit_row;

typedef struct {
	const int64_t *history_ids;
	size_t nhistory_ids;
	int statement_number; /* 1-based; 0 when the whole text failed (parse error) */
	const char *statement;
	const char *error;
	const char *sqlstate;   /* may be NULL */
	const char *created_at; /* may be NULL */
} ds_failure_row;

/* The tables, in the order their rows are written (foreign keys). */
enum { DS_ROWS_OBJECTS, DS_ROWS_COMMITS, DS_ROWS_CHANGES, DS_ROWS_FAILURES, DS_ROWS_TABLES };

/* One table's rows: field i of row r is field r * ncols + i. */
typedef struct {
	ds_buf data;   /* field values, back to back */
	size_t *off;   /* per field: offset into data */
	long *len;     /* per field: length, -1 for NULL */
	size_t nfields, cap;
	size_t nrows;
} ds_rows_table;

typedef struct {
	ds_rows_table table[DS_ROWS_TABLES];
	size_t bytes;		   /* field bytes, all tables */
	int64_t first_id, last_id; /* history ids of the commits and failures, 0 when none */
} ds_rows;

#define DS_ROWS_INIT { 0 }

void ds_rows_free(ds_rows *rows);
/** Forget every row, keeping the memory for the next batch. */
void ds_rows_clear(ds_rows *rows);
size_t ds_rows_count(const ds_rows *rows);

/**
 * An object. A tree's entries need no rows of their own:
 * pggit_v2.tree_entries is a view over the tree bodies (sql/store/schema.sql).
 */
void ds_rows_put_object(ds_rows *rows, ds_objtype type, const ds_oid *oid, const char *body,
			size_t len);
/** A commit for commit_graph (the commit object must be put too). */
void ds_rows_put_commit(ds_rows *rows, const ds_commit_row *row);
/** An audit row: old == NULL is a CREATE, new_ == NULL a DROP. */
void ds_rows_put_change(ds_rows *rows, const ds_commit_row *commit, const ds_snap_entry *old,
			const ds_snap_entry *new_);
void ds_rows_put_failure(ds_rows *rows, const ds_failure_row *row);

/**
 * Call cb for each object put, in order; stops at the first non-zero
 * return, which it returns.
 */
int ds_rows_each_object(const ds_rows *rows,
			int (*cb)(void *payload, ds_objtype type, const ds_oid *oid,
				  const char *body, size_t len),
			void *payload);

#endif
