/* rows.c - rows for the v2 store, in memory (see rows.h). */
#include "ddlsnap/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"

static void field(ds_rows *rows, int t, const char *v, size_t len)
{
	ds_rows_table *p = &rows->table[t];
	if (p->nfields == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->off = ds_xrealloc(p->off, p->cap * sizeof *p->off);
		p->len = ds_xrealloc(p->len, p->cap * sizeof *p->len);
	}
	p->off[p->nfields] = p->data.len;
	p->len[p->nfields] = v ? (long)len : -1;
	p->nfields++;
	if (v) {
		ds_buf_put(&p->data, v, len);
		rows->bytes += len;
	}
}

/* A row of text fields (NULL for SQL NULL). */
static void text_row(ds_rows *rows, int t, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		field(rows, t, fields[i], fields[i] ? strlen(fields[i]) : 0);
	rows->table[t].nrows++;
}

static void note_ids(ds_rows *rows, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!rows->first_id || ids[i] < rows->first_id)
			rows->first_id = ids[i];
		if (ids[i] > rows->last_id)
			rows->last_id = ids[i];
	}
}

static void id_array(ds_buf *out, const int64_t *ids, size_t n)
{
	ds_buf_putc(out, '{');
	for (size_t i = 0; i < n; i++)
		ds_buf_printf(out, "%s%lld", i ? "," : "", (long long)ids[i]);
	ds_buf_putc(out, '}');
}

void ds_rows_free(ds_rows *rows)
{
	for (int t = 0; t < DS_ROWS_TABLES; t++) {
		ds_buf_free(&rows->table[t].data);
		free(rows->table[t].off);
		free(rows->table[t].len);
	}
	*rows = (ds_rows)DS_ROWS_INIT;
}

void ds_rows_clear(ds_rows *rows)
{
	for (int t = 0; t < DS_ROWS_TABLES; t++) {
		ds_buf_clear(&rows->table[t].data);
		rows->table[t].nfields = rows->table[t].nrows = 0;
	}
	rows->bytes = 0;
	rows->first_id = rows->last_id = 0;
}

size_t ds_rows_count(const ds_rows *rows)
{
	size_t n = 0;
	for (int t = 0; t < DS_ROWS_TABLES; t++)
		n += rows->table[t].nrows;
	return n;
}

void ds_rows_put_object(ds_rows *rows, ds_objtype type, const ds_oid *oid, const char *body,
			size_t len)
{
	char hex[DS_OID_HEXSZ + 1], size[24];
	ds_oid_fmt(hex, oid);
	snprintf(size, sizeof size, "%zu", len);
	const char *fields[] = {hex, ds_objtype_name(type), size};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		field(rows, DS_ROWS_OBJECTS, fields[i], strlen(fields[i]));
	field(rows, DS_ROWS_OBJECTS, body ? body : "", len);
	rows->table[DS_ROWS_OBJECTS].nrows++;
}

void ds_rows_put_commit(ds_rows *rows, const ds_commit_row *row)
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
	const char *fields[] = {hex, parents.ptr, tree, gen, row->author, when, row->message,
				ids.ptr};
	text_row(rows, DS_ROWS_COMMITS, fields, sizeof fields / sizeof *fields);
	note_ids(rows, row->history_ids, row->nhistory_ids);
	ds_buf_free(&parents);
	ds_buf_free(&ids);
}

void ds_rows_put_change(ds_rows *rows, const ds_commit_row *commit, const ds_snap_entry *old,
			const ds_snap_entry *new_)
{
	const ds_snap_entry *e = new_ ? new_ : old;
	char hex[DS_OID_HEXSZ + 1], when[24];
	ds_oid_fmt(hex, &commit->commit);
	snprintf(when, sizeof when, "%lld", (long long)commit->when);
	const char *type = !old ? "CREATE" : !new_ ? "DROP" : "ALTER";
	const char *fields[] = {hex,
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
	text_row(rows, DS_ROWS_CHANGES, fields, sizeof fields / sizeof *fields);
}

void ds_rows_put_failure(ds_rows *rows, const ds_failure_row *row)
{
	char first[24], num[16];
	ds_buf ids = DS_BUF_INIT;
	snprintf(first, sizeof first, "%lld", (long long)row->history_ids[0]);
	snprintf(num, sizeof num, "%d", row->statement_number);
	id_array(&ids, row->history_ids, row->nhistory_ids);
	const char *fields[] = {first,		ids.ptr,    row->statement_number ? num : NULL,
				row->statement, row->error, row->sqlstate,
				row->created_at};
	text_row(rows, DS_ROWS_FAILURES, fields, sizeof fields / sizeof *fields);
	note_ids(rows, row->history_ids, row->nhistory_ids);
	ds_buf_free(&ids);
}

int ds_rows_each_object(const ds_rows *rows,
			int (*cb)(void *payload, ds_objtype type, const ds_oid *oid,
				  const char *body, size_t len),
			void *payload)
{
	const ds_rows_table *p = &rows->table[DS_ROWS_OBJECTS];
	for (size_t r = 0; r < p->nrows; r++) {
		/* sha, type, size, body: the first three are short text */
		char f[3][DS_OID_HEXSZ + 1];
		for (int i = 0; i < 3; i++) {
			size_t k = r * 4 + (size_t)i;
			size_t n = (size_t)p->len[k] < sizeof f[i] ? (size_t)p->len[k] : sizeof f[i] - 1;
			memcpy(f[i], p->data.ptr + p->off[k], n);
			f[i][n] = '\0';
		}
		ds_oid oid;
		ds_objtype type;
		if (ds_oid_parse(&oid, f[0]) != 0 || ds_objtype_parse(&type, f[1]) != 0)
			abort(); /* written by ds_rows_put_object above */
		size_t k = r * 4 + 3;
		int rc = cb(payload, type, &oid, p->data.ptr + p->off[k], (size_t)p->len[k]);
		if (rc)
			return rc;
	}
	return 0;
}
