/* incremental.c - a snapshot kept up to date change by change (see incremental.h). */
#include "ddlsnap/incremental.h"

#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/progress.h"
#include "ddlsnap/worker.h"
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

static void land(ds_incremental *inc);

/* Where a flush sends what it captured. */
typedef struct {
	ds_snapshot *snap;
	ds_emit_fn emit;
	void *emit_payload;
	ds_snap_change_fn change;
	void *change_payload;
	ds_span_done_fn done;
	void *done_payload;
} sinks;

/* A full capture, with custom plans (generic ones serve scoped captures). */
static int full_capture(ds_incremental *inc, ds_capture *cap)
{
	land(inc);
	int rc = settle(inc);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 0);
	if (rc == 0)
		rc = ds_capture_all(inc->conn, NULL, cap);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 1);
	return rc;
}

static int update_whole(ds_incremental *inc, const sinks *to, ds_capture *cap)
{
	ds_snapshot next = { 0 };
	int rc = full_capture(inc, cap);
	/* The change may have added or dropped a schema: read them next time. */
	ds_capture_memo_forget_schemas(inc->memo);
	if (rc)
		return ds_error_wrap(rc, "capture failed");
	rc = ds_snapshot_build(&next, cap, to->emit, to->emit_payload);
	if (rc == 0 && to->change)
		rc = ds_snapshot_diff(to->snap, &next, to->change, to->change_payload);
	if (rc) {
		ds_snapshot_free(&next);
		return rc;
	}
	ds_snapshot_free(to->snap);
	*to->snap = next;
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

/* A span captured in a thread of its own while the next changes replay. */
struct ds_flight {
	ds_incremental *inc;
	ds_worker *worker;
	ds_span span; /* its changes (none: no flight) */
	ds_capture_scope scope;
	ds_buf oids;
	const char **groups;
	ds_capture all;
	int running; /* started, not waited for */
	int failed;  /* the thread's capture failed: read again when finished */
	double seconds; /* how long the thread read (set by the thread) */
	char *error; /* why */
};

/* Whether any of the sorted OIDs is one of the span's. */
static int meets(const ds_span *sp, const unsigned int *oids, size_t n)
{
	size_t i = 0, j = 0;
	while (i < n && j < sp->noids) {
		if (oids[i] == sp->oids[j])
			return 1;
		if (oids[i] < sp->oids[j])
			i++;
		else
			j++;
	}
	return 0;
}

/*
 * How many changes a span needs before it takes off (unless it must be
 * captured now). One: a span takes off as soon as no capture is running.
 * Under the paranoid check, whose full capture after each change waits for
 * the flight, that would make every span one change long: two, so that
 * spans of several changes are checked too.
 */
static size_t span_min(const ds_incremental *inc)
{
	return inc->paranoid ? 2 : 1;
}

static int flying(const ds_incremental *inc)
{
	return inc->flight && inc->flight->span.n;
}

/*
 * Wait for the flight's thread. A failed capture is read again when the
 * flight is finished; its error is kept for then, and this thread's own
 * error text is left as it was.
 */
static void land(ds_incremental *inc)
{
	ds_flight *f = inc->flight;
	if (!f || !f->running)
		return;
	f->running = 0;
	char *mine = ds_xstrdup(ds_error_last());
	double start = ds_progress_now();
	f->failed = ds_worker_wait(f->worker) != 0;
	inc->wait_seconds += ds_progress_now() - start;
	inc->thread_seconds += f->seconds;
	if (f->failed) {
		free(f->error);
		f->error = ds_xstrdup(ds_error_last());
	}
	ds_error_setc(0, "%s", mine);
	free(mine);
}

/* Whether the flight still has to read the shadow (it is done once its thread returned). */
static int reading(ds_incremental *inc)
{
	if (!flying(inc))
		return 0;
	if (inc->flight->running && !ds_worker_busy(inc->flight->worker))
		land(inc);
	return inc->flight->running || inc->flight->failed;
}

/*
 * Whether a change with scope g must wait for the flight: it replaces an
 * object the flight replaces, or an object of a kind the flight reads
 * whole (which would read it as this change leaves it).
 */
static int meets_flight(const ds_flight *f, const ds_scope *g)
{
	if (meets(&f->span, g->replaced, g->nreplaced))
		return 1;
	for (size_t i = 0; i < g->capture.ngroups; i++) {
		if (!ds_capture_reads_whole(g->groups[i]))
			continue;
		for (size_t k = 0; k < f->scope.ngroups; k++)
			if (strcmp(f->scope.groups[k], g->groups[i]) == 0)
				return 1;
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
	double start = ds_progress_now();
	int rc = ds_touched_take(inc->touched, replay, 1, &inc->gated);
	inc->gate_seconds += ds_progress_now() - start;
	if (rc)
		return rc;
	inc->has_gated = 1;
	const ds_scope *g = &inc->gated;
	int behind = reading(inc);
	if ((inc->open.n || behind) &&
	    (g->everything || !inc->known || meets(&inc->open, g->replaced, g->nreplaced) ||
	     (behind && meets_flight(inc->flight, g)))) {
		/* Rolled back: run again once those are captured. */
		ds_scope_free(&inc->gated);
		inc->has_gated = 0;
		inc->sent_back++;
		*wait = 1;
	}
	return 0;
}

int ds_incremental_capturing(const ds_incremental *inc)
{
	return flying(inc) && ds_worker_busy(inc->flight->worker);
}

void ds_incremental_quiet(ds_incremental *inc)
{
	land(inc);
}

static void span_add(ds_span *sp, const ds_span_change *sc)
{
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? 2 * sp->cap : 16;
		sp->changes = ds_xrealloc(sp->changes, sp->cap * sizeof *sp->changes);
	}
	sp->changes[sp->n++] = *sc;
	const ds_scope *scope = &sc->scope;
	if (sp->noids + scope->nreplaced > sp->oids_cap) {
		sp->oids_cap = 2 * (sp->noids + scope->nreplaced);
		sp->oids = ds_xrealloc(sp->oids, sp->oids_cap * sizeof *sp->oids);
	}
	if (scope->nreplaced)
		memcpy(sp->oids + sp->noids, scope->replaced,
		       scope->nreplaced * sizeof *scope->replaced);
	sp->noids += scope->nreplaced;
	if (sp->noids)
		qsort(sp->oids, sp->noids, sizeof *sp->oids, ds_scope_oid_cmp);
}

static void span_clear(ds_span *sp)
{
	for (size_t k = 0; k < sp->n; k++) {
		ds_scope_free(&sp->changes[k].scope);
		ds_snapshot_free(&sp->changes[k].witness);
	}
	sp->n = 0;
	sp->noids = 0;
}

static void span_free(ds_span *sp)
{
	span_clear(sp);
	free(sp->changes);
	free(sp->oids);
	memset(sp, 0, sizeof *sp);
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
	} else if (inc->open.n || flying(inc)) {
		/* Without the gate it committed before the span was captured. */
		return ds_error_setc(DS_EINVALID, "a change committed past the gate");
	} else if (inc->touched) {
		land(inc);
		rc = settle(inc);
		if (rc == 0)
			rc = ds_touched_take(inc->touched, inc->conn, 0, &scope);
		if (rc)
			return rc;
	}
	/* Committed: now its parts and children are known to be there. */
	ds_touched_keep(inc->touched, &scope);
	ds_span_change sc = { .scope = scope, .whole = scope.everything || !inc->known };
	if (inc->paranoid && !sc.whole) {
		ds_capture cap = { 0 };
		rc = full_capture(inc, &cap);
		if (rc == 0)
			rc = ds_snapshot_build(&sc.witness, &cap, NULL, NULL);
		ds_capture_free(&cap);
		if (rc) {
			ds_scope_free(&sc.scope);
			return ds_error_wrap(rc, "paranoid check: full capture failed");
		}
		sc.has_witness = 1;
	}
	span_add(&inc->open, &sc);
	*flush = sc.whole || inc->open.n >= DS_SPAN_MAX ||
		 (inc->open.n >= span_min(inc) &&
		  !ds_incremental_capturing(inc));
	return 0;
}

