/*
 * table_column.c - the columns of a table (sql/capture/table_columns.sql):
 *
 *   inside CREATE TABLE, one line each:
 *       name type [COLLATE c] [GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(...)]]
 *           [GENERATED ALWAYS AS (expr) STORED | DEFAULT expr] [NOT NULL]
 *   after it, what CREATE TABLE cannot say:
 *       ALTER TABLE ONLY s.t ALTER COLUMN c SET DEFAULT expr | DROP DEFAULT
 *           | ADD GENERATED ... AS IDENTITY | SET NOT NULL
 *           | SET STATISTICS n | SET STORAGE s | SET COMPRESSION m | SET (options);
 *
 * The first four are for an inheritance child: what it does not write (it
 * gets the column from its parents), and what it may copy from a parent in
 * another state than its own (see table_columns.sql). ONLY, so that a
 * parent's setting never reaches a child that says its own.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "table_int.h"

enum {
	C_RELID,
	C_NAME,
	C_TYPE,
	C_COLLATION,
	C_IDENTITY,
	C_GENERATED,
	C_EXPR,
	C_NOT_NULL,
	C_WRITTEN,
	C_STORAGE,
	C_COMPRESSION,
	C_STAT_TARGET,
	C_OPTIONS,
	C_DROP_DEFAULT,
	C_NOT_NULL_ALTER,
	C_SEQ_NAME,
	C_SEQ_NAME_IS_DEFAULT,
	C_SEQ_TYPE,
	C_SEQ_START,
	C_SEQ_INCREMENT,
	C_SEQ_MIN,
	C_SEQ_MAX,
	C_SEQ_CACHE,
	C_SEQ_CYCLE,
	C_NCOLS
};
static const char *const column_columns[C_NCOLS] = {
	"relid",
	"column_name",
	"type_name",
	"collation_name",
	"identity",
	"generated",
	"default_expr",
	"not_null",
	"is_written",
	"storage",
	"compression",
	"stat_target",
	"options",
	"drop_default",
	"not_null_alter",
	"seq_name",
	"seq_name_is_default",
	"seq_type",
	"seq_start",
	"seq_increment",
	"seq_min",
	"seq_max",
	"seq_cache",
	"seq_cycle",
};

int tbl_column_read(ds_capture_ctx *ctx, tbl_part *part)
{
	return tbl_part_read(ctx, part, ds_sql_capture_table_columns, "columns", column_columns,
			     C_NCOLS);
}

size_t tbl_column_of(const tbl_part *part, unsigned long relid, tbl_column **out)
{
	const int *idx = part->idx;
	const PGresult *res = part->res;
	int begin, end;
	tbl_rows_of(res, idx[C_RELID], relid, &begin, &end);
	*out = ds_xcalloc((size_t)(end - begin), sizeof **out);
	for (int r = begin; r < end; r++) {
		tbl_column *c = &(*out)[r - begin];
		c->name = ds_capture_get(res, r, idx[C_NAME]);
		c->type = ds_capture_get(res, r, idx[C_TYPE]);
		c->collation = ds_capture_get(res, r, idx[C_COLLATION]);
		c->identity = tbl_char(ds_capture_get(res, r, idx[C_IDENTITY]));
		c->generated = tbl_char(ds_capture_get(res, r, idx[C_GENERATED]));
		c->expr = ds_capture_get(res, r, idx[C_EXPR]);
		c->not_null = ds_capture_get_bool(res, r, idx[C_NOT_NULL]);
		c->written = ds_capture_get_bool(res, r, idx[C_WRITTEN]);
		c->storage = ds_capture_get(res, r, idx[C_STORAGE]);
		c->compression = ds_capture_get(res, r, idx[C_COMPRESSION]);
		c->stat_target = ds_capture_get(res, r, idx[C_STAT_TARGET]);
		c->options = ds_capture_get(res, r, idx[C_OPTIONS]);
		c->drop_default = ds_capture_get_bool(res, r, idx[C_DROP_DEFAULT]);
		c->not_null_alter = ds_capture_get(res, r, idx[C_NOT_NULL_ALTER]);
		c->seq_name = ds_capture_get(res, r, idx[C_SEQ_NAME]);
		c->seq_name_is_default = ds_capture_get_bool(res, r, idx[C_SEQ_NAME_IS_DEFAULT]);
		c->seq_type = ds_capture_get(res, r, idx[C_SEQ_TYPE]);
		c->seq_start = ds_capture_get(res, r, idx[C_SEQ_START]);
		c->seq_increment = ds_capture_get(res, r, idx[C_SEQ_INCREMENT]);
		c->seq_min = ds_capture_get(res, r, idx[C_SEQ_MIN]);
		c->seq_max = ds_capture_get(res, r, idx[C_SEQ_MAX]);
		c->seq_cache = ds_capture_get(res, r, idx[C_SEQ_CACHE]);
		c->seq_cycle = ds_capture_get_bool(res, r, idx[C_SEQ_CYCLE]);
	}
	return (size_t)(end - begin);
}

/* Bounds of the integer types a sequence can have. */
static bool type_bounds(const char *type, long long *min, long long *max)
{
	if (strcmp(type, "smallint") == 0) {
		*min = -32768;
		*max = 32767;
	} else if (strcmp(type, "integer") == 0) {
		*min = -2147483647LL - 1;
		*max = 2147483647;
	} else if (strcmp(type, "bigint") == 0) {
		*min = -9223372036854775807LL - 1;
		*max = 9223372036854775807LL;
	} else {
		return false;
	}
	return true;
}

