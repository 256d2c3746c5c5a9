/*
 * sequence.c - capture standalone sequences, and render every sequence.
 *
 *   CREATE SEQUENCE s.n AS bigint START WITH 1 INCREMENT BY 1 MINVALUE 1
 *       MAXVALUE 9223372036854775807 CACHE 1[ CYCLE];
 *
 * (on one line). Every option is spelled out, so the text does not depend on
 * which defaults the author relied on, and last_value is never read: it is
 * state, not schema. UNLOGGED sequences (PostgreSQL 15) say so.
 *
 * A sequence owned by a column of a captured table (serial, ALTER SEQUENCE
 * ... OWNED BY) belongs to that table's text (table.c renders it with
 * ds_capture_sequence_render); identity sequences are part of their
 * column's IDENTITY clause and never appear as sequences. A sequence owned
 * by a relation that is not captured yet (a foreign table...) is listed
 * as skipped by uncaptured.c, as are comments and grants on sequences.
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_OWNER_RELID,
	COL_OWNER_COLUMN,
	COL_UNLOGGED,
	COL_TYPE,
	COL_START,
	COL_INCREMENT,
	COL_MIN,
	COL_MAX,
	COL_CACHE,
	COL_CYCLE,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"seqid", "schema_name", "seq_name",   "qualified_name", "owner_relid",  "owner_column",
	"is_unlogged", "type_name",  "start_value",    "increment_by", "min_value",
	"max_value",   "cache_size", "is_cycle",
};

int ds_capture_sequence_gather(ds_capture_ctx *ctx, ds_seq_list *out)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_sequence, columns, NCOLS, idx);
	if (rc)
		return ds_error_wrap(rc, "reading sequences");

	int n = PQntuples(res);
	out->res = res;
	out->n = (size_t)n;
	out->items = ds_xcalloc((size_t)n, sizeof *out->items);
	for (int i = 0; i < n; i++) {
		ds_seq *s = &out->items[i];
		s->oid = ds_capture_get_oid(res, i, idx[COL_OID]);
		s->schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		s->name = ds_capture_get(res, i, idx[COL_NAME]);
		s->qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		s->owner_relid = ds_capture_get_oid(res, i, idx[COL_OWNER_RELID]);
		s->owner_column = ds_capture_get(res, i, idx[COL_OWNER_COLUMN]);
		s->unlogged = ds_capture_get_bool(res, i, idx[COL_UNLOGGED]);
		s->type = ds_capture_get(res, i, idx[COL_TYPE]);
		s->start = ds_capture_get(res, i, idx[COL_START]);
		s->increment = ds_capture_get(res, i, idx[COL_INCREMENT]);
		s->min = ds_capture_get(res, i, idx[COL_MIN]);
		s->max = ds_capture_get(res, i, idx[COL_MAX]);
		s->cache = ds_capture_get(res, i, idx[COL_CACHE]);
		s->cycle = ds_capture_get_bool(res, i, idx[COL_CYCLE]);
	}
	return 0;
}

void ds_capture_sequence_list_free(ds_seq_list *list)
{
	free(list->items);
	PQclear(list->res);
	list->items = NULL;
	list->res = NULL;
	list->n = 0;
}

void ds_capture_sequence_render(ds_buf *b, const ds_seq *seq)
{
	ds_buf_printf(b, "CREATE %sSEQUENCE %s AS %s", seq->unlogged ? "UNLOGGED " : "",
		      seq->qualified, seq->type);
	ds_buf_printf(b, " START WITH %s INCREMENT BY %s", seq->start, seq->increment);
	ds_buf_printf(b, " MINVALUE %s MAXVALUE %s CACHE %s", seq->min, seq->max, seq->cache);
	ds_buf_puts(b, seq->cycle ? " CYCLE;\n" : ";\n");
}

int ds_capture_sequence(ds_capture_ctx *ctx)
{
	ds_seq_list list = { 0 };
	int rc = ds_capture_sequence_gather(ctx, &list);
	if (rc)
		return rc;

	for (size_t i = 0; i < list.n; i++) {
		const ds_seq *s = &list.items[i];
		if (s->owner_relid != 0)
			continue; /* part of its table, or listed by uncaptured.sql */
		ds_buf b = DS_BUF_INIT;
		ds_capture_sequence_render(&b, s);
		ds_capture_object(ctx, &b, "pg_class", s->oid, s->schema, "sequence", s->name);
	}
	ds_capture_sequence_list_free(&list);
	return 0;
}