/* The scope of the whole span: every change's groups and OIDs. */
static void span_scope(ds_incremental *inc, const ds_span *sp, ds_capture_scope *out, ds_buf *oids,
		       const char ***groups)
{
	size_t ngroups = 0, cap = 0;
	*groups = NULL;
	ds_buf_putc(oids, '{');
	for (size_t k = 0; k < sp->n; k++) {
		const ds_scope *s = &sp->changes[k].scope;
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
static size_t warner(const ds_span *sp)
{
	for (size_t k = 0; k < sp->n; k++)
		for (size_t g = 0; g < sp->changes[k].scope.capture.ngroups; g++)
			if (strcmp(sp->changes[k].scope.groups[g], "other") == 0)
				return k;
	return sp->n - 1;
}

/* What a landed flight held, once its changes are done (or dropped). */
static void flight_clear(ds_flight *f)
{
	ds_capture_free(&f->all);
	free(f->groups);
	f->groups = NULL;
	span_clear(&f->span);
}

/* The thread's job: the flight's scoped capture, never waiting long for a lock. */
static int fly(void *arg)
{
	ds_flight *f = arg;
	PGconn *conn = f->inc->conn;
	double start = ds_progress_now();
	int rc = ds_db_query(conn, NULL, ds_sql_touched_behind_start, 0, NULL);
	if (rc == 0)
		rc = ds_capture_scoped(conn, NULL, &f->scope, &f->all);
	int rc2 = ds_db_exec(conn, ds_sql_touched_behind_end);
	f->seconds = ds_progress_now() - start;
	return rc ? rc : rc2;
}

/* The open span takes off: its capture starts in the thread (when it has anything to read). */
static int take_off(ds_incremental *inc)
{
	if (!inc->flight) {
		inc->flight = ds_xcalloc(1, sizeof *inc->flight);
		inc->flight->inc = inc;
		inc->flight->worker = ds_worker_new();
	}
	if (!inc->memo)
		inc->memo = ds_capture_memo_new();
	ds_flight *f = inc->flight;
	ds_span sp = f->span; /* empty: its arrays serve the next open span */
	f->span = inc->open;
	inc->open = sp;
	ds_buf_clear(&f->oids);
	span_scope(inc, &f->span, &f->scope, &f->oids, &f->groups);
	if (!f->scope.ngroups)
		return 0;
	inc->captures++;
	int rc = settle(inc);
	if (rc == 0)
		rc = ds_worker_start(f->worker, fly, f);
	f->running = rc == 0;
	return rc;
}

static int compare(ds_incremental *inc, const ds_snapshot *snap, const ds_snapshot *whole);

/* Wait for the flight and bring the snapshot up to date with its changes. */
static int finish(ds_incremental *inc, const sinks *to)
{
	ds_flight *f = inc->flight;
	int rc = 0;
	land(inc);
	if (f->failed) {
		/* It gave up on a lock (behind_start.sql), or failed: no change runs now. */
		f->failed = 0;
		inc->retried++;
		if (!strstr(f->error, "SQLSTATE 55P03"))
			fprintf(inc->log, "note: a capture behind the replay failed, read again: %s\n",
				f->error);
		ds_capture_free(&f->all); /* what it read before a failure */
		rc = settle(inc);
		if (rc == 0)
			rc = ds_capture_scoped(inc->conn, NULL, &f->scope, &f->all);
	}
	if (rc)
		rc = ds_error_wrap(rc, "capture failed");
	size_t w = warner(&f->span);
	for (size_t k = 0; rc == 0 && k < f->span.n; k++) {
		ds_span_change *sc = &f->span.changes[k];
		ds_capture mine = { 0 };
		pick(&f->all, &sc->scope, k + 1 == f->span.n, &mine);
		rc = ds_snapshot_apply(to->snap, sc->scope.replaced, sc->scope.nreplaced, &mine,
				       to->emit, to->emit_payload, to->change, to->change_payload);
		ds_capture_free(&mine);
		if (rc == 0 && sc->has_witness)
			rc = compare(inc, to->snap, &sc->witness);
		if (rc == 0)
			rc = to->done(to->done_payload, k == w ? &f->all : NULL);
		inc->scoped++;
	}
	flight_clear(f);
	return rc;
}

static int flush(ds_incremental *inc, const sinks *to, int drain)
{
	int rc = 0;
	if (flying(inc)) {
		const ds_span *o = &inc->open;
		if (!drain && o->n < DS_SPAN_MAX && !(o->n && o->changes[0].whole) &&
		    ds_incremental_capturing(inc))
			return 0; /* the open span waits for the next call */
		rc = finish(inc, to);
	}
	if (rc || !inc->open.n)
		return rc;
	if (inc->open.changes[0].whole) {
		ds_capture cap = { 0 };
		rc = update_whole(inc, to, &cap);
		if (rc == 0)
			rc = to->done(to->done_payload, &cap);
		ds_capture_free(&cap);
		span_clear(&inc->open);
		return rc;
	}
	if (!drain && inc->open.n < span_min(inc))
		return 0;
	rc = take_off(inc);
	if (rc == 0 && (drain || !inc->flight->running))
		rc = finish(inc, to);
	else if (rc == 0)
		inc->behind++;
	return rc;
}

int ds_incremental_flush(ds_incremental *inc, ds_snapshot *snap, ds_emit_fn emit,
			 void *emit_payload, ds_snap_change_fn change, void *change_payload,
			 ds_span_done_fn done, void *done_payload, int drain)
{
	const sinks to = { snap, emit, emit_payload, change, change_payload, done, done_payload };
	int rc = flush(inc, &to, drain);
	if (rc) {
		land(inc);
		if (inc->flight)
			flight_clear(inc->flight);
		span_clear(&inc->open);
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
	land(inc);
	if (inc->flight) {
		flight_clear(inc->flight);
		ds_buf_free(&inc->flight->oids);
		span_free(&inc->flight->span);
		ds_worker_free(inc->flight->worker);
		free(inc->flight->error);
		free(inc->flight);
		inc->flight = NULL;
	}
	span_free(&inc->open);
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
