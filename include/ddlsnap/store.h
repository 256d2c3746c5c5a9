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
#include "ddlsnap/rows.h"
#include "ddlsnap/snapshot.h"

typedef struct ds_store ds_store;

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

/*
 * The put_* calls gather rows in the store's own ds_rows (see rows.h for
 * what each row is), written before the store's COMMIT, before set_ref,
 * before every read, and once 8 MB are pending.
 */
int ds_store_put_object(ds_store *store, ds_objtype type, const ds_oid *oid, const char *body,
			size_t len);

int ds_store_put_commit(ds_store *store, const ds_commit_row *row);
int ds_store_put_change(ds_store *store, const ds_commit_row *commit, const ds_snap_entry *old,
			const ds_snap_entry *new_);

int ds_store_put_failure(ds_store *store, const ds_failure_row *row);

/**
 * Write a batch of rows a caller gathered (in the open transaction) and
 * clear it. It touches only the store's connection, not its own rows: a
 * thread may write one batch while another fills the next, as long as
 * nothing else uses the store meanwhile.
 * @return 0 or DS_EDB, with the batch's history ids in the message
 */
int ds_store_write(ds_store *store, ds_rows *rows);

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

/** Seconds spent so far in the store's writes (set_ref, begin, commit, writing rows). */
double ds_store_seconds(const ds_store *store);

#endif
