/*
 * store.h - the v2 store: git objects, commit graph, refs and audit rows in
 * PostgreSQL tables (schemas pggit_v2 and pggit_audit, DDL in
 * sql/store/schema.sql).
 *
 * Every write is idempotent (ON CONFLICT DO NOTHING on the object's natural
 * key), so writing the same converted history twice adds nothing. Writes
 * happen inside ds_store_begin/ds_store_commit, one transaction per batch.
 */
#ifndef DDLSNAP_STORE_H
#define DDLSNAP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "ddlsnap/gitobj.h"
#include "ddlsnap/snapshot.h"

typedef struct ds_store ds_store;

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

/**
 * Open the store on conn (which it does not own) and install its tables
 * when missing.
 * @return 0 or DS_EDB
 */
int ds_store_open(ds_store **out, PGconn *conn);
void ds_store_free(ds_store *store);

int ds_store_begin(ds_store *store);
int ds_store_commit(ds_store *store);
void ds_store_rollback(ds_store *store);

/**
 * Store an object. A tree's entries need no rows of their own:
 * pggit_v2.tree_entries is a view over the tree bodies (sql/store/schema.sql).
 */
int ds_store_put_object(ds_store *store, ds_objtype type, const ds_oid *oid, const char *body,
			size_t len);

/** Record a commit in commit_graph (the commit object must be stored too). */
int ds_store_put_commit(ds_store *store, const ds_commit_row *row);

/** Record an audit row: old == NULL is a CREATE, new_ == NULL a DROP. */
int ds_store_put_change(ds_store *store, const ds_commit_row *commit, const ds_snap_entry *old,
			const ds_snap_entry *new_);

int ds_store_put_failure(ds_store *store, const ds_failure_row *row);

/** Point branch ref (e.g. "refs/heads/main") at commit, and HEAD at ref. */
int ds_store_set_ref(ds_store *store, const char *ref, const ds_oid *commit);

/**
 * Read one object back (a ds_get_fn, see snapshot.h).
 * @return 0, DS_ENOTFOUND when the store does not have it, or DS_EDB
 */
int ds_store_get_object(ds_store *store, const ds_oid *oid, ds_objtype *type, ds_buf *body);

/** The commit ref points at. @return 0, DS_ENOTFOUND or DS_EDB */
int ds_store_get_ref(ds_store *store, const char *ref, ds_oid *out);

typedef struct {
	int64_t id;
	int failed; /* covered by a recorded failure, not by a commit */
} ds_covered;

/**
 * Every history id the store holds a commit or a recorded failure for,
 * sorted by id (*ids malloc'd).
 */
int ds_store_covered_ids(ds_store *store, ds_covered **ids, size_t *n);

/**
 * Call cb for every object of the store (through a cursor, in the store's
 * transaction: call between ds_store_begin and ds_store_commit).
 */
int ds_store_each_object(ds_store *store,
			 int (*cb)(void *payload, ds_objtype type, const ds_oid *oid,
				   const char *body, size_t len),
			 void *payload);

typedef struct {
	ds_oid commit;
	ds_oid tree;
	int generation;
	int64_t epoch; /* committed at, seconds since the epoch */
} ds_commit_ref;

/** The commit that replayed history_id. @return 0, DS_ENOTFOUND or DS_EDB */
int ds_store_commit_of(ds_store *store, int64_t history_id, ds_commit_ref *out);

/** Seconds spent so far in the store's writes (put_*, set_ref, begin, commit). */
double ds_store_seconds(const ds_store *store);

#endif