/*
 * " GENERATED ... AS IDENTITY" and the options of the column's sequence
 * that differ from what PostgreSQL would choose for it alone, so the common
 * case stays short and the rare one still round-trips. The defaults are
 * those of CREATE SEQUENCE: an ascending sequence runs from 1 to the type's
 * maximum, a descending one from -1 down to its minimum, and starts at its
 * MINVALUE (ascending) or MAXVALUE (descending).
 */
static int render_identity(ds_buf *b, const tbl_column *c)
{
	long long tmin, tmax;
	if (!c->seq_name || !c->seq_type || !c->seq_start || !c->seq_increment || !c->seq_min ||
	    !c->seq_max || !c->seq_cache || !type_bounds(c->seq_type, &tmin, &tmax))
		return ds_error_set("column %s: identity sequence not found", c->name);

	long long start = strtoll(c->seq_start, NULL, 10);
	long long increment = strtoll(c->seq_increment, NULL, 10);
	long long min = strtoll(c->seq_min, NULL, 10);
	long long max = strtoll(c->seq_max, NULL, 10);
	long long cache = strtoll(c->seq_cache, NULL, 10);
	bool ascending = increment > 0;
	ds_buf opts = DS_BUF_INIT;

	ds_buf_puts(b, c->identity == 'a' ? " GENERATED ALWAYS AS IDENTITY" :
					    " GENERATED BY DEFAULT AS IDENTITY");
	if (!c->seq_name_is_default)
		ds_buf_printf(&opts, " SEQUENCE NAME %s", c->seq_name);
	if (start != (ascending ? min : max))
		ds_buf_printf(&opts, " START WITH %s", c->seq_start);
	if (increment != 1)
		ds_buf_printf(&opts, " INCREMENT BY %s", c->seq_increment);
	if (min != (ascending ? 1 : tmin))
		ds_buf_printf(&opts, " MINVALUE %s", c->seq_min);
	if (max != (ascending ? tmax : -1))
		ds_buf_printf(&opts, " MAXVALUE %s", c->seq_max);
	if (cache != 1)
		ds_buf_printf(&opts, " CACHE %s", c->seq_cache);
	if (c->seq_cycle)
		ds_buf_puts(&opts, " CYCLE");
	if (opts.len)
		ds_buf_printf(b, " (%s)", ds_buf_cstr(&opts) + 1);
	ds_buf_free(&opts);
	return 0;
}

int tbl_column_render(ds_buf *b, const tbl_column *c, bool typed)
{
	if (typed)
		ds_buf_printf(b, "%s WITH OPTIONS", c->name);
	else
		ds_buf_printf(b, "%s %s", c->name, c->type);
	if (c->collation && !typed)
		ds_buf_printf(b, " COLLATE %s", c->collation);
	if (c->identity) {
		int rc = render_identity(b, c);
		if (rc)
			return rc;
	}
	if (c->generated && c->expr)
		ds_buf_printf(b, " GENERATED ALWAYS AS (%s) STORED", c->expr);
	else if (c->expr)
		ds_buf_printf(b, " DEFAULT %s", c->expr);
	if (c->not_null)
		ds_buf_puts(b, " NOT NULL");
	return 0;
}

/*
 * What an inheritance child's CREATE TABLE does not say about a column, or
 * may say otherwise because it copies it from a parent: the default, NOT
 * NULL (before the identity, which needs it), the identity.
 */
static int render_inherited(ds_buf *b, const tbl_column *c, const char *alter)
{
	if (!c->written && c->expr && !c->generated)
		ds_buf_printf(b, "%s SET DEFAULT %s;\n", alter, c->expr);
	if (c->drop_default)
		ds_buf_printf(b, "%s DROP DEFAULT;\n", alter);
	if (c->not_null_alter)
		ds_buf_printf(b, "%s %s;\n", alter, c->not_null_alter);
	if (!c->written && c->identity) {
		ds_buf_printf(b, "%s ADD", alter);
		int rc = render_identity(b, c);
		if (rc)
			return rc;
		ds_buf_puts(b, ";\n");
	}
	return 0;
}

int tbl_column_render_alters(ds_buf *b, const tbl_column *c, size_t n, const char *table)
{
	ds_buf alter = DS_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		ds_buf_clear(&alter);
		ds_buf_printf(&alter, "ALTER TABLE ONLY %s ALTER COLUMN %s", table, c[i].name);
		const char *a = ds_buf_cstr(&alter);
		rc = render_inherited(b, &c[i], a);
		if (c[i].stat_target)
			ds_buf_printf(b, "%s SET STATISTICS %s;\n", a, c[i].stat_target);
		if (c[i].storage)
			ds_buf_printf(b, "%s SET STORAGE %s;\n", a, c[i].storage);
		if (c[i].compression)
			ds_buf_printf(b, "%s SET COMPRESSION %s;\n", a, c[i].compression);
		if (c[i].options)
			ds_buf_printf(b, "%s SET (%s);\n", a, c[i].options);
	}
	ds_buf_free(&alter);
	return rc;
}
