/* gitrepo.c - the bare git repository sink, through libgit2 (see gitrepo.h). */
#include "ddlsnap/gitrepo.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap/progress.h"

struct ds_gitrepo {
	git_repository *repo;
	git_odb *odb;
	char *dir;
	double seconds; /* in writes, see ds_gitrepo_seconds */
};

static int git_fail(const char *what, const char *dir)
{
	const git_error *e = git_error_last();
	return ds_error_setc(DS_EIO, "%s in %s: %s", what, dir, e && e->message ? e->message : "unknown error");
}

static git_object_t git_type(ds_objtype type)
{
	switch (type) {
	case DS_OBJ_BLOB:
		return GIT_OBJECT_BLOB;
	case DS_OBJ_TREE:
		return GIT_OBJECT_TREE;
	default:
		return GIT_OBJECT_COMMIT;
	}
}

int ds_gitrepo_open(ds_gitrepo **out, const char *dir, int create)
{
	static int initialized;
	if (!initialized) {
		git_libgit2_init();
		initialized = 1;
	}

	git_repository *repo = NULL;
	if (git_repository_open_bare(&repo, dir) < 0) {
		if (!create)
			return git_fail("cannot open the git repository", dir);
		git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
		opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
		opts.initial_head = "main";
		if (git_repository_init_ext(&repo, dir, &opts) < 0)
			return git_fail("cannot create the git repository", dir);
	}
	ds_gitrepo *r = ds_xcalloc(1, sizeof *r);
	r->repo = repo;
	r->dir = ds_xstrdup(dir);
	if (git_repository_odb(&r->odb, repo) < 0) {
		int rc = git_fail("cannot open the object database", dir);
		ds_gitrepo_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void ds_gitrepo_free(ds_gitrepo *repo)
{
	if (!repo)
		return;
	git_odb_free(repo->odb);
	git_repository_free(repo->repo);
	free(repo->dir);
	free(repo);
}

static int put(ds_gitrepo *repo, ds_objtype type, const ds_oid *oid, const char *body, size_t len)
{
	git_oid expected, written;
	git_oid_fromraw(&expected, oid->id);
	if (git_odb_exists(repo->odb, &expected))
		return 0;
	if (git_odb_write(&written, repo->odb, body, len, git_type(type)) < 0)
		return git_fail("cannot write an object", repo->dir);
	if (git_oid_cmp(&written, &expected) != 0) {
		char a[DS_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];
		ds_oid_fmt(a, oid);
		git_oid_tostr(b, sizeof b, &written);
		return ds_error_setc(DS_EIO, "git named %s object %s as %s", ds_objtype_name(type), a, b);
	}
	return 0;
}

int ds_gitrepo_put(ds_gitrepo *repo, ds_objtype type, const ds_oid *oid, const char *body,
		   size_t len)
{
	double t = ds_progress_now();
	int rc = put(repo, type, oid, body, len);
	repo->seconds += ds_progress_now() - t;
	return rc;
}

int ds_gitrepo_get(ds_gitrepo *repo, const ds_oid *oid, ds_objtype *type, ds_buf *body)
{
	git_oid id;
	git_odb_object *obj = NULL;
	git_oid_fromraw(&id, oid->id);
	int err = git_odb_read(&obj, repo->odb, &id);
	if (err == GIT_ENOTFOUND) {
		char hex[DS_OID_HEXSZ + 1];
		ds_oid_fmt(hex, oid);
		return ds_error_setc(DS_ENOTFOUND, "object %s is missing from %s", hex, repo->dir);
	}
	if (err < 0)
		return git_fail("cannot read an object", repo->dir);
	switch (git_odb_object_type(obj)) {
	case GIT_OBJECT_BLOB:
		*type = DS_OBJ_BLOB;
		break;
	case GIT_OBJECT_TREE:
		*type = DS_OBJ_TREE;
		break;
	default:
		*type = DS_OBJ_COMMIT;
		break;
	}
	ds_buf_clear(body);
	ds_buf_put(body, git_odb_object_data(obj), git_odb_object_size(obj));
	git_odb_object_free(obj);
	return 0;
}

int ds_gitrepo_set_ref(ds_gitrepo *repo, const char *ref, const ds_oid *commit, const char *msg)
{
	double t = ds_progress_now();
	git_oid id;
	git_reference *r = NULL;
	git_oid_fromraw(&id, commit->id);
	int rc = 0;
	if (git_reference_create(&r, repo->repo, ref, &id, 1, msg) < 0)
		rc = git_fail("cannot update the reference", repo->dir);
	git_reference_free(r);
	repo->seconds += ds_progress_now() - t;
	return rc;
}

int ds_gitrepo_get_ref(ds_gitrepo *repo, const char *ref, ds_oid *out)
{
	git_oid id;
	int err = git_reference_name_to_id(&id, repo->repo, ref);
	if (err == GIT_ENOTFOUND)
		return ds_error_setc(DS_ENOTFOUND, "%s does not exist in %s", ref, repo->dir);
	if (err < 0)
		return git_fail("cannot read the reference", repo->dir);
	memcpy(out->id, id.id, DS_OID_RAWSZ);
	return 0;
}

int ds_gitrepo_resolve(ds_gitrepo *repo, const char *rev, ds_oid *out)
{
	git_object *obj = NULL, *commit = NULL;
	int err = git_revparse_single(&obj, repo->repo, rev);
	if (err == GIT_ENOTFOUND)
		return ds_error_setc(DS_ENOTFOUND, "unknown revision '%s' in %s", rev, repo->dir);
	if (err == GIT_EAMBIGUOUS)
		return ds_error_setc(DS_EINVALID,
				     "ambiguous revision '%s' in %s: several objects start with it",
				     rev, repo->dir);
	if (err == GIT_EINVALIDSPEC)
		return ds_error_setc(DS_EINVALID, "'%s' is not a valid revision", rev);
	if (err < 0)
		return git_fail("cannot resolve the revision", repo->dir);
	err = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	if (err < 0) {
		int rc = ds_error_setc(DS_EINVALID, "'%s' names a %s, not a commit, in %s", rev,
				       git_object_type2string(git_object_type(obj)), repo->dir);
		git_object_free(obj);
		return rc;
	}
	memcpy(out->id, git_object_id(commit)->id, DS_OID_RAWSZ);
	git_object_free(commit);
	git_object_free(obj);
	return 0;
}

double ds_gitrepo_seconds(const ds_gitrepo *repo)
{
	return repo->seconds;
}
