/*
 * ts_config.c - capture text search configurations (kind
 * "text_search_configuration"):
 *
 *   CREATE TEXT SEARCH CONFIGURATION s.c (
 *       PARSER = pg_catalog."default"
 *   );
 *   ALTER TEXT SEARCH CONFIGURATION s.c
 *       ADD MAPPING FOR asciiword WITH s.my_dict, english_stem;
 *   ...                                  one per mapped token type
 *
 * The configuration is created empty from its parser and every mapping is
 * added explicitly, in the parser's token order, so the text does not
 * depend on whether it was made with COPY or by hand. Parsers are not
 * captured (listed as skipped by uncaptured.c): they are made of C
 * functions. Comments follow from attach.c.
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
	COL_PARSER,
	COL_MAPPINGS,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"cfgid", "schema_name", "configuration_name", "qualified_name", "parser", "mappings",
};

int ds_capture_ts_config(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_ts_config, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; !rc && i < PQntuples(res); i++) {
		const char *schema = ds_capture_get(res, i, idx[COL_SCHEMA]);
		const char *name = ds_capture_get(res, i, idx[COL_NAME]);
		const char *qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]);
		const char *parser = ds_capture_get(res, i, idx[COL_PARSER]);
		const char *mappings = ds_capture_get(res, i, idx[COL_MAPPINGS]);
		if (!parser) {
			rc = ds_error_set("text search configuration %s: no parser", qualified);
			break;
		}
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(&b, "CREATE TEXT SEARCH CONFIGURATION %s (\n    PARSER = %s\n);\n",
			      qualified, parser);
		if (mappings)
			ds_buf_printf(&b, "%s\n", mappings);
		ds_capture_object(ctx, &b, "pg_ts_config", ds_capture_get_oid(res, i, idx[COL_OID]),
				  schema, "text_search_configuration", name);
	}

	PQclear(res);
	return rc;
}
