/*
 * read_git.c - a snapshot from a bare git repository: resolve the
 * revision, read the commit, walk its tree and read every blob, through the
 * repository sink (gitrepo.h), which owns libgit2.
 */
#include <stdlib.h>
#include <string.h>

#include "checkout_int.h"
#include "ddlsnap/buf.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitrepo.h"

typedef struct {
	ds_gitrepo *repo;
	ds_co_snapshot *out;
	const char *prefix; /* the tree's path, "" for the root */
	int depth;
} walk_ctx;

static int read_object(ds_gitrepo *repo, const ds_oid *oid, ds_objtype want, ds_buf *body)
{
	ds_objtype type;
	int rc = ds_gitrepo_get(repo, oid, &type, body);
	if (rc)
		return rc == DS_ENOTFOUND ? ds_error_wrap(DS_EIO, "the repository is incomplete") :
					    rc;
	if (type != want) {
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, oid);
		return ds_error_setc(DS_EIO, "object %s is a %s, expected a %s", hex,
				     ds_objtype_name(type), ds_objtype_name(want));
	}
	return 0;
}

static int walk_tree(walk_ctx *ctx, const ds_oid *tree);

static int visit(const ds_tree_entry *e, void *payload)
{
	walk_ctx *ctx = payload;
	ds_buf path = DS_BUF_INIT;
	int rc = 0;
	if (*ctx->prefix)
		ds_buf_printf(&path, "%s/", ctx->prefix);
	ds_buf_puts(&path, e->name);
	if (e->mode == DS_MODE_TREE) {
		walk_ctx sub = { ctx->repo, ctx->out, path.ptr, ctx->depth + 1 };
		rc = walk_tree(&sub, &e->oid);
	} else if (e->mode == DS_MODE_BLOB) {
		ds_buf body = DS_BUF_INIT;
		rc = read_object(ctx->repo, &e->oid, DS_OBJ_BLOB, &body);
		if (rc == 0 && memchr(ds_buf_cstr(&body), '\0', body.len))
			rc = ds_error_setc(DS_EIO, "%s holds a NUL byte, not DDL", path.ptr);
		if (rc == 0)
			ds_co_snapshot_add(ctx->out, path.ptr, ds_buf_cstr(&body), body.len);
		ds_buf_free(&body);
	} else {
		rc = ds_error_setc(DS_EIO, "%s has mode %o, which no snapshot writes", path.ptr,
				   e->mode);
	}
	ds_buf_free(&path);
	return rc;
}

static int walk_tree(walk_ctx *ctx, const ds_oid *tree)
{
	ds_buf body = DS_BUF_INIT;
	/* <schema>/<kind>/<name>.sql: anything much deeper is not a snapshot */
	if (ctx->depth > 16)
		return ds_error_setc(DS_EIO, "%s: trees nested too deep for a snapshot",
				     ctx->prefix);
	int rc = read_object(ctx->repo, tree, DS_OBJ_TREE, &body);
	if (rc == 0)
		rc = ds_tree_parse(body.ptr ? body.ptr : "", body.len, visit, ctx);
	if (rc == DS_EINVALID)
		rc = ds_error_wrap(DS_EIO, "malformed tree %s",
				   *ctx->prefix ? ctx->prefix : "(root)");
	ds_buf_free(&body);
	return rc;
}

int ds_co_read_git(ds_co_snapshot *out, const char *git_dir, const char *rev)
{
	ds_gitrepo *repo = NULL;
	ds_buf body = DS_BUF_INIT;
	ds_commit_info info = { 0 };
	int rc = ds_gitrepo_open(&repo, git_dir, 0);
	if (rc)
		return rc;
	rc = ds_gitrepo_resolve(repo, rev, &out->commit);
	if (rc == 0)
		rc = read_object(repo, &out->commit, DS_OBJ_COMMIT, &body);
	if (rc == 0 && ds_commit_parse(&info, body.ptr, body.len) != 0)
		rc = ds_error_wrap(DS_EIO, "malformed commit");
	if (rc == 0) {
		out->tree = info.tree;
		walk_ctx ctx = { repo, out, "", 0 };
		rc = walk_tree(&ctx, &info.tree);
	}
	ds_commit_info_free(&info);
	ds_buf_free(&body);
	ds_gitrepo_free(repo);
	if (rc == 0)
		ds_co_snapshot_sort(out);
	return rc;
}
