/*
 * ts_dict.c - capture text search dictionaries (kind
 * "text_search_dictionary"):
 *
 *   CREATE TEXT SEARCH DICTIONARY s.d (
 *       TEMPLATE = pg_catalog.ispell,
 *       afffile = 'ispell_sample',
 *       dictfile = 'ispell_sample'
 *   );
 *
 * The options follow the template sorted by name (sql/capture/ts_dict.sql
 * says why). Text search templates and parsers are not captured (listed as
 * skipped by uncaptured.c): they are made of C functions, which a snapshot
 * cannot carry. Comments follow from attach.c.
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
	COL_TEMPLATE,
	COL_OPTIONS,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"dictid", "schema_name", "dictionary_name", "qualified_name", "template", "options",
};

int ds_capture_ts_dict(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_ts_dict, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; !rc && i < PQntuples(res); i++) {
		const char *schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		const char *name = ds_capture_get(res, i, idx[COL_NAME]);
		const char *qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		const char *template = ds_capture_get(res, i, idx[COL_TEMPLATE]);
		const char *options = ds_capture_get(res, i, idx[COL_OPTIONS]);
		if (!template) {
			rc = ds_error_set("text search dictionary %s: no template", qualified);
			break;
		}
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(&b, "CREATE TEXT SEARCH DICTIONARY %s (\n    TEMPLATE = %s",
			      qualified, template);
		if (options)
			ds_buf_printf(&b, ",\n    %s", options);
		ds_buf_puts(&b, "\n);\n");
		ds_capture_object(ctx, &b, "pg_ts_dict", ds_capture_get_oid(res, i, idx[COL_OID]),
				  schema, "text_search_dictionary", name);
	}

	PQclear(res);
	return rc;
}
