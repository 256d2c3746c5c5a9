/*
 * gitrepo.h - the git repository sink: a bare repository written through
 * libgit2, holding the same objects (same SHAs) as the v2 store.
 *
 * Objects put are held in memory and written as one pack file by
 * ds_gitrepo_flush (or ds_gitrepo_set_ref, which flushes first), so a batch
 * costs one pack, not a file per object. Objects are written before any ref
 * moves to them, so a crash never leaves a ref pointing at a missing object;
 * a crash before a flush loses only the objects in memory.
 */
#ifndef DDLSNAP_GITREPO_H
#define DDLSNAP_GITREPO_H

#include <stddef.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/gitobj.h"

typedef struct ds_gitrepo ds_gitrepo;

/**
 * Open the bare repository at dir, creating it when missing, with HEAD on
 * refs/heads/main.
 * @return 0 or DS_EIO
 */
int ds_gitrepo_open(ds_gitrepo **out, const char *dir, int create);
/** Flush (best effort, errors ignored) and close. */
void ds_gitrepo_free(ds_gitrepo *repo);

/**
 * Flush, then close and open the repository again, dropping what libgit2
 * keeps of the packs read so far: each pack keeps the delta bases it
 * inflated (up to 16 MB a pack) until the repository is closed, and a
 * conversion writes a pack per batch, so a reader of every object (verify)
 * would hold a cache per batch of the history.
 * @return 0 or DS_EIO
 */
int ds_gitrepo_drop_caches(ds_gitrepo *repo);

/**
 * Write the objects put since the last flush as one pack (.pack and .idx in
 * objects/pack, fsync'd): durable once this returns. Nothing to write is
 * not an error.
 * @return 0 or DS_EIO
 */
int ds_gitrepo_flush(ds_gitrepo *repo);

/**
 * Add an object (in memory until the next flush, or until 64 MB are pending;
 * reads see it at once); the repository's id for it must equal oid. An
 * object the repository has is not added again.
 * @return 0, or DS_EIO (also when libgit2 names the object differently)
 */
int ds_gitrepo_put(ds_gitrepo *repo, ds_objtype type, const ds_oid *oid, const char *body,
		   size_t len);

/**
 * Read an object's type and body.
 * @return 0, DS_ENOTFOUND, or DS_EIO
 */
int ds_gitrepo_get(ds_gitrepo *repo, const ds_oid *oid, ds_objtype *type, ds_buf *body);

/** Flush, then point ref at commit (creating or moving it), with a reflog message. */
int ds_gitrepo_set_ref(ds_gitrepo *repo, const char *ref, const ds_oid *commit, const char *msg);

/**
 * Remove ref's lock file, left by a run killed while it moved the ref
 * (the sinks write in a thread of their own, so a kill can land there).
 * Only for a caller that knows no other writer is at work (convert holds
 * the registry's lock). @return 1 when there was one
 */
int ds_gitrepo_clear_lock(ds_gitrepo *repo, const char *ref);

/** The commit ref points at. @return 0, DS_ENOTFOUND or DS_EIO */
int ds_gitrepo_get_ref(ds_gitrepo *repo, const char *ref, ds_oid *out);

/**
 * The commit a revision names: anything git rev-parse takes (a full SHA, a
 * unique prefix, a branch, main~2...), peeled to a commit.
 * @return 0; DS_ENOTFOUND for an unknown revision; DS_EINVALID for an
 *         ambiguous prefix, a malformed revision or one that names no
 *         commit; DS_EIO when the repository cannot be read
 */
int ds_gitrepo_resolve(ds_gitrepo *repo, const char *rev, ds_oid *out);

/** Seconds spent so far in this repository's writes (put, set_ref, flush). */
double ds_gitrepo_seconds(const ds_gitrepo *repo);

#endif
