/*
 * table_index.c - the indexes of a table (sql/capture/table_indexes.sql):
 *
 *   CREATE [UNIQUE] INDEX name ON [ONLY] s.t USING ... (...) [INCLUDE (...)]
 *       [NULLS NOT DISTINCT] [WITH (...)] [WHERE ...];
 *   ALTER INDEX s.name ALTER COLUMN 2 SET STATISTICS 500;
 *   ALTER INDEX s.parent_index ATTACH PARTITION s.name;
 *   ALTER TABLE s.t CLUSTER ON name;
 *   ALTER TABLE ONLY s.t REPLICA IDENTITY USING INDEX name;
 *
 * The CREATE INDEX is pg_get_indexdef()'s: expressions, operator classes,
 * collations, sort order, partial predicates and storage parameters are in
 * it, and a partitioned table's index is created ON ONLY that table, so
 * that it never creates indexes on the partitions by itself. Each
 * partition's own index is attached to it from the partition's text.
 * Indexes backing a constraint are created by their constraint; what ALTER
 * says about them is written all the same.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "table_int.h"

enum {
	I_RELID,
	I_NAME,
	I_QUALIFIED,
	I_DEFINITION,
	I_IS_CONSTRAINT,
	I_ATTACHED_TO,
	I_CLUSTERED,
	I_REPLICA_IDENTITY,
	I_STATISTICS,
	I_NCOLS
};
static const char *const index_columns[I_NCOLS] = {
	"relid",       "index_name",   "qualified_name",      "definition",	   "is_constraint",
	"attached_to", "is_clustered", "is_replica_identity", "column_statistics",
};

int tbl_index_read(ds_capture_ctx *ctx, tbl_part *part)
{
	return tbl_part_read(ctx, part, ds_sql_capture_table_indexes, "indexes", index_columns,
			     I_NCOLS);
}

size_t tbl_index_of(const tbl_part *part, unsigned long relid, tbl_index **out)
{
	const int *idx = part->idx;
	const PGresult *res = part->res;
	int begin, end;
	tbl_rows_of(res, idx[I_RELID], relid, &begin, &end);
	*out = ds_xcalloc((size_t)(end - begin), sizeof **out);
	for (int r = begin; r < end; r++) {
		tbl_index *ix = &(*out)[r - begin];
		ix->name = ds_capture_get(res, r, idx[I_NAME]);
		ix->qualified = ds_capture_get(res, r, idx[I_QUALIFIED]);
		ix->definition = ds_capture_get(res, r, idx[I_DEFINITION]);
		ix->is_constraint = ds_capture_get_bool(res, r, idx[I_IS_CONSTRAINT]);
		ix->attached_to = ds_capture_get(res, r, idx[I_ATTACHED_TO]);
		ix->clustered = ds_capture_get_bool(res, r, idx[I_CLUSTERED]);
		ix->replica_identity = ds_capture_get_bool(res, r, idx[I_REPLICA_IDENTITY]);
		ix->column_statistics = ds_capture_get(res, r, idx[I_STATISTICS]);
	}
	return (size_t)(end - begin);
}

/* "2 500,3 100": the statistics targets of an index's expression columns. */
static void render_statistics(ds_buf *b, const tbl_index *ix)
{
	const char *p = ix->column_statistics;
	int column, target, used;
	while (p && sscanf(p, "%d %d%n", &column, &target, &used) == 2) {
		ds_buf_printf(b, "ALTER INDEX %s ALTER COLUMN %d SET STATISTICS %d;\n",
			      ix->qualified, column, target);
		p += used;
		if (*p == ',')
			p++;
	}
}

void tbl_index_render_create(ds_buf *b, const tbl_index *ix, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!ix[i].is_constraint)
			ds_buf_printf(b, "%s;\n", ix[i].definition);
		render_statistics(b, &ix[i]);
	}
}

void tbl_index_render_attach(ds_buf *b, const tbl_index *ix, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ix[i].attached_to)
			ds_buf_printf(b, "ALTER INDEX %s ATTACH PARTITION %s;\n", ix[i].attached_to,
				      ix[i].qualified);
}

void tbl_index_render_settings(ds_buf *b, const tbl_index *ix, size_t n, const char *table)
{
	for (size_t i = 0; i < n; i++) {
		if (ix[i].clustered)
			ds_buf_printf(b, "ALTER TABLE %s CLUSTER ON %s;\n", table, ix[i].name);
		if (ix[i].replica_identity)
			ds_buf_printf(b, "ALTER TABLE ONLY %s REPLICA IDENTITY USING INDEX %s;\n",
				      table, ix[i].name);
	}
}
