/* incremental.c - a snapshot kept up to date change by change (see incremental.h). */
#include "ddlsnap/incremental.h"

#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

/* Generic plans for the scoped queries, custom ones for a full capture. */
static int plans(ds_incremental *inc, int generic)
{
	return ds_db_query(inc->conn, NULL,
			   generic ? ds_sql_touched_plans_generic : ds_sql_touched_plans_custom, 0,
			   NULL);
}

int ds_incremental_open(ds_incremental *inc, PGconn *capture_conn, FILE *log)
{
	memset(inc, 0, sizeof *inc);
	inc->conn = capture_conn;
	inc->log = log;
	inc->prepared.conn = capture_conn;
	int rc = ds_touched_install(&inc->touched, capture_conn, log);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 1);
	return rc;
}

/* Let what the replay connection still runs after a change end first. */
static int settle(ds_incremental *inc)
{
	return inc->settle ? inc->settle(inc->settle_payload) : 0;
}

/* A full capture, with custom plans (generic ones serve scoped captures). */
static int full_capture(ds_incremental *inc, ds_capture *cap)
{
	int rc = settle(inc);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 0);
	if (rc == 0)
		rc = ds_capture_all(inc->conn, NULL, cap);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 1);
	return rc;
}

static int update_whole(ds_incremental *inc, ds_snapshot *snap, ds_capture *cap, ds_emit_fn emit,
			void *emit_payload, ds_snap_change_fn change, void *change_payload)
{
	ds_snapshot next = { 0 };
	int rc = full_capture(inc, cap);
	/* The change may have added or dropped a schema: read them next time. */
	ds_capture_memo_forget_schemas(inc->memo);
	if (rc)
		return ds_error_wrap(rc, "capture failed");
	rc = ds_snapshot_build(&next, cap, emit, emit_payload);
	if (rc == 0 && change)
		rc = ds_snapshot_diff(snap, &next, change, change_payload);
	if (rc) {
		ds_snapshot_free(&next);
		return rc;
	}
	ds_snapshot_free(snap);
	*snap = next;
	if (inc->touched)
		rc = ds_touched_learn_all(inc->touched);
	inc->known = rc == 0;
	inc->whole++;
	return rc;
}

struct ds_span_change {
	ds_scope scope;	     /* what it touched */
	int whole;	     /* captured whole (then the only change of its span) */
	ds_snapshot witness; /* paranoid: a full capture right after it committed */
	int has_witness;
};

/* Whether any of the sorted OIDs is one of the span's. */
static int meets_span(const ds_incremental *inc, const unsigned int *oids, size_t n)
{
	size_t i = 0, j = 0;
	while (i < n && j < inc->nspan_oids) {
		if (oids[i] == inc->span_oids[j])
			return 1;
		if (oids[i] < inc->span_oids[j])
			i++;
		else
			j++;
	}
	return 0;
}

int ds_incremental_gate(ds_incremental *inc, PGconn *replay, int *wait)
{
	*wait = 0;
	if (!inc->touched)
		return 0;
	if (inc->has_gated)
		ds_scope_free(&inc->gated);
	inc->has_gated = 0;
	int rc = ds_touched_take(inc->touched, replay, 1, &inc->gated);
	if (rc)
		return rc;
	inc->has_gated = 1;
	if (inc->nspan && (inc->gated.everything || !inc->known ||
			   meets_span(inc, inc->gated.replaced, inc->gated.nreplaced))) {
		/* Rolled back: run again once the span is captured. */
		ds_scope_free(&inc->gated);
		inc->has_gated = 0;
		inc->sent_back++;
		*wait = 1;
	}
	return 0;
}

