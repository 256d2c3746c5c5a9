/*
 * table_policy.c - the row level security policies of a table
 * (sql/capture/table_policies.sql):
 *
 *   CREATE POLICY name ON s.t [AS RESTRICTIVE] [FOR command] [TO roles]
 *       [USING (expr)] [WITH CHECK (expr)];
 *
 * on one line, with only the clauses that differ from CREATE POLICY's
 * defaults (permissive, for all commands, to PUBLIC). Whether the table
 * enforces them (ENABLE / FORCE ROW LEVEL SECURITY) is said by table.c.
 */
#include <stdlib.h>

#include "ddlsnap_sql.h"
#include "table_int.h"

enum {
	P_RELID,
	P_NAME,
	P_PERMISSIVE,
	P_COMMAND,
	P_ROLES,
	P_USING,
	P_CHECK,
	P_NCOLS
};
static const char *const policy_columns[P_NCOLS] = {
	"relid", "policy_name", "is_permissive", "command", "roles", "using_expr", "check_expr",
};

int tbl_policy_read(ds_capture_ctx *ctx, tbl_part *part)
{
	return tbl_part_read(ctx, part, ds_sql_capture_table_policies, "policies", policy_columns,
			     P_NCOLS);
}

size_t tbl_policy_of(const tbl_part *part, unsigned long relid, tbl_policy **out)
{
	const int *idx = part->idx;
	const PGresult *res = part->res;
	int begin, end;
	tbl_rows_of(res, idx[P_RELID], relid, &begin, &end);
	*out = ds_xcalloc((size_t)(end - begin), sizeof **out);
	for (int r = begin; r < end; r++) {
		tbl_policy *po = &(*out)[r - begin];
		po->name = ds_capture_get(res, r, idx[P_NAME]);
		po->permissive = ds_capture_get_bool(res, r, idx[P_PERMISSIVE]);
		po->command = ds_capture_get(res, r, idx[P_COMMAND]);
		po->roles = ds_capture_get(res, r, idx[P_ROLES]);
		po->using_expr = ds_capture_get(res, r, idx[P_USING]);
		po->check_expr = ds_capture_get(res, r, idx[P_CHECK]);
	}
	return (size_t)(end - begin);
}

void tbl_policy_render(ds_buf *b, const tbl_policy *po, size_t n, const char *table)
{
	for (size_t i = 0; i < n; i++) {
		ds_buf_printf(b, "CREATE POLICY %s ON %s", po[i].name, table);
		if (!po[i].permissive)
			ds_buf_puts(b, " AS RESTRICTIVE");
		if (po[i].command)
			ds_buf_printf(b, " FOR %s", po[i].command);
		if (po[i].roles)
			ds_buf_printf(b, " TO %s", po[i].roles);
		if (po[i].using_expr)
			ds_buf_printf(b, " USING (%s)", po[i].using_expr);
		if (po[i].check_expr)
			ds_buf_printf(b, " WITH CHECK (%s)", po[i].check_expr);
		ds_buf_puts(b, ";\n");
	}
}
