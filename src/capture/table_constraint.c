/*
 * table_constraint.c - the constraints of a table (sql/capture/
 * table_constraints.sql), and the helpers every table part shares:
 *
 *   CREATE TABLE s.t (
 *       ...,
 *       CONSTRAINT name CHECK (...) | PRIMARY KEY (...) | UNIQUE ... | EXCLUDE ...
 *   );
 *   ALTER TABLE s.t ADD CONSTRAINT name CHECK (...) NOT VALID;
 *   ALTER TABLE s.t ADD CONSTRAINT name FOREIGN KEY (...) REFERENCES ...;
 *   ALTER TABLE s.t VALIDATE CONSTRAINT name;
 *
 * The definitions are pg_get_constraintdef()'s: deferrability, NOT VALID,
 * NO INHERIT, NULLS NOT DISTINCT, INCLUDE and index storage parameters are
 * all in them. ALTER TABLE without ONLY, as the constraint was added: a
 * CHECK constraint reaches the table's inheritance children, a foreign key
 * of a partitioned table its partitions.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "table_int.h"

enum {
	K_RELID,
	K_NAME,
	K_DEFINITION,
	K_PLACEMENT,
	K_NCOLS
};
static const char *const constraint_columns[K_NCOLS] = {
	"relid",
	"constraint_name",
	"definition",
	"placement",
};

int tbl_constraint_read(ds_capture_ctx *ctx, tbl_part *part)
{
	return tbl_part_read(ctx, part, ds_sql_capture_table_constraints, "constraints",
			     constraint_columns, K_NCOLS);
}

static tbl_placement placement_of(const char *s)
{
	if (strcmp(s, "separate") == 0)
		return TBL_SEPARATE;
	if (strcmp(s, "foreign key") == 0)
		return TBL_FOREIGN_KEY;
	if (strcmp(s, "validate") == 0)
		return TBL_VALIDATE;
	return TBL_INLINE;
}

size_t tbl_constraint_of(const tbl_part *part, unsigned long relid, tbl_constraint **out)
{
	const int *idx = part->idx;
	int begin, end;
	tbl_rows_of(part->res, idx[K_RELID], relid, &begin, &end);
	*out = ds_xcalloc((size_t)(end - begin), sizeof **out);
	for (int r = begin; r < end; r++) {
		tbl_constraint *k = &(*out)[r - begin];
		k->name = ds_capture_get(part->res, r, idx[K_NAME]);
		k->definition = ds_capture_get(part->res, r, idx[K_DEFINITION]);
		k->placement = placement_of(ds_capture_get(part->res, r, idx[K_PLACEMENT]));
	}
	return (size_t)(end - begin);
}

void tbl_constraint_render_inline(ds_buf *b, const tbl_constraint *k, size_t n, const char **sep)
{
	for (size_t i = 0; i < n; i++) {
		if (k[i].placement != TBL_INLINE)
			continue;
		ds_buf_printf(b, "%s    CONSTRAINT %s %s", *sep, k[i].name, k[i].definition);
		*sep = ",\n";
	}
}

void tbl_constraint_render(ds_buf *b, const tbl_constraint *k, size_t n, const char *table,
			   tbl_placement placement)
{
	for (size_t i = 0; i < n; i++) {
		if (k[i].placement != placement)
			continue;
		if (placement == TBL_VALIDATE)
			ds_buf_printf(b, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n", table,
				      k[i].name);
		else
			ds_buf_printf(b, "ALTER TABLE %s ADD CONSTRAINT %s %s;\n", table, k[i].name,
				      k[i].definition);
	}
}
