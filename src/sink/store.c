/* store.c - writes converted history into the v2 tables (see store.h). */
#include "ddlsnap/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/progress.h"
#include "ddlsnap_sql.h"

/*
 * Bulk writes. Rows are gathered in memory (rows.h): the store's own, for
 * the put_* calls, or a batch a caller filled. Writing them COPYs each
 * table's rows into its session-local staging table (sql/store/stage.sql)
 * and moves them into the v2 tables with INSERT ... SELECT ... ON CONFLICT
 * DO NOTHING (sql/store/bulk_*.sql), all moves in one statement list. A
 * batch of 100 changes thus costs a handful of round trips instead of one
 * per object, tree, commit and audit row. The store's own rows are written
 * before its COMMIT, before set_ref and before every read (so reads see the
 * batch), and when they grow past FLUSH_BYTES (memory stays bounded by that,
 * not by the batch size); a rollback drops them.
 */
#define FLUSH_BYTES (8u << 20)

typedef struct {
	const char *what;  /* for messages */
	const char *stage; /* staging table */
	const char *cols;  /* its columns, in COPY order */
	int ncols;
	int bytea_col; /* the column holding raw bytes, or -1 */
} table_def;

static const table_def tables[DS_ROWS_TABLES] = {
	{"objects", "ddlsnap_stage_objects", "sha, type, size, content", 4, 3},
	{"commits", "ddlsnap_stage_commits",
	 "commit_sha, parent_shas, tree_sha, generation, author, epoch, message, history_ids", 8,
	 -1},
	{"audit rows", "ddlsnap_stage_changes",
	 "commit_sha, object_schema, object_name, object_type, object_path, change_type,"
	 " old_definition, new_definition, author, epoch, commit_message",
	 11, -1},
	{"failures", "ddlsnap_stage_failures",
	 "first_history_id, history_ids, statement_number, statement, error, sqlstate, created_at",
	 7, -1},
};

struct ds_store {
	PGconn *conn;
	int in_tx;
	int staged;	 /* the staging tables exist in this session */
	int staged_in_tx; /* ...made in the open transaction: a rollback drops them */
	ds_rows own;	 /* rows of the put_* calls, not written yet */
	double seconds; /* in writes, see ds_store_seconds */
};

/* One field in COPY's text format: bytea as \x hex, escapes for the rest. */
static void copy_field(ds_buf *out, const char *v, long len, int bytea)
{
	static const char hex[] = "0123456789abcdef";
	if (len < 0) {
		ds_buf_puts(out, "\\N");
		return;
	}
	if (bytea) {
		ds_buf_puts(out, "\\\\x");
		for (long i = 0; i < len; i++) {
			unsigned char c = (unsigned char)v[i];
			char two[2] = {hex[c >> 4], hex[c & 15]};
			ds_buf_put(out, two, 2);
		}
		return;
	}
	long run = 0;
	for (long i = 0; i < len; i++) {
		const char *esc = v[i] == '\\' ? "\\\\" : v[i] == '\t' ? "\\t" : v[i] == '\n' ? "\\n" :
				  v[i] == '\r' ? "\\r" : NULL;
		if (!esc)
			continue;
		ds_buf_put(out, v + run, (size_t)(i - run));
		ds_buf_puts(out, esc);
		run = i + 1;
	}
	ds_buf_put(out, v + run, (size_t)(len - run));
}

/* COPY one table's pending rows into its staging table. */
static int copy_rows(ds_store *s, const ds_rows *rows, int t)
{
	const table_def *d = &tables[t];
	const ds_rows_table *p = &rows->table[t];
	ds_buf sql = DS_BUF_INIT, out = DS_BUF_INIT;
	ds_buf_printf(&sql, "COPY pg_temp.%s (%s) FROM STDIN", d->stage, d->cols);
	PGresult *res = PQexec(s->conn, ds_buf_cstr(&sql));
	ds_buf_free(&sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		int rc = ds_db_error(s->conn, res, "starting COPY");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	int ok = 1;
	for (size_t i = 0; i < p->nfields && ok; i++) {
		int col = (int)(i % (size_t)d->ncols);
		copy_field(&out, p->data.ptr + p->off[i], p->len[i], col == d->bytea_col);
		ds_buf_putc(&out, col == d->ncols - 1 ? '\n' : '\t');
		if (out.len >= (1u << 16) || i + 1 == p->nfields) {
			ok = PQputCopyData(s->conn, out.ptr, (int)out.len) == 1;
			ds_buf_clear(&out);
		}
	}
	ds_buf_free(&out);
	ok = PQputCopyEnd(s->conn, ok ? NULL : "ddlsnap could not send the rows") == 1 && ok;
	int rc = 0;
	while ((res = PQgetResult(s->conn)) != NULL) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = ds_db_error(s->conn, res, "COPY");
		PQclear(res);
	}
	if (rc == 0 && !ok)
		rc = ds_db_error(s->conn, NULL, "COPY");
	return rc;
}

