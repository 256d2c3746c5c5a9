/*
 * live.c - capture a live database as one commit (see live.h).
 *
 * The same pieces as a conversion, in the same order: capture, snapshot
 * (blobs and trees go to the sinks as they are named), commit, audit rows,
 * and the ref last, git first and the store's transaction last, so that a
 * crash never leaves main pointing at something missing.
 */
#include "ddlsnap/live.h"

#include <stdlib.h>
#include <string.h>

#include "ddlsnap/capture.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitrepo.h"
#include "ddlsnap/snapshot.h"
#include "ddlsnap/store.h"
#include "ddlsnap_sql.h"

typedef struct {
	const ds_live_opts *opts;
	ds_live_result *result;
	PGconn *source, *target;
	ds_store *store;
	ds_gitrepo *repo;
	ds_oid parent;
	char *author;
	char *database;
	int64_t when;
} live;

static int emit(void *payload, ds_objtype type, const ds_oid *oid, const char *body, size_t len)
{
	live *l = payload;
	int rc = 0;
	if (l->repo)
		rc = ds_gitrepo_put(l->repo, type, oid, body, len);
	if (rc == 0 && l->store)
		rc = ds_store_put_object(l->store, type, oid, body, len);
	return rc;
}

/* Capture the source in one consistent view of its catalogs. */
static int capture(live *l, ds_capture *cap)
{
	PGresult *res = NULL;
	int rc = ds_db_exec(l->source, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc == 0)
		rc = ds_capture_session_setup(l->source);
	if (rc == 0)
		rc = ds_db_query(l->source, &res, ds_sql_live_identity, 0, NULL);
	if (rc == 0) {
		l->author = ds_xstrdup(PQgetvalue(res, 0, 0));
		l->when = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		l->database = ds_xstrdup(PQgetvalue(res, 0, 2));
		PQclear(res);
		ds_capture_opts copts = { .with_owners = l->opts->with_owners };
		rc = ds_capture_all(l->source, &copts, cap);
	}
	if (rc == 0)
		rc = ds_db_exec(l->source, "COMMIT");
	return rc ? ds_error_wrap(rc, "capturing the source database") : 0;
}

/* main's commit in the sinks; both must agree when both are written. */
static int find_parent(live *l)
{
	ds_oid in_git, in_store;
	int git_rc = l->repo ? ds_gitrepo_get_ref(l->repo, DS_MAIN_REF, &in_git) : DS_ENOTFOUND;
	int store_rc = l->store ? ds_store_get_ref(l->store, DS_MAIN_REF, &in_store) : DS_ENOTFOUND;
	if (git_rc != 0 && git_rc != DS_ENOTFOUND)
		return git_rc;
	if (store_rc != 0 && store_rc != DS_ENOTFOUND)
		return store_rc;
	if (l->repo && l->store &&
	    (git_rc != store_rc || (git_rc == 0 && ds_oid_cmp(&in_git, &in_store) != 0)))
		return ds_error_setc(DS_EINVALID,
				     "%s differs between the git repository %s and the v2 store;"
				     " run ddlsnap verify to see which is right",
				     DS_MAIN_REF, l->opts->git_dir);
	l->result->has_parent = git_rc == 0 || store_rc == 0;
	l->parent = git_rc == 0 ? in_git : in_store;
	return 0;
}

static int get_object(void *payload, const ds_oid *oid, ds_objtype *type, ds_buf *body)
{
	live *l = payload;
	return l->repo ? ds_gitrepo_get(l->repo, oid, type, body) :
			 ds_store_get_object(l->store, oid, type, body);
}

/* The parent commit's tree and generation. */
static int read_parent(live *l, ds_oid *tree, int *generation)
{
	ds_objtype type;
	ds_buf body = DS_BUF_INIT;
	ds_commit_info info = { 0 };
	int rc = get_object(l, &l->parent, &type, &body);
	if (rc == 0 && type != DS_OBJ_COMMIT)
		rc = ds_error_setc(DS_EINVALID, "%s does not point at a commit", DS_MAIN_REF);
	if (rc == 0)
		rc = ds_commit_parse(&info, body.ptr, body.len);
	if (rc == 0)
		*tree = info.tree;
	ds_commit_info_free(&info);
	ds_buf_free(&body);

	*generation = 1;
	if (rc == 0 && l->store) {
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, &l->parent);
		const char *params[] = { hex };
		PGresult *res = NULL;
		rc = ds_db_query(l->target, &res, ds_sql_live_generation, 1, params);
		if (rc == 0 && PQntuples(res) == 1)
			*generation = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	return rc;
}

typedef struct {
	live *l;
	const ds_commit_row *row;
} change_ctx;

static int put_change(const ds_snap_entry *old, const ds_snap_entry *new_, void *payload)
{
	change_ctx *cc = payload;
	cc->l->result->changes++;
	return cc->l->store ? ds_store_put_change(cc->l->store, cc->row, old, new_) : 0;
}

