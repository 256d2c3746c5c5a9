/*
 * read_store.c - a snapshot from the v2 store (pggit_v2.*): resolve the
 * revision against refs, HEAD and commit_graph, then read the whole tree in
 * one recursive query. Each blob's content is hashed again and must give
 * the SHA it is stored under, so a tampered store row cannot slip DDL into
 * a checkout unnoticed.
 */
#include <stdlib.h>
#include <string.h>

#include "checkout_int.h"
#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

static const char *const rank_names[] = {
	"commit", "ref", "tag", "branch", "HEAD", "commit prefix",
};

static int resolve(PGconn *conn, const char *rev, ds_co_snapshot *out)
{
	PGresult *res = NULL;
	const char *params[] = { rev };
	int rc = ds_db_query(conn, &res, ds_sql_checkout_store_resolve, 1, params);
	if (rc)
		return ds_error_wrap(rc, "resolving '%s' in the v2 store", rev);
	int n = PQntuples(res);
	if (n == 0) {
		PQclear(res);
		return ds_error_setc(
			DS_ENOTFOUND,
			"unknown revision '%s': no ref, branch or commit of the v2 store"
			" is named so",
			rev);
	}
	/* the lowest rank wins; several rows of that rank are ambiguous */
	int same = 1;
	while (same < n && strcmp(PQgetvalue(res, same, 0), PQgetvalue(res, 0, 0)) == 0)
		same++;
	int rank = atoi(PQgetvalue(res, 0, 0));
	if (same > 1) {
		ds_buf list = DS_BUF_INIT;
		for (int i = 0; i < same; i++)
			ds_buf_printf(&list, "%s%s", i ? ", " : "", PQgetvalue(res, i, 1));
		rc = ds_error_setc(DS_EINVALID,
				   "ambiguous revision '%s': %d commits start with it (%s)", rev,
				   same, list.ptr);
		ds_buf_free(&list);
	} else if (PQgetisnull(res, 0, 1) || PQgetisnull(res, 0, 2)) {
		rc = ds_error_setc(DS_EINVALID, "'%s' (a %s) names no commit of the v2 store", rev,
				   rank >= 0 && rank <= 5 ? rank_names[rank] : "name");
	} else if (ds_oid_parse(&out->commit, PQgetvalue(res, 0, 1)) ||
		   ds_oid_parse(&out->tree, PQgetvalue(res, 0, 2))) {
		rc = ds_error_setc(DS_EIO, "commit_graph holds a malformed SHA for '%s'", rev);
	}
	PQclear(res);
	return rc;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode PostgreSQL's hex encoding into out. @return 0 or -1 */
static int unhex(ds_buf *out, const char *hex)
{
	size_t len = strlen(hex);
	if (len % 2)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		ds_buf_putc(out, (char)(hi << 4 | lo));
	}
	return 0;
}

static int read_blob(PGresult *res, int row, ds_co_snapshot *out)
{
	const char *path = PQgetvalue(res, row, 0);
	const char *sha = PQgetvalue(res, row, 1);
	ds_oid want, got;
	ds_buf body = DS_BUF_INIT;
	int rc = 0;
	if (PQgetisnull(res, row, 2))
		return ds_error_setc(DS_EIO, "%s: object %s is missing from pggit_v2.objects", path,
				     sha);
	if (strcmp(PQgetvalue(res, row, 2), "blob") != 0)
		return ds_error_setc(DS_EIO, "%s: object %s is a %s, expected a blob", path, sha,
				     PQgetvalue(res, row, 2));
	if (ds_oid_parse(&want, sha) || unhex(&body, PQgetvalue(res, row, 3)))
		rc = ds_error_setc(DS_EIO, "%s: malformed SHA or content in the store", path);
	if (rc == 0) {
		ds_oid_hash(&got, DS_OBJ_BLOB, body.ptr ? body.ptr : "", body.len);
		if (ds_oid_cmp(&want, &got) != 0)
			rc = ds_error_setc(DS_EIO,
					   "%s: the content stored for blob %s does not hash to it",
					   path, sha);
	}
	if (rc == 0) {
		if (memchr(ds_buf_cstr(&body), '\0', body.len))
			rc = ds_error_setc(DS_EIO, "%s: blob %s holds a NUL byte, not DDL", path,
					   sha);
		else
			ds_co_snapshot_add(out, path, ds_buf_cstr(&body), body.len);
	}
	ds_buf_free(&body);
	return rc;
}

int ds_co_read_store(ds_co_snapshot *out, PGconn *conn, const char *rev)
{
	PGresult *res = NULL;
	int rc = ds_db_query(conn, &res, ds_sql_checkout_store_exists, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "looking for the v2 store");
	int exists = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!exists)
		return ds_error_setc(DS_ENOTFOUND, "database %s holds no v2 store (pggit_v2)",
				     PQdb(conn));

	rc = resolve(conn, rev, out);
	if (rc)
		return rc;

	char tree[DS_OID_HEXSZ + 1];
	ds_oid_fmt(tree, &out->tree);
	const char *params[] = { tree };
	rc = ds_db_query(conn, &res, ds_sql_checkout_store_tree, 1, params);
	if (rc)
		return ds_error_wrap(rc, "reading tree %s from the v2 store", tree);
	for (int i = 0; i < PQntuples(res) && rc == 0; i++)
		rc = read_blob(res, i, out);
	PQclear(res);
	if (rc == 0)
		ds_co_snapshot_sort(out);
	return rc;
}
