/*
 * gitrepo.c - the bare git repository sink, through libgit2 (see gitrepo.h).
 *
 * Objects are not written loose, one file each: they go to an in-memory
 * object backend (libgit2's mempack) that sits in front of the repository's
 * own, so reads see them at once, and ds_gitrepo_flush packs exactly them
 * (git_packbuilder over the ids put since the last flush) and writes the
 * pack (with its index) through the repository's pack writer.
 *
 * Not git_mempack_dump: it packs each pending commit with its whole tree,
 * so every pack repeats objects earlier packs hold, and objects no pending
 * commit reaches are dropped.
 */
#include "ddlsnap/gitrepo.h"

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ddlsnap/error.h"
#include "ddlsnap/progress.h"

/* Pending objects past this size are flushed at once (a pack of their own). */
#define FLUSH_BYTES (64u << 20)

/*
 * Packs written since the multi-pack-index was last written, past which it
 * is written again. A lookup of an object the repository lacks (every new
 * object is one) searches each pack the index does not cover.
 */
#define MIDX_EVERY 16

/* Pack data libgit2 may keep mapped, and packs it may keep open. */
#define MAPPED_LIMIT (32u << 20)
#define OPEN_PACKS_LIMIT 64

struct ds_gitrepo {
	git_repository *repo;
	git_odb *odb;
	git_odb_backend *pending; /* objects put since the last flush (owned by odb) */
	git_oid *ids; /* the objects put since the last flush, in order */
	size_t npending, cap;
	size_t pending_bytes;
	size_t packs_since_midx; /* packs the multi-pack-index does not cover */
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

/* Open r->dir (made when missing and create), its object database and the in-memory backend. */
static int attach(ds_gitrepo *r, int create)
{
	if (git_repository_open_bare(&r->repo, r->dir) < 0) {
		if (!create)
			return git_fail("cannot open the git repository", r->dir);
		git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
		opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
		opts.initial_head = "main";
		if (git_repository_init_ext(&r->repo, r->dir, &opts) < 0)
			return git_fail("cannot create the git repository", r->dir);
	}
	if (git_repository_odb(&r->odb, r->repo) < 0)
		return git_fail("cannot open the object database", r->dir);
	/* The highest priority: writes go to memory, reads look there first. */
	git_odb_backend *mem = NULL;
	if (git_mempack_new(&mem) < 0 || git_odb_add_backend(r->odb, mem, 999) < 0) {
		int rc = git_fail("cannot set up the in-memory object store", r->dir);
		if (mem)
			mem->free(mem);
		return rc;
	}
	r->pending = mem;
	return 0;
}

int ds_gitrepo_open(ds_gitrepo **out, const char *dir, int create)
{
	static int initialized;
	if (!initialized) {
		git_libgit2_init();
		/* A flushed pack must survive a crash: the store's COMMIT relies on it. */
		git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
		/* Memory must follow the schema, not the history. libgit2
		 * keeps the small objects it reads (the pack builder reads
		 * every object it packs) in a cache of up to 256 MB: every
		 * commit and small tree of the history stayed (199 MB of RSS
		 * after 100,000 changes). Nothing here reads an object twice
		 * but the pack builder, from memory: no cache. And libgit2
		 * keeps every pack it looked into open and mapped, up to
		 * 8 GB; least recently used ones are closed past these
		 * limits. */
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)MAPPED_LIMIT);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, (size_t)OPEN_PACKS_LIMIT);
		initialized = 1;
	}

	ds_gitrepo *r = ds_xcalloc(1, sizeof *r);
	r->dir = ds_xstrdup(dir);
	int rc = attach(r, create);
	if (rc) {
		ds_gitrepo_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/*
 * Write the pending objects as one pack, through the object database's pack
 * writer (an indexer: it checks every object and writes the .idx next to the
 * .pack, then renames both into objects/pack). @return 0 or a libgit2 error
 */
static int write_pending(ds_gitrepo *repo)
{
	if (repo->npending == 0)
		return 0;
	git_buf pack = GIT_BUF_INIT;
	git_odb_writepack *wp = NULL;
	git_packbuilder *pb = NULL;
	git_indexer_progress stats = {0};
	int err = git_packbuilder_new(&pb, repo->repo);
	for (size_t i = 0; err == 0 && i < repo->npending; i++)
		err = git_packbuilder_insert(pb, &repo->ids[i], NULL);
	if (err == 0)
		err = git_packbuilder_write_buf(&pack, pb);
	git_packbuilder_free(pb);
	if (err == 0)
		err = git_odb_write_pack(&wp, repo->odb, NULL, NULL);
	if (err == 0)
		err = wp->append(wp, pack.ptr, pack.size, &stats);
	if (err == 0)
		err = wp->commit(wp, &stats);
	if (wp)
		wp->free(wp);
	git_buf_dispose(&pack);
	if (err == 0) {
		/* The pack is on disk: the memory copies can go, and the
		 * repository's pack list must learn of the new pack. */
		git_mempack_reset(repo->pending);
		repo->npending = 0;
		repo->pending_bytes = 0;
		if (++repo->packs_since_midx >= MIDX_EVERY) {
			err = git_odb_write_multi_pack_index(repo->odb);
			repo->packs_since_midx = 0;
		}
		if (err == 0)
			err = git_odb_refresh(repo->odb);
	}
	return err;
}

int ds_gitrepo_flush(ds_gitrepo *repo)
{
	double t = ds_progress_now();
	size_t n = repo->npending;
	int rc = 0;
	if (write_pending(repo) < 0) {
		const git_error *e = git_error_last();
		rc = ds_error_setc(DS_EIO, "cannot write a pack of %zu objects in %s: %s", n, repo->dir,
				   e && e->message ? e->message : "unknown error");
	}
	repo->seconds += ds_progress_now() - t;
	return rc;
}

void ds_gitrepo_free(ds_gitrepo *repo)
{
	if (!repo)
		return;
	/* Best effort, and without touching the error a caller may be about
	 * to report: what was put reaches the disk, as loose objects used to. */
	if (repo->odb)
		write_pending(repo);
	git_odb_free(repo->odb);
	git_repository_free(repo->repo);
	free(repo->ids);
	free(repo->dir);
	free(repo);
}

int ds_gitrepo_drop_caches(ds_gitrepo *repo)
{
	int rc = ds_gitrepo_flush(repo);
	if (rc)
		return rc;
	git_odb_free(repo->odb);
	git_repository_free(repo->repo);
	repo->odb = NULL;
	repo->repo = NULL;
	repo->pending = NULL;
	return attach(repo, 0);
}

static int put(ds_gitrepo *repo, ds_objtype type, const ds_oid *oid, const char *body, size_t len)
{
	git_oid expected, written;
	git_oid_fromraw(&expected, oid->id);
	/* No refresh on a miss: this process is the repository's only writer
	 * (one conversion per target), and flush refreshes after each pack. */
	if (git_odb_exists_ext(repo->odb, &expected, GIT_ODB_LOOKUP_NO_REFRESH))
		return 0;
	/* Into the in-memory backend itself: git_odb_write would look for
	 * the object again first, and on a miss read objects/pack again
	 * (a directory of two files per batch) for every new object. */
	if (git_odb_hash(&written, body, len, git_type(type)) < 0 ||
	    repo->pending->write(repo->pending, &written, body, len, git_type(type)) < 0)
		return git_fail("cannot write an object", repo->dir);
	if (repo->npending == repo->cap) {
		repo->cap = repo->cap ? repo->cap * 2 : 256;
		repo->ids = ds_xrealloc(repo->ids, repo->cap * sizeof *repo->ids);
	}
	repo->ids[repo->npending++] = written;
	repo->pending_bytes += len;
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
	/* Memory stays bounded (bringing a repository level with a big store
	 * puts every object at once); objects on disk early are harmless. */
	if (rc == 0 && repo->pending_bytes >= FLUSH_BYTES)
		rc = ds_gitrepo_flush(repo);
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
	/* A ref never points at objects that are only in memory. */
	int rc = ds_gitrepo_flush(repo);
	if (rc)
		return rc;
	double t = ds_progress_now();
	git_oid id;
	git_reference *r = NULL;
	git_oid_fromraw(&id, commit->id);
	if (git_reference_create(&r, repo->repo, ref, &id, 1, msg) < 0)
		rc = git_fail("cannot update the reference", repo->dir);
	git_reference_free(r);
	repo->seconds += ds_progress_now() - t;
	return rc;
}

int ds_gitrepo_clear_lock(ds_gitrepo *repo, const char *ref)
{
	ds_buf path = DS_BUF_INIT;
	ds_buf_printf(&path, "%s%s.lock", git_repository_path(repo->repo), ref);
	int removed = unlink(ds_buf_cstr(&path)) == 0;
	ds_buf_free(&path);
	return removed;
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