static int commit_snapshot(live *l, ds_snapshot *snap)
{
	ds_snapshot prev = { 0 };
	ds_oid prev_tree;
	int parent_generation = 0;
	int rc = 0;

	if (l->result->has_parent) {
		rc = read_parent(l, &prev_tree, &parent_generation);
		if (rc == 0 && ds_oid_cmp(&prev_tree, &snap->tree) == 0) {
			l->result->unchanged = true;
			l->result->commit = l->parent;
			return 0;
		}
		if (rc == 0)
			rc = ds_snapshot_load(&prev, &prev_tree, get_object, l);
		if (rc)
			return ds_error_wrap(rc, "reading the snapshot main points at");
	}

	ds_buf message = DS_BUF_INIT, body = DS_BUF_INIT;
	if (l->opts->message)
		ds_buf_puts(&message, l->opts->message);
	else
		ds_buf_printf(&message, "Snapshot of database %s", l->database);
	if (message.len == 0 || message.ptr[message.len - 1] != '\n')
		ds_buf_putc(&message, '\n');

	ds_commit commit = {
		.tree = snap->tree,
		.parents = l->result->has_parent ? &l->parent : NULL,
		.nparents = l->result->has_parent ? 1 : 0,
		.author = { l->author, l->author, l->when, 0 },
		.committer = { l->author, l->author, l->when, 0 },
		.message = ds_buf_cstr(&message),
	};
	ds_commit_row row = {
		.tree = snap->tree,
		.parents = commit.parents,
		.nparents = commit.nparents,
		.generation = parent_generation + 1,
		.author = l->author,
		.when = l->when,
		.message = commit.message,
	};
	rc = ds_commit_encode(&body, &commit);
	if (rc == 0) {
		ds_oid_hash(&row.commit, DS_OBJ_COMMIT, body.ptr, body.len);
		rc = emit(l, DS_OBJ_COMMIT, &row.commit, body.ptr, body.len);
	}
	if (rc == 0 && l->store)
		rc = ds_store_put_commit(l->store, &row);
	if (rc == 0) {
		change_ctx cc = { l, &row };
		rc = ds_snapshot_diff(&prev, snap, put_change, &cc);
	}
	if (rc == 0)
		l->result->commit = row.commit;
	ds_snapshot_free(&prev);
	ds_buf_free(&message);
	ds_buf_free(&body);
	return rc;
}

static int run(live *l)
{
	const ds_live_opts *o = l->opts;
	ds_capture cap = { 0 };
	ds_snapshot snap = { 0 };

	int rc = ds_db_connect(&l->source, o->source, NULL);
	if (rc == 0 && o->target)
		rc = ds_db_connect(&l->target, o->target, NULL);
	if (rc == 0 && o->target)
		rc = ds_store_open(&l->store, l->target);
	if (rc == 0 && o->git_dir)
		rc = ds_gitrepo_open(&l->repo, o->git_dir, 1);
	if (rc == 0)
		rc = capture(l, &cap);
	if (rc == 0 && l->store)
		rc = ds_store_begin(l->store);
	if (rc == 0)
		rc = find_parent(l);
	if (rc == 0) {
		for (size_t i = 0; i < cap.nskipped; i++) {
			l->result->warnings++;
			if (!o->quiet)
				ds_capture_warn_skipped(o->log, NULL, &cap.skipped[i]);
		}
		rc = ds_snapshot_build(&snap, &cap, emit, l);
	}
	if (rc == 0) {
		l->result->tree = snap.tree;
		l->result->objects = snap.n;
		rc = commit_snapshot(l, &snap);
	}
	/* As a conversion does: git's objects on disk, the store's transaction,
	 * then git's ref. */
	bool moved = rc == 0 && !l->result->unchanged;
	if (moved && l->repo)
		rc = ds_gitrepo_flush(l->repo);
	if (rc == 0 && moved && l->store)
		rc = ds_store_set_ref(l->store, DS_MAIN_REF, &l->result->commit);
	if (rc == 0 && l->store)
		rc = ds_store_commit(l->store);
	if (rc == 0 && moved && l->repo)
		rc = ds_gitrepo_set_ref(l->repo, DS_MAIN_REF, &l->result->commit, "ddlsnap snapshot");
	ds_snapshot_free(&snap);
	ds_capture_free(&cap);
	return rc;
}

int ds_live_snapshot(const ds_live_opts *opts, ds_live_result *result)
{
	live l = { .opts = opts, .result = result };
	memset(result, 0, sizeof *result);
	if (!opts->git_dir && !opts->target)
		return ds_error_setc(DS_EINVALID, "a snapshot needs --git-dir or --target");
	int rc = run(&l);
	ds_store_free(l.store);
	ds_gitrepo_free(l.repo);
	if (l.target)
		PQfinish(l.target);
	if (l.source)
		PQfinish(l.source);
	free(l.author);
	free(l.database);
	return rc;
}
