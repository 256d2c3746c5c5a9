/*
 * foreign_table.c - capture foreign tables, one text per table:
 *
 *   CREATE SEQUENCE ...;                  sequences owned by its columns
 *   CREATE FOREIGN TABLE s.t (
 *       col type [OPTIONS (name 'value', ...)] [COLLATE c]
 *           [GENERATED ALWAYS AS (expr) STORED | DEFAULT expr] [NOT NULL],
 *       CONSTRAINT name CHECK (...)
 *   )
 *   SERVER srv[
 *   OPTIONS (name 'value', ...)];
 *   ALTER SEQUENCE ... OWNED BY s.t.col;
 *   ALTER FOREIGN TABLE s.t ADD CONSTRAINT name CHECK (...) NOT VALID;
 *
 * Columns in attnum order, constraints by name, options by name (see
 * foreign_data_wrapper.sql). Comments and privileges follow from attach.c.
 *
 * Not captured yet (listed as skipped by uncaptured.c): foreign tables that
 * are partitions, inheritance (a child is captured without its parents),
 * triggers, and column settings CREATE FOREIGN TABLE cannot say (statistics
 * target, storage, attribute options).
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	T_RELID,
	T_SCHEMA,
	T_NAME,
	T_QUALIFIED,
	T_SERVER,
	T_OPTIONS,
	T_NCOLS
};
static const char *const table_columns[T_NCOLS] = {
	"relid", "schema_name", "table_name", "qualified_name", "server_name", "options",
};

enum {
	C_RELID,
	C_NAME,
	C_TYPE,
	C_COLLATION,
	C_OPTIONS,
	C_GENERATED,
	C_EXPR,
	C_NOT_NULL,
	C_NCOLS
};
static const char *const column_columns[C_NCOLS] = {
	"relid",   "column_name", "type_name",	  "collation_name",
	"options", "generated",	  "default_expr", "not_null",
};

enum {
	K_RELID,
	K_NAME,
	K_DEFINITION,
	K_SEPARATE,
	K_NCOLS
};
static const char *const constraint_columns[K_NCOLS] = { "relid", "constraint_name", "definition",
							 "is_separate" };

typedef struct {
	PGresult *tables, *columns, *constraints;
	int tidx[T_NCOLS], cidx[C_NCOLS], kidx[K_NCOLS];
	ds_seq_list sequences;
} ft_catalog;

/*
 * The rows of res (sorted by its relid column col) that belong to relid, as
 * [*begin, *end), found by binary search.
 */
static void rows_of(const PGresult *res, int col, unsigned long relid, int *begin, int *end)
{
	int lo = 0, hi = PQntuples(res);
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ds_capture_get_oid(res, mid, col) < relid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*begin = lo;
	while (lo < PQntuples(res) && ds_capture_get_oid(res, lo, col) == relid)
		lo++;
	*end = lo;
}

static void render_column(ds_buf *b, const ft_catalog *cat, int r)
{
	const PGresult *res = cat->columns;
	const int *idx = cat->cidx;
	const char *collation = ds_capture_get(res, r, idx[C_COLLATION]);
	const char *options = ds_capture_get(res, r, idx[C_OPTIONS]);
	const char *generated = ds_capture_get(res, r, idx[C_GENERATED]);
	const char *expr = ds_capture_get(res, r, idx[C_EXPR]);

	ds_buf_printf(b, "    %s %s", PQgetvalue(res, r, idx[C_NAME]),
		      PQgetvalue(res, r, idx[C_TYPE]));
	if (options)
		ds_buf_printf(b, " OPTIONS (%s)", options);
	if (collation)
		ds_buf_printf(b, " COLLATE %s", collation);
	if (expr && generated && generated[0] == 's')
		ds_buf_printf(b, " GENERATED ALWAYS AS (%s) STORED", expr);
	else if (expr)
		ds_buf_printf(b, " DEFAULT %s", expr);
	if (ds_capture_get_bool(res, r, idx[C_NOT_NULL]))
		ds_buf_puts(b, " NOT NULL");
}

