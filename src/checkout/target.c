/*
 * target.c - the database a checkout writes: its session, and the check
 * that it is empty (docs/checkout.md, "The target").
 */
#include <string.h>

#include "checkout_int.h"
#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

static void on_notice(void *arg, const PGresult *res)
{
	const ds_co_notices *ctx = arg;
	const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (!primary)
		return;
	if (!severity)
		severity = "NOTICE";
	if (ctx->current)
		fprintf(ctx->log, "checkout: %s, statement %d: %s: %s\n", ctx->current->path,
			ctx->current->number, severity, primary);
	else
		fprintf(ctx->log, "checkout: %s: %s\n", severity, primary);
}

void ds_co_target_notices(PGconn *conn, ds_co_notices *ctx)
{
	PQsetNoticeReceiver(conn, on_notice, ctx);
}

int ds_co_target_session(PGconn *conn)
{
	int rc = ds_db_query(conn, NULL, ds_sql_checkout_session, 0, NULL);
	return rc ? ds_error_wrap(rc, "preparing the checkout session") : 0;
}

int ds_co_target_check_empty(PGconn *conn, const char *name, int *has_public)
{
	PGresult *res = NULL;
	int rc = ds_db_query(conn, &res, ds_sql_checkout_user_objects, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "looking for objects in %s", name);
	int n = PQntuples(res);
	if (n > 0) {
		ds_buf what = DS_BUF_INIT;
		for (int i = 0; i < n; i++)
			ds_buf_printf(&what, "%s%s", i ? ", " : "", PQgetvalue(res, i, 0));
		rc = ds_error_setc(DS_EINVALID,
				   "database %s is not empty (%s%s); a checkout writes into an"
				   " empty database, e.g. one created from template0",
				   name, what.ptr, n == 10 ? ", ..." : "");
		ds_buf_free(&what);
		PQclear(res);
		return rc;
	}
	PQclear(res);

	rc = ds_db_query(conn, &res, ds_sql_checkout_has_public, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "looking for schema public in %s", name);
	*has_public = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return 0;
}
