/* store.c - writes converted history into the v2 tables (see store.h). */
#include "ddlsnap/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/progress.h"
#include "ddlsnap_sql.h"

struct ds_store {
	PGconn *conn;
	int in_tx;
	double seconds; /* in writes, see ds_store_seconds */
};

int ds_store_open(ds_store **out, PGconn *conn)
{
	/* Concurrent installs race on CREATE ... IF NOT EXISTS; an advisory
	 * lock for the duration of the install serializes them. */
	int rc = ds_db_exec(conn, "BEGIN; SET LOCAL client_min_messages = warning;"
				  " SELECT pg_advisory_xact_lock(hashtext('ddlsnap install'))");
	if (rc == 0)
		rc = ds_db_exec(conn, ds_sql_store_schema);
	if (rc == 0)
		rc = ds_db_exec(conn, "COMMIT");
	if (rc) {
		PQclear(PQexec(conn, "ROLLBACK"));
		return ds_error_wrap(rc, "installing the v2 store");
	}
	ds_store *s = ds_xcalloc(1, sizeof *s);
	s->conn = conn;
	*out = s;
	return 0;
}

void ds_store_free(ds_store *store)
{
	if (!store)
		return;
	if (store->in_tx)
		ds_store_rollback(store);
	free(store);
}

static int begin_impl(ds_store *store)
{
	int rc = ds_db_exec(store->conn, "BEGIN");
	if (rc == 0)
		store->in_tx = 1;
	return rc;
}

int ds_store_begin(ds_store *store)
{
	double t = ds_progress_now();
	int rc = begin_impl(store);
	store->seconds += ds_progress_now() - t;
	return rc;
}

static int commit_impl(ds_store *store)
{
	store->in_tx = 0;
	int rc = ds_db_exec(store->conn, "COMMIT");
	return rc ? ds_error_wrap(rc, "committing to the v2 store") : 0;
}

int ds_store_commit(ds_store *store)
{
	double t = ds_progress_now();
	int rc = commit_impl(store);
	store->seconds += ds_progress_now() - t;
	return rc;
}

void ds_store_rollback(ds_store *store)
{
	if (store->in_tx)
		PQclear(PQexec(store->conn, "ROLLBACK"));
	store->in_tx = 0;
}

static int put_object_impl(ds_store *store, ds_objtype type, const ds_oid *oid, const char *body,
			size_t len, const ds_tree_entry *entries, size_t nentries)
{
	char hex[DS_OID_HEXSZ + 1], size[24];
	ds_oid_fmt(hex, oid);
	snprintf(size, sizeof size, "%zu", len);
	const char *params[] = {hex, ds_objtype_name(type), size, body};
	const int lengths[] = {0, 0, 0, (int)len};
	const int formats[] = {0, 0, 0, 1};
	int rc = ds_db_query_params(store->conn, NULL, ds_sql_store_put_object, 4, params, lengths,
				    formats);
	if (rc || type != DS_OBJ_TREE || nentries == 0)
		return rc ? ds_error_wrap(rc, "storing %s %s", ds_objtype_name(type), hex) : 0;

	ds_buf names = DS_BUF_INIT, modes = DS_BUF_INIT, shas = DS_BUF_INIT;
	ds_buf_putc(&names, '{');
	ds_buf_putc(&modes, '{');
	ds_buf_putc(&shas, '{');
	for (size_t i = 0; i < nentries; i++) {
		char ehex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(ehex, &entries[i].oid);
		ds_db_array_add(&names, entries[i].name);
		ds_db_array_add(&modes, entries[i].mode == DS_MODE_TREE ? "40000" : "100644");
		ds_db_array_add(&shas, ehex);
	}
	ds_buf_putc(&names, '}');
	ds_buf_putc(&modes, '}');
	ds_buf_putc(&shas, '}');
	const char *eparams[] = {hex, names.ptr, modes.ptr, shas.ptr};
	rc = ds_db_query(store->conn, NULL, ds_sql_store_put_tree_entries, 4, eparams);
	ds_buf_free(&names);
	ds_buf_free(&modes);
	ds_buf_free(&shas);
	return rc ? ds_error_wrap(rc, "storing the entries of tree %s", hex) : 0;
}

int ds_store_put_object(ds_store *store, ds_objtype type, const ds_oid *oid, const char *body,
			size_t len, const ds_tree_entry *entries, size_t nentries)
{
	double t = ds_progress_now();
	int rc = put_object_impl(store, type, oid, body, len, entries, nentries);
	store->seconds += ds_progress_now() - t;
	return rc;
}