static void render(ds_buf *b, const ft_catalog *cat, int t)
{
	unsigned long relid = ds_capture_get_oid(cat->tables, t, cat->tidx[T_RELID]);
	const char *qualified = PQgetvalue(cat->tables, t, cat->tidx[T_QUALIFIED]);
	const char *options = ds_capture_get(cat->tables, t, cat->tidx[T_OPTIONS]);
	const char *sep = "\n";
	int begin, end;

	for (size_t i = 0; i < cat->sequences.n; i++)
		if (cat->sequences.items[i].owner_relid == relid)
			ds_capture_sequence_render(b, &cat->sequences.items[i]);

	ds_buf_printf(b, "CREATE FOREIGN TABLE %s (", qualified);
	rows_of(cat->columns, cat->cidx[C_RELID], relid, &begin, &end);
	for (int r = begin; r < end; r++) {
		ds_buf_puts(b, sep);
		render_column(b, cat, r);
		sep = ",\n";
	}
	rows_of(cat->constraints, cat->kidx[K_RELID], relid, &begin, &end);
	for (int r = begin; r < end; r++) {
		if (ds_capture_get_bool(cat->constraints, r, cat->kidx[K_SEPARATE]))
			continue;
		ds_buf_printf(b, "%s    CONSTRAINT %s %s", sep,
			      PQgetvalue(cat->constraints, r, cat->kidx[K_NAME]),
			      PQgetvalue(cat->constraints, r, cat->kidx[K_DEFINITION]));
		sep = ",\n";
	}
	ds_buf_printf(b, "\n)\nSERVER %s", PQgetvalue(cat->tables, t, cat->tidx[T_SERVER]));
	if (options)
		ds_buf_printf(b, "\nOPTIONS (%s)", options);
	ds_buf_puts(b, ";\n");

	for (size_t i = 0; i < cat->sequences.n; i++) {
		const ds_seq *s = &cat->sequences.items[i];
		if (s->owner_relid == relid)
			ds_buf_printf(b, "ALTER SEQUENCE %s OWNED BY %s;\n", s->qualified,
				      s->owner_column);
	}
	for (int r = begin; r < end; r++) {
		if (!ds_capture_get_bool(cat->constraints, r, cat->kidx[K_SEPARATE]))
			continue;
		ds_buf_printf(b, "ALTER FOREIGN TABLE %s ADD CONSTRAINT %s %s;\n", qualified,
			      PQgetvalue(cat->constraints, r, cat->kidx[K_NAME]),
			      PQgetvalue(cat->constraints, r, cat->kidx[K_DEFINITION]));
	}
}

static int gather(ds_capture_ctx *ctx, ft_catalog *cat)
{
	int rc;
	if ((rc = ds_capture_query(ctx, &cat->tables, ds_sql_capture_foreign_table, table_columns,
				   T_NCOLS, cat->tidx)))
		return ds_error_wrap(rc, "reading foreign tables");
	if ((rc = ds_capture_query(ctx, &cat->columns, ds_sql_capture_foreign_table_columns,
				   column_columns, C_NCOLS, cat->cidx)))
		return ds_error_wrap(rc, "reading columns");
	if ((rc = ds_capture_query(ctx, &cat->constraints, ds_sql_capture_foreign_table_constraints,
				   constraint_columns, K_NCOLS, cat->kidx)))
		return ds_error_wrap(rc, "reading constraints");
	return ds_capture_sequence_gather(ctx, &cat->sequences);
}

int ds_capture_foreign_table(ds_capture_ctx *ctx)
{
	ft_catalog cat = { 0 };
	int rc = gather(ctx, &cat);

	for (int t = 0; !rc && cat.tables && t < PQntuples(cat.tables); t++) {
		ds_buf b = DS_BUF_INIT;
		render(&b, &cat, t);
		ds_capture_object(ctx, &b, "pg_class",
				  ds_capture_get_oid(cat.tables, t, cat.tidx[T_RELID]),
				  PQgetvalue(cat.tables, t, cat.tidx[T_SCHEMA]), "foreign_table",
				  PQgetvalue(cat.tables, t, cat.tidx[T_NAME]));
	}
	PQclear(cat.tables);
	PQclear(cat.columns);
	PQclear(cat.constraints);
	ds_capture_sequence_list_free(&cat.sequences);
	return rc;
}
