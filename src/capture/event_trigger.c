/*
 * event_trigger.c - capture event triggers (database-wide,
 * %global/event_trigger/):
 *
 *   CREATE EVENT TRIGGER name ON event
 *       [WHEN TAG IN ('TAG', ...)]
 *       EXECUTE FUNCTION s.f();
 *   [ALTER EVENT TRIGGER name DISABLE | ENABLE REPLICA | ENABLE ALWAYS;]
 *
 * The ALTER is written only when the trigger does not fire in the default
 * (origin) mode. pgGit's own event triggers serve the history, not the
 * schema, and are never captured (see event_trigger.sql); this is the one
 * place where a snapshot deliberately differs from what pg_dump shows.
 */
#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	COL_OID,
	COL_NAME,
	COL_QUOTED,
	COL_EVENT,
	COL_TAGS,
	COL_FUNCTION,
	COL_ENABLED,
	NCOLS
};
static const char *const columns[NCOLS] = { "evt_oid", "evt_name",	"quoted_name", "event",
					    "tags",    "function_name", "enabled" };

/* The ALTER for a firing mode other than the default 'O' (origin). */
static int enabled_clause(char mode, const char **clause)
{
	switch (mode) {
	case 'O':
		*clause = NULL;
		return 0;
	case 'D':
		*clause = "DISABLE";
		return 0;
	case 'R':
		*clause = "ENABLE REPLICA";
		return 0;
	case 'A':
		*clause = "ENABLE ALWAYS";
		return 0;
	default:
		return ds_error_set("unknown firing mode '%c'", mode);
	}
}

int ds_capture_event_trigger(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_event_trigger, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; !rc && i < PQntuples(res); i++) {
		const char *quoted = PQgetvalue(res, i, idx[COL_QUOTED]);
		const char *tags = ds_capture_get(res, i, idx[COL_TAGS]);
		const char *clause = NULL;
		rc = enabled_clause(PQgetvalue(res, i, idx[COL_ENABLED])[0], &clause);
		if (rc) {
			ds_error_wrap(rc, "event trigger %s", quoted);
			break;
		}
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(&b, "CREATE EVENT TRIGGER %s ON %s\n", quoted,
			      PQgetvalue(res, i, idx[COL_EVENT]));
		if (tags)
			ds_buf_printf(&b, "    WHEN TAG IN (%s)\n", tags);
		ds_buf_printf(&b, "    EXECUTE FUNCTION %s();\n",
			      PQgetvalue(res, i, idx[COL_FUNCTION]));
		if (clause)
			ds_buf_printf(&b, "ALTER EVENT TRIGGER %s %s;\n", quoted, clause);
		ds_capture_object(ctx, &b, "pg_event_trigger",
				  ds_capture_get_oid(res, i, idx[COL_OID]), NULL, "event_trigger",
				  PQgetvalue(res, i, idx[COL_NAME]));
	}
	PQclear(res);
	return rc;
}