static void id_array(ds_buf *out, const int64_t *ids, size_t n)
{
	ds_buf_putc(out, '{');
	for (size_t i = 0; i < n; i++)
		ds_buf_printf(out, "%s%lld", i ? "," : "", (long long)ids[i]);
	ds_buf_putc(out, '}');
}

static int put_commit_impl(ds_store *store, const ds_commit_row *row)
{
	char hex[DS_OID_HEXSZ + 1], tree[DS_OID_HEXSZ + 1], gen[16], when[24];
	ds_buf parents = DS_BUF_INIT, ids = DS_BUF_INIT;

	ds_oid_fmt(hex, &row->commit);
	ds_oid_fmt(tree, &row->tree);
	snprintf(gen, sizeof gen, "%d", row->generation);
	snprintf(when, sizeof when, "%lld", (long long)row->when);
	ds_buf_putc(&parents, '{');
	for (size_t i = 0; i < row->nparents; i++) {
		char phex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(phex, &row->parents[i]);
		ds_db_array_add(&parents, phex);
	}
	ds_buf_putc(&parents, '}');
	id_array(&ids, row->history_ids, row->nhistory_ids);

	const char *params[] = {hex, parents.ptr, tree, gen, row->author, when, row->message,
				ids.ptr};
	int rc = ds_db_query(store->conn, NULL, ds_sql_store_put_commit, 8, params);
	ds_buf_free(&parents);
	ds_buf_free(&ids);
	return rc ? ds_error_wrap(rc, "storing commit %s", hex) : 0;
}

int ds_store_put_commit(ds_store *store, const ds_commit_row *row)
{
	double t = ds_progress_now();
	int rc = put_commit_impl(store, row);
	store->seconds += ds_progress_now() - t;
	return rc;
}

static int put_change_impl(ds_store *store, const ds_commit_row *commit, const ds_snap_entry *old,
			const ds_snap_entry *new_)
{
	const ds_snap_entry *e = new_ ? new_ : old;
	char hex[DS_OID_HEXSZ + 1], when[24];
	ds_oid_fmt(hex, &commit->commit);
	snprintf(when, sizeof when, "%lld", (long long)commit->when);
	const char *type = !old ? "CREATE" : !new_ ? "DROP" : "ALTER";
	const char *params[] = {hex,
				e->obj.schema,
				e->obj.name,
				e->obj.kind,
				e->path,
				type,
				old ? old->obj.ddl : NULL,
				new_ ? new_->obj.ddl : NULL,
				commit->author,
				when,
				commit->message};
	int rc = ds_db_query(store->conn, NULL, ds_sql_store_put_change, 11, params);
	return rc ? ds_error_wrap(rc, "storing the audit row of %s in commit %s", e->path, hex) : 0;
}

int ds_store_put_change(ds_store *store, const ds_commit_row *commit, const ds_snap_entry *old,
			const ds_snap_entry *new_)
{
	double t = ds_progress_now();
	int rc = put_change_impl(store, commit, old, new_);
	store->seconds += ds_progress_now() - t;
	return rc;
}

static int put_failure_impl(ds_store *store, const ds_failure_row *row)
{
	char first[24], num[16];
	ds_buf ids = DS_BUF_INIT;
	snprintf(first, sizeof first, "%lld", (long long)row->history_ids[0]);
	snprintf(num, sizeof num, "%d", row->statement_number);
	id_array(&ids, row->history_ids, row->nhistory_ids);
	const char *params[] = {first,	       ids.ptr,	     row->statement_number ? num : NULL,
				row->statement, row->error,  row->sqlstate,
				row->created_at};
	int rc = ds_db_query(store->conn, NULL, ds_sql_store_put_failure, 7, params);
	ds_buf_free(&ids);
	return rc ? ds_error_wrap(rc, "recording the failure of history %s", first) : 0;
}

int ds_store_put_failure(ds_store *store, const ds_failure_row *row)
{
	double t = ds_progress_now();
	int rc = put_failure_impl(store, row);
	store->seconds += ds_progress_now() - t;
	return rc;
}

static int set_ref_impl(ds_store *store, const char *ref, const ds_oid *commit)
{
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, commit);
	const char *params[] = {ref, hex};
	int rc = ds_db_query(store->conn, NULL, ds_sql_store_set_ref, 2, params);
	return rc ? ds_error_wrap(rc, "moving %s to %s", ref, hex) : 0;
}

int ds_store_set_ref(ds_store *store, const char *ref, const ds_oid *commit)
{
	double t = ds_progress_now();
	int rc = set_ref_impl(store, ref, commit);
	store->seconds += ds_progress_now() - t;
	return rc;
}

