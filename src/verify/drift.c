/*
 * drift.c - the history's head against the live source schema: the source
 * is captured now, exactly as the shadow was after each change, and every
 * object that exists live but not in the head snapshot, in the head but not
 * live, or with another definition, is a finding. Objects of kinds ddlsnap
 * does not capture yet are left out on both sides.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/capture.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/snapshot.h"
#include "verify/verify_int.h"

typedef struct {
	char *path;
	ds_oid blob;
} head_blob;

typedef struct {
	head_blob *items;
	size_t n, cap;
} blob_list;

static int add_blob(const char *path, const ds_oid *old_blob, const ds_oid *new_blob,
		    void *payload)
{
	blob_list *l = payload;
	(void)old_blob;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->items = ds_xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->n].path = ds_xstrdup(path);
	l->items[l->n].blob = *new_blob;
	l->n++;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const head_blob *)a)->path, ((const head_blob *)b)->path);
}

static void blob_list_free(blob_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].path);
	free(l->items);
}

/* The head's objects, sorted by path like a snapshot's entries. */
static int head_objects(ds_verifier *v, blob_list *out)
{
	if (v->nchain == 0)
		return 0;
	const ds_vcommit *head = &v->commits[v->chain[v->nchain - 1]];
	int rc = ds_verify_tree_diff(v, NULL, &head->tree, add_blob, out);
	if (rc)
		return rc;
	/* the diff walks trees in git order; snapshots sort by full path */
	if (out->n)
		qsort(out->items, out->n, sizeof *out->items, by_path);
	return 0;
}

static int capture_live(ds_verifier *v, ds_snapshot *live)
{
	ds_capture cap = {0};
	int rc = ds_db_exec(v->source, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc == 0)
		rc = ds_capture_session_setup(v->source);
	if (rc == 0)
		rc = ds_capture_all(v->source, NULL, &cap);
	PQclear(PQexec(v->source, "ROLLBACK"));
	if (rc == 0)
		rc = ds_snapshot_build(live, &cap, NULL, NULL);
	ds_capture_free(&cap);
	return rc ? ds_error_wrap(rc, "capturing the live source schema") : 0;
}

int ds_verify_drift(ds_verifier *v)
{
	ds_check *drift = ds_verify_new_check(v, "drift");
	ds_snapshot live = {0};
	blob_list head = {0};

	int rc = capture_live(v, &live);
	if (rc == 0) {
		rc = head_objects(v, &head);
		if (rc == DS_ENOTFOUND || rc == DS_EINVALID) {
			ds_verify_finding(drift, "cannot read the head snapshot: %s", ds_error_last());
			rc = 0;
		}
	}
	if (rc) {
		ds_snapshot_free(&live);
		blob_list_free(&head);
		return rc;
	}

	size_t i = 0, j = 0;
	while (i < live.n || j < head.n) {
		int c = i >= live.n	? 1
			: j >= head.n ? -1
				      : strcmp(live.entries[i].path, head.items[j].path);
		if (c < 0) {
			ds_verify_finding(drift, "%s exists in the live schema but not in the history",
					  live.entries[i++].path);
		} else if (c > 0) {
			ds_verify_finding(drift, "%s is in the history but not in the live schema",
					  head.items[j++].path);
		} else {
			drift->checked++;
			if (ds_oid_cmp(&live.entries[i].blob, &head.items[j].blob) != 0)
				ds_verify_finding(drift,
						  "%s differs between the live schema and the history",
						  head.items[j].path);
			i++;
			j++;
		}
	}
	ds_buf_printf(&drift->summary, "%zu live objects compared with the head snapshot (%s)",
		      drift->checked, PQdb(v->source));
	ds_snapshot_free(&live);
	blob_list_free(&head);
	return 0;
}