int ds_incremental_push(ds_incremental *inc, int ok, int *flush)
{
	*flush = 0;
	if (!ok) {
		if (inc->has_gated)
			ds_scope_free(&inc->gated);
		inc->has_gated = 0;
		return 0;
	}
	ds_scope scope = { .everything = 1 };
	int rc = 0;
	if (inc->has_gated) {
		scope = inc->gated;
		inc->has_gated = 0;
	} else if (inc->nspan) {
		/* Without the gate it committed before the span was captured. */
		return ds_error_setc(DS_EINVALID, "a change committed past the gate");
	} else if (inc->touched) {
		rc = settle(inc);
		if (rc == 0)
			rc = ds_touched_take(inc->touched, inc->conn, 0, &scope);
		if (rc)
			return rc;
	}
	if (inc->nspan == inc->span_cap) {
		inc->span_cap = inc->span_cap ? 2 * inc->span_cap : 16;
		inc->span = ds_xrealloc(inc->span, inc->span_cap * sizeof *inc->span);
	}
	ds_span_change *sc = &inc->span[inc->nspan++];
	*sc = (ds_span_change){ .scope = scope, .whole = scope.everything || !inc->known };
	if (inc->nspan_oids + scope.nreplaced > inc->span_oids_cap) {
		inc->span_oids_cap = 2 * (inc->nspan_oids + scope.nreplaced);
		inc->span_oids =
			ds_xrealloc(inc->span_oids, inc->span_oids_cap * sizeof *inc->span_oids);
	}
	if (scope.nreplaced)
		memcpy(inc->span_oids + inc->nspan_oids, scope.replaced,
		       scope.nreplaced * sizeof *scope.replaced);
	inc->nspan_oids += scope.nreplaced;
	if (inc->nspan_oids)
		qsort(inc->span_oids, inc->nspan_oids, sizeof *inc->span_oids, ds_scope_oid_cmp);
	if (inc->paranoid && !sc->whole) {
		ds_capture cap = { 0 };
		rc = full_capture(inc, &cap);
		if (rc == 0)
			rc = ds_snapshot_build(&sc->witness, &cap, NULL, NULL);
		ds_capture_free(&cap);
		if (rc)
			return ds_error_wrap(rc, "paranoid check: full capture failed");
		sc->has_witness = 1;
	}
	*flush = sc->whole || inc->nspan >= DS_SPAN_MAX;
	return 0;
}

static void span_clear(ds_incremental *inc)
{
	for (size_t k = 0; k < inc->nspan; k++) {
		ds_scope_free(&inc->span[k].scope);
		ds_snapshot_free(&inc->span[k].witness);
	}
	inc->nspan = 0;
	inc->nspan_oids = 0;
}

/* The scope of the whole span: every change's groups and OIDs. */
static void span_scope(ds_incremental *inc, ds_capture_scope *out, ds_buf *oids,
		       const char ***groups)
{
	size_t ngroups = 0, cap = 0;
	*groups = NULL;
	ds_buf_putc(oids, '{');
	for (size_t k = 0; k < inc->nspan; k++) {
		const ds_scope *s = &inc->span[k].scope;
		const char *text = s->oids_text ? s->oids_text : "{}";
		size_t len = strlen(text);
		if (len > 2) {
			if (oids->len > 1)
				ds_buf_putc(oids, ',');
			ds_buf_put(oids, text + 1, len - 2);
		}
		for (size_t g = 0; g < s->capture.ngroups; g++) {
			size_t i = 0;
			while (i < ngroups && strcmp((*groups)[i], s->groups[g]) != 0)
				i++;
			if (i < ngroups)
				continue;
			if (ngroups == cap) {
				cap = cap ? 2 * cap : 16;
				*groups = ds_xrealloc(*groups, cap * sizeof **groups);
			}
			(*groups)[ngroups++] = s->groups[g];
		}
	}
	ds_buf_putc(oids, '}');
	*out = (ds_capture_scope){
		.oids = ds_buf_cstr(oids),
		.groups = *groups,
		.ngroups = ngroups,
		.prepared = &inc->prepared,
		.memo = inc->memo,
	};
}

static int has_oid(const unsigned int *v, size_t n, unsigned int x)
{
	return n && bsearch(&x, v, n, sizeof *v, ds_scope_oid_cmp) != NULL;
}

/* Move into out the captured objects of scope s (all that are left when last). */
static void pick(ds_capture *all, const ds_scope *s, int last, ds_capture *out)
{
	for (size_t i = 0; i < all->nobjects; i++) {
		ds_object *o = &all->objects[i];
		if (!o->kind || (!last && !has_oid(s->replaced, s->nreplaced, o->oid)))
			continue;
		ds_capture_add(out, o->oid, o->schema, o->kind, o->name, o->ddl);
		free(o->schema);
		free(o->kind);
		free(o->name);
		*o = (ds_object){ 0 };
	}
}

/* Which change is told of the uncaptured objects: the first whose scope read them. */
static size_t warner(const ds_incremental *inc)
{
	for (size_t k = 0; k < inc->nspan; k++)
		for (size_t g = 0; g < inc->span[k].scope.capture.ngroups; g++)
			if (strcmp(inc->span[k].scope.groups[g], "other") == 0)
				return k;
	return inc->nspan - 1;
}

static int compare(ds_incremental *inc, const ds_snapshot *snap, const ds_snapshot *whole);