/* The statements that move staged rows into the v2 tables, in foreign key order. */
static const char *const *bulk_sql(void)
{
	static const char *const sql[DS_ROWS_TABLES] = {ds_sql_store_bulk_objects,
						 ds_sql_store_bulk_commits, ds_sql_store_bulk_changes,
						 ds_sql_store_bulk_failures};
	return sql;
}

static int write_rows(ds_store *s, const ds_rows *rows)
{
	if (ds_rows_count(rows) == 0)
		return 0;
	int rc = 0;
	if (!s->staged) {
		rc = ds_db_exec(s->conn, ds_sql_store_stage);
		s->staged = rc == 0;
		s->staged_in_tx = s->staged && s->in_tx;
	}
	ds_buf moves = DS_BUF_INIT;
	for (int t = 0; t < DS_ROWS_TABLES && rc == 0; t++) {
		if (rows->table[t].nrows == 0)
			continue;
		rc = copy_rows(s, rows, t);
		ds_buf_printf(&moves, "WITH s AS (DELETE FROM pg_temp.%s RETURNING *)\n%s;\n",
			      tables[t].stage, bulk_sql()[t]);
	}
	if (rc == 0)
		rc = ds_db_exec(s->conn, ds_buf_cstr(&moves));
	ds_buf_free(&moves);
	if (rc == 0)
		return 0;
	ds_buf what = DS_BUF_INIT;
	for (int t = 0; t < DS_ROWS_TABLES; t++)
		if (rows->table[t].nrows)
			ds_buf_printf(&what, "%s%zu %s", what.len ? ", " : "", rows->table[t].nrows,
				      tables[t].what);
	if (rows->first_id)
		rc = ds_error_wrap(rc, "storing the batch of history %lld..%lld (%s)",
				   (long long)rows->first_id, (long long)rows->last_id,
				   ds_buf_cstr(&what));
	else
		rc = ds_error_wrap(rc, "storing %s", ds_buf_cstr(&what));
	ds_buf_free(&what);
	return rc;
}

int ds_store_write(ds_store *store, ds_rows *rows)
{
	double t = ds_progress_now();
	int rc = write_rows(store, rows);
	ds_rows_clear(rows);
	store->seconds += ds_progress_now() - t;
	return rc;
}

static int flush(ds_store *s)
{
	int rc = write_rows(s, &s->own);
	ds_rows_clear(&s->own);
	return rc;
}

static int maybe_flush(ds_store *s)
{
	if (s->own.bytes < FLUSH_BYTES)
		return 0;
	double t = ds_progress_now();
	int rc = flush(s);
	s->seconds += ds_progress_now() - t;
	return rc;
}

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
	ds_rows_free(&store->own);
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
	int rc = flush(store);
	if (rc == 0)
		rc = ds_db_exec(store->conn, "COMMIT");
	else
		PQclear(PQexec(store->conn, "ROLLBACK"));
	if (rc && store->staged_in_tx)
		store->staged = 0;
	store->staged_in_tx = 0;
	store->in_tx = 0;
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
	ds_rows_clear(&store->own);
	if (store->in_tx) {
		PQclear(PQexec(store->conn, "ROLLBACK"));
		if (store->staged_in_tx)
			store->staged = 0;
		store->staged_in_tx = 0;
	}
	store->in_tx = 0;
}

int ds_store_put_object(ds_store *store, ds_objtype type, const ds_oid *oid, const char *body,
			size_t len)
{
	ds_rows_put_object(&store->own, type, oid, body, len);
	return maybe_flush(store);
}

int ds_store_put_commit(ds_store *store, const ds_commit_row *row)
{
	ds_rows_put_commit(&store->own, row);
	return maybe_flush(store);
}

int ds_store_put_change(ds_store *store, const ds_commit_row *commit, const ds_snap_entry *old,
			const ds_snap_entry *new_)
{
	ds_rows_put_change(&store->own, commit, old, new_);
	return maybe_flush(store);
}

int ds_store_put_failure(ds_store *store, const ds_failure_row *row)
{
	ds_rows_put_failure(&store->own, row);
	return maybe_flush(store);
}

static int set_ref_impl(ds_store *store, const char *ref, const ds_oid *commit)
{
	/* The ref's target must be in pggit_v2.objects (a foreign key). */
	int rc = flush(store);
	if (rc)
		return rc;
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, commit);
	const char *params[] = {ref, hex};
	rc = ds_db_query(store->conn, NULL, ds_sql_store_set_ref, 2, params);
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
	int frc = flush(store); /* reads see the batch's pending rows */
	if (frc)
		return frc;
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
	int frc = flush(store); /* reads see the batch's pending rows */
	if (frc)
		return frc;
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
	int frc = flush(store); /* reads see the batch's pending rows */
	if (frc)
		return frc;
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
	int frc = flush(store); /* reads see the batch's pending rows */
	if (frc)
		return frc;
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
	int frc = flush(store); /* reads see the batch's pending rows */
	if (frc)
		return frc;
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
