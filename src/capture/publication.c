/*
 * publication.c - capture publications (database-wide,
 * %global/publication/), in one statement:
 *
 *   CREATE PUBLICATION name
 *       [FOR ALL TABLES
 *       | FOR TABLES IN SCHEMA s, ...
 *           TABLE ONLY s.t [(col, ...)] [WHERE (expr)], ...]
 *       [WITH (publish = '...', publish_via_partition_root = true)];
 *
 * One statement rather than pg_dump's CREATE plus one ALTER PUBLICATION
 * ... ADD per member: some members are only valid together with the
 * options (a partitioned table's column list needs
 * publish_via_partition_root), and the whole publication reads at once.
 * What is listed and in which order: publication.sql.
 */
#include "capture_int.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_NAME,
	COL_QUOTED,
	COL_ALL_TABLES,
	COL_MEMBERS,
	COL_PUBLISH,
	COL_VIA_ROOT,
	NCOLS
};
static const char *const columns[NCOLS] = { "pub_oid", "pub_name", "quoted_name", "all_tables",
					    "members", "publish",  "via_root" };

int ds_capture_publication(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_publication, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; i < PQntuples(res); i++) {
		const char *members = ds_capture_get(res, i, idx[COL_MEMBERS]);
		const char *publish = ds_capture_get(res, i, idx[COL_PUBLISH]);
		bool via_root = ds_capture_get_bool(res, i, idx[COL_VIA_ROOT]);
		ds_buf b = DS_BUF_INIT;

		ds_buf_printf(&b, "CREATE PUBLICATION %s", PQgetvalue(res, i, idx[COL_QUOTED]));
		if (ds_capture_get_bool(res, i, idx[COL_ALL_TABLES]))
			ds_buf_puts(&b, " FOR ALL TABLES");
		else if (members)
			ds_buf_printf(&b, "\n    FOR %s", members);
		if (publish || via_root) {
			ds_buf_puts(&b, "\n    WITH (");
			if (publish)
				ds_buf_printf(&b, "publish = '%s'%s", publish,
					      via_root ? ", " : "");
			if (via_root)
				ds_buf_puts(&b, "publish_via_partition_root = true");
			ds_buf_putc(&b, ')');
		}
		ds_buf_puts(&b, ";\n");
		ds_capture_object(ctx, &b, "pg_publication",
				  ds_capture_get_oid(res, i, idx[COL_OID]), NULL, "publication",
				  PQgetvalue(res, i, idx[COL_NAME]));
	}
	PQclear(res);
	return 0;
}