static int flush_scoped(ds_incremental *inc, ds_snapshot *snap, ds_emit_fn emit,
			void *emit_payload, ds_snap_change_fn change, void *change_payload,
			ds_span_done_fn done, void *done_payload)
{
	ds_capture all = { 0 };
	ds_capture_scope scope;
	ds_buf oids = DS_BUF_INIT;
	const char **groups;
	int rc = 0;
	span_scope(inc, &scope, &oids, &groups);
	if (!inc->memo)
		inc->memo = ds_capture_memo_new();
	scope.memo = inc->memo;
	if (scope.ngroups) {
		inc->captures++;
		rc = settle(inc);
		if (rc == 0)
			rc = ds_capture_scoped(inc->conn, NULL, &scope, &all);
		if (rc)
			rc = ds_error_wrap(rc, "capture failed");
	}
	size_t w = warner(inc);
	for (size_t k = 0; rc == 0 && k < inc->nspan; k++) {
		ds_span_change *sc = &inc->span[k];
		ds_capture mine = { 0 };
		pick(&all, &sc->scope, k + 1 == inc->nspan, &mine);
		rc = ds_snapshot_apply(snap, sc->scope.replaced, sc->scope.nreplaced, &mine, emit,
				       emit_payload, change, change_payload);
		ds_capture_free(&mine);
		if (rc == 0 && sc->has_witness)
			rc = compare(inc, snap, &sc->witness);
		if (rc == 0)
			rc = done(done_payload, k, k == w ? &all : NULL);
		inc->scoped++;
	}
	ds_capture_free(&all);
	free(groups);
	ds_buf_free(&oids);
	return rc;
}

int ds_incremental_flush(ds_incremental *inc, ds_snapshot *snap, ds_emit_fn emit,
			 void *emit_payload, ds_snap_change_fn change, void *change_payload,
			 ds_span_done_fn done, void *done_payload)
{
	if (inc->nspan == 0)
		return 0;
	int rc;
	if (inc->span[0].whole) {
		ds_capture cap = { 0 };
		rc = update_whole(inc, snap, &cap, emit, emit_payload, change, change_payload);
		if (rc == 0)
			rc = done(done_payload, 0, &cap);
		ds_capture_free(&cap);
	} else {
		rc = flush_scoped(inc, snap, emit, emit_payload, change, change_payload, done,
				  done_payload);
	}
	span_clear(inc);
	if (rc) {
		ds_snapshot_free(snap);
		inc->known = 0; /* start again whole */
	}
	return rc;
}

typedef struct {
	FILE *log;
	size_t n;
	char *first;
} mismatch;

static int report(const ds_snap_entry *kept, const ds_snap_entry *whole, void *payload)
{
	mismatch *m = payload;
	const char *path = kept ? kept->path : whole->path;
	if (m->n++ == 0)
		m->first = ds_xstrdup(path);
	fprintf(m->log, "paranoid: %s: %s\n", path,
		!kept  ? "missing from the incremental snapshot" :
		!whole ? "in the incremental snapshot but no longer in the database" :
			 "text differs from a full capture");
	return 0;
}

/* snap against a full capture: each difference on the log, the first in the error. */
static int compare(ds_incremental *inc, const ds_snapshot *snap, const ds_snapshot *whole)
{
	if (ds_oid_cmp(&whole->tree, &snap->tree) == 0)
		return 0;
	mismatch m = { inc->log, 0, NULL };
	ds_snapshot_diff(snap, whole, report, &m);
	if (m.n == 0)
		fprintf(inc->log, "paranoid: same objects, different trees\n");
	int rc = ds_error_setc(DS_EINVALID,
			       "paranoid check: the incremental snapshot differs from a full"
			       " capture in %zu objects (first: %s)",
			       m.n, m.first ? m.first : "a tree");
	free(m.first);
	return rc;
}

int ds_incremental_check(ds_incremental *inc, const ds_snapshot *snap)
{
	ds_capture cap = { 0 };
	ds_snapshot whole = { 0 };
	int rc = full_capture(inc, &cap);
	if (rc == 0)
		rc = ds_snapshot_build(&whole, &cap, NULL, NULL);
	ds_capture_free(&cap);
	if (rc)
		return ds_error_wrap(rc, "paranoid check: full capture failed");
	rc = compare(inc, snap, &whole);
	ds_snapshot_free(&whole);
	return rc;
}

int ds_incremental_close(ds_incremental *inc)
{
	span_clear(inc);
	free(inc->span);
	free(inc->span_oids);
	if (inc->has_gated)
		ds_scope_free(&inc->gated);
	inc->has_gated = 0;
	int rc = ds_touched_uninstall(inc->touched);
	inc->touched = NULL;
	ds_db_prepared_free(&inc->prepared);
	ds_capture_memo_free(inc->memo);
	inc->memo = NULL;
	return rc;
}