/* The type column of pggit_v2.objects (the store never holds tags). */
static ds_objtype type_of(const char *t)
{
	return strcmp(t, "blob") == 0 ? DS_OBJ_BLOB : strcmp(t, "tree") == 0 ? DS_OBJ_TREE :
									   DS_OBJ_COMMIT;
}

int ds_store_get_object(ds_store *store, const ds_oid *oid, ds_objtype *type, ds_buf *body)
{
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, oid);
	const char *params[] = { hex };
	PGresult *res = NULL;
	int rc = ds_db_query(store->conn, &res, ds_sql_store_get_object, 1, params);
	if (rc)
		return ds_error_wrap(rc, "reading object %s from the v2 store", hex);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return ds_error_setc(DS_ENOTFOUND, "object %s is missing from the v2 store", hex);
	}
	*type = type_of(PQgetvalue(res, 0, 0));
	size_t len = 0;
	unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 1), &len);
	PQclear(res);
	if (!raw)
		return ds_error_setc(DS_EDB, "object %s: cannot decode its content", hex);
	ds_buf_clear(body);
	ds_buf_put(body, (const char *)raw, len);
	PQfreemem(raw);
	return 0;
}

int ds_store_get_ref(ds_store *store, const char *ref, ds_oid *out)
{
	const char *params[] = { ref };
	PGresult *res = NULL;
	int rc = ds_db_query(store->conn, &res, ds_sql_store_get_ref, 1, params);
	if (rc)
		return ds_error_wrap(rc, "reading %s from the v2 store", ref);
	if (PQntuples(res) != 1 || ds_oid_parse(out, PQgetvalue(res, 0, 0)) != 0)
		rc = ds_error_setc(DS_ENOTFOUND, "the v2 store has no %s", ref);
	PQclear(res);
	return rc;
}

int ds_store_covered_ids(ds_store *store, ds_covered **ids, size_t *n)
{
	PGresult *res = NULL;
	int rc = ds_db_query(store->conn, &res, ds_sql_store_covered_ids, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading which history rows the store holds");
	*n = (size_t)PQntuples(res);
	*ids = ds_xcalloc(*n ? *n : 1, sizeof **ids);
	for (size_t i = 0; i < *n; i++) {
		(*ids)[i].id = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
		(*ids)[i].failed = PQgetvalue(res, (int)i, 1)[0] == 't';
	}
	PQclear(res);
	return 0;
}

int ds_store_commit_of(ds_store *store, int64_t history_id, ds_commit_ref *out)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)history_id);
	const char *params[] = { id };
	PGresult *res = NULL;
	int rc = ds_db_query(store->conn, &res, ds_sql_store_commit_of, 1, params);
	if (rc)
		return ds_error_wrap(rc, "finding the commit of history %s", id);
	if (PQntuples(res) != 1 || ds_oid_parse(&out->commit, PQgetvalue(res, 0, 0)) != 0 ||
	    ds_oid_parse(&out->tree, PQgetvalue(res, 0, 1)) != 0)
		rc = ds_error_setc(DS_ENOTFOUND, "the v2 store has no commit for history %s", id);
	else {
		out->generation = atoi(PQgetvalue(res, 0, 2));
		out->epoch = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	}
	PQclear(res);
	return rc;
}

int ds_store_each_object(ds_store *store,
			 int (*cb)(void *payload, ds_objtype type, const ds_oid *oid,
				   const char *body, size_t len),
			 void *payload)
{
	int rc = ds_db_exec(store->conn, ds_sql_store_all_objects);
	while (rc == 0) {
		PGresult *res = NULL;
		rc = ds_db_query(store->conn, &res, "FETCH 1000 FROM ddlsnap_objects", 0, NULL);
		if (rc)
			break;
		int n = PQntuples(res);
		for (int i = 0; i < n && rc == 0; i++) {
			ds_oid oid;
			ds_objtype type = type_of(PQgetvalue(res, i, 1));
			size_t len = 0;
			unsigned char *raw =
				PQunescapeBytea((const unsigned char *)PQgetvalue(res, i, 2), &len);
			if (!raw || ds_oid_parse(&oid, PQgetvalue(res, i, 0)) != 0)
				rc = ds_error_setc(DS_EDB, "object %s: cannot decode it",
						   PQgetvalue(res, i, 0));
			else
				rc = cb(payload, type, &oid, (const char *)raw, len);
			PQfreemem(raw);
		}
		PQclear(res);
		if (n == 0)
			break;
	}
	if (rc == 0)
		rc = ds_db_exec(store->conn, "CLOSE ddlsnap_objects");
	return rc ? ds_error_wrap(rc, "reading the store's objects") : 0;
}

double ds_store_seconds(const ds_store *store)
{
	return store->seconds;
}
