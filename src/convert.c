/*
 * convert.c - the conversion pipeline (see convert.h).
 *
 * Data flows one way: a group comes from the history reader, is replayed,
 * the shadow is captured into a snapshot, the snapshot's new objects and the
 * commit go to the sinks, and the difference to the previous snapshot
 * becomes audit rows. Objects already written in this batch are not written
 * again; writes to the store are idempotent, so a rerun adds nothing.
 *
 * Resuming: the changes the store already holds (a commit or a recorded
 * failure covers their ids), from the start of the history up to the first
 * one it does not, are replayed to rebuild the shadow but not captured or
 * committed; the first new commit's parent is the commit of the last
 * change replayed that way, loaded back from the store. --from-id N does
 * the same for the changes before N, which the store must hold. Each batch
 * commits its objects, commits, audit rows, ref and registry position in
 * one target transaction, then moves git's ref: a crash loses at most the
 * batch in flight, and git's ref never points past the store's.
 *
 * The sinks run one batch behind, in a thread of their own (write_batch):
 * a batch's rows are gathered in memory (rows.h) and handed over whole,
 * and the next batch is replayed and captured while they are written.
 * Nothing else uses the store's connection or the git repository while a
 * batch is in flight: the main thread waits for it first.
 */
#include "ddlsnap/convert.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ddlsnap/capture.h"
#include "ddlsnap/commitmsg.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitrepo.h"
#include "ddlsnap/history.h"
#include "ddlsnap/incremental.h"
#include "ddlsnap/oidset.h"
#include "ddlsnap/progress.h"
#include "ddlsnap/registry.h"
#include "ddlsnap/replay.h"
#include "ddlsnap/rows.h"
#include "ddlsnap/snapshot.h"
#include "ddlsnap/store.h"
#include "ddlsnap/testpoint.h"
#include "ddlsnap/worker.h"
#include "ddlsnap_sql.h"

/* Rows gathered past this size go to the sinks before the batch ends. */
#define SEND_BYTES (8u << 20)

/* What the writer thread gets with a batch's rows (see write_batch). */
typedef struct {
	ds_rows *rows;
	int commit;		/* the end of a batch: refs, registry, COMMIT */
	int reopen;		/* then BEGIN the next batch's transaction */
	size_t size;		/* commits in the batch, for its event */
	ds_convert_stats stats; /* as of the batch's end */
	int64_t last_id;
} batch;

typedef struct {
	const ds_convert_opts *opts;
	ds_convert_stats *stats;
	PGconn *source, *target;
	ds_history *history;
	ds_replayer *replayer;
	ds_store *store;
	ds_gitrepo *repo;
	ds_rows rows[2];   /* the batch being gathered, and the one being written */
	int cur;	   /* which of rows[] is gathered */
	ds_worker *writer; /* writes a batch to the sinks (write_batch) */
	batch sent;	   /* the batch it writes */
	ds_oidset written; /* objects sent to the sinks in this batch */
	ds_oidset warned;  /* uncaptured objects already named in a warning */
	ds_snapshot prev;     /* the shadow as of the last commit */
	ds_incremental inc;   /* keeps prev up to date change by change */
	int baseline_done;    /* --baseline was replayed (and committed) */
	ds_snap_entry *pending; /* the last change's differences, for audit rows */
	size_t npending, pending_cap;
	struct waiting *waiting; /* committed in the shadow, waiting for the span's capture */
	size_t nwaiting, waiting_cap;
	size_t nready; /* of which the first are committed (span_done) */
	int beside;    /* a span's capture runs beside the change being replayed */
	int generation;
	int64_t last_epoch;
	size_t batch_commits;
	/* resuming (see the top of this file) */
	ds_covered *covered; /* what the store holds, by id */
	size_t ncovered;
	int in_prefix;	     /* still replaying what the store holds */
	int64_t last_done;   /* first id of the last change replayed only that made a commit */
	int from_found;
	/* the registry, progress and events */
	int64_t rows_expected;
	int64_t last_id;
	size_t batches; /* committed, counted by the writer */
	ds_progress progress;
	double start;
} converter;

static int send_rows(converter *c, int commit, int reopen, size_t size);
static int flush_span(converter *c, int drain);

static ds_rows *gathered(converter *c)
{
	return &c->rows[c->cur];
}

/* Memory stays bounded: past SEND_BYTES the rows go before the batch ends. */
static int maybe_send(converter *c)
{
	return gathered(c)->bytes >= SEND_BYTES ? send_rows(c, 0, 0, 0) : 0;
}

static int emit(void *payload, ds_objtype type, const ds_oid *oid, const char *body, size_t len)
{
	converter *c = payload;
	if (!ds_oidset_add(&c->written, oid))
		return 0;
	c->stats->objects_written++;
	if (!c->store)
		return 0;
	ds_rows_put_object(gathered(c), type, oid, body, len);
	return maybe_send(c);
}

static void run_state(ds_run_state *st, char *head, const ds_convert_stats *s, int64_t last_id,
		      const char *status, const char *error)
{
	if (s->has_head)
		ds_oid_fmt(head, &s->head);
	*st = (ds_run_state){
		.status = status,
		.rows_processed = (int64_t)s->rows,
		.changes_processed = (int64_t)s->groups,
		.rows_resumed = (int64_t)s->resumed_rows,
		.last_history_id = last_id,
		.commits = (int64_t)s->commits,
		.failed = (int64_t)s->failed,
		.warnings = (int64_t)s->warnings,
		.head = s->has_head ? head : NULL,
		.error = error,
	};
}

/* One JSON object per line (seeds/000's telemetry): a batch, or the end. */
static void write_event(converter *c, const char *event, size_t size, const char *status,
			const ds_convert_stats *s, int64_t last_id)
{
	if (!c->opts->events)
		return;
	fprintf(c->opts->events,
		"{\"event\": \"%s\", \"batch\": %zu, \"size\": %zu, \"commits\": %zu,"
		" \"failed\": %zu, \"processed_rows\": %zu, \"processed_changes\": %zu,"
		" \"last_history_id\": %lld, \"elapsed_ms\": %.0f",
		event, c->batches, size, s->commits, s->failed, s->rows, s->groups,
		(long long)last_id, (ds_progress_now() - c->start) * 1000.0);
	/* Time inside the sinks so far (their own clocks), to see what they cost. */
	fprintf(c->opts->events, ", \"store_ms\": %.0f, \"git_ms\": %.0f",
		c->store ? ds_store_seconds(c->store) * 1000.0 : 0.0,
		c->repo ? ds_gitrepo_seconds(c->repo) * 1000.0 : 0.0);
	if (status)
		fprintf(c->opts->events, ", \"status\": \"%s\"", status);
	fputs("}\n", c->opts->events);
	fflush(c->opts->events);
}

static int put_git(void *payload, ds_objtype type, const ds_oid *oid, const char *body,
		   size_t len)
{
	int rc = ds_gitrepo_put(payload, type, oid, body, len);
	if (rc == 0)
		ds_testpoint("git-write");
	return rc;
}

/*
 * The writer thread's job: a batch's objects into git (at the batch's end
 * one pack, durable first: the store's COMMIT is what makes a batch count
 * as done), its rows into the store, and at the batch's end the refs, the
 * registry's row and the COMMIT. It reads only c->sent and what the main
 * thread leaves alone while a batch is in flight: the store, its connection
 * and the repository.
 */
static int write_batch(void *arg)
{
	converter *c = arg;
	const batch *b = &c->sent;
	const ds_convert_stats *s = &b->stats;
	int rc = 0;
	if (c->repo) {
		rc = ds_rows_each_object(b->rows, put_git, c->repo);
		if (rc == 0 && b->commit)
			rc = ds_gitrepo_flush(c->repo);
	}
	if (rc == 0)
		rc = ds_store_write(c->store, b->rows);
	if (rc || !b->commit)
		return rc;
	if (s->has_head)
		rc = ds_store_set_ref(c->store, DS_MAIN_REF, &s->head);
	if (rc == 0 && s->run_id) {
		ds_run_state st;
		char head[DS_OID_HEXSZ + 1];
		run_state(&st, head, s, b->last_id, "running", NULL);
		rc = ds_registry_update(c->target, s->run_id, &st);
	}
	if (rc == 0) {
		ds_testpoint("batch-commit");
		rc = ds_store_commit(c->store);
	}
	if (rc == 0) {
		ds_testpoint("git-ref");
		c->batches++;
		write_event(c, "batch", b->size, NULL, s, b->last_id);
	}
	if (rc == 0 && c->repo && s->has_head)
		rc = ds_gitrepo_set_ref(c->repo, DS_MAIN_REF, &s->head, "ddlsnap convert");
	if (rc == 0 && b->reopen)
		rc = ds_store_begin(c->store);
	return rc;
}

/*
 * Hand the gathered rows to the writer, after the batch in flight (whose
 * rows are then free to gather the next). commit: the batch ends here.
 */
static int send_rows(converter *c, int commit, int reopen, size_t size)
{
	int rc = ds_worker_wait(c->writer);
	if (rc)
		return ds_error_wrap(rc, "writing the batch before");
	c->sent = (batch){
		.rows = gathered(c),
		.commit = commit,
		.reopen = reopen,
		.size = size,
		.stats = *c->stats,
		.last_id = c->last_id,
	};
	c->cur ^= 1;
	return ds_worker_start(c->writer, write_batch, c);
}

static int flush_batch(converter *c, int reopen)
{
	size_t size = c->batch_commits;
	c->batch_commits = 0;
	int rc = flush_span(c, 1);
	if (rc)
		return rc;
	if (c->opts->paranoid && c->stats->has_head) {
		rc = ds_incremental_check(&c->inc, &c->prev);
		if (rc)
			return ds_error_wrap(rc, "after history %lld", (long long)c->last_id);
	}
	if (!c->store)
		return 0;
	/* Memory follows the schema, not the history: this batch's objects are
	 * on their way, and a later write of the same object is idempotent. */
	ds_oidset_free(&c->written);
	return send_rows(c, 1, reopen, size);
}

/* Wait for the batch in flight; an error the main thread had stays the one reported. */
static int finish_writes(converter *c, int rc)
{
	if (!rc)
		return ds_worker_wait(c->writer);
	char *error = ds_xstrdup(ds_error_last());
	ds_worker_wait(c->writer);
	ds_error_setc(rc, "%s", error);
	free(error);
	return rc;
}

static void warn_uncaptured(converter *c, const ds_capture *cap, const char *what)
{
	for (size_t i = 0; i < cap->nskipped; i++) {
		const ds_skipped *s = &cap->skipped[i];
		ds_buf key = DS_BUF_INIT;
		ds_oid k;
		ds_buf_printf(&key, "%s%c%s%c%s", s->kind, 0, s->schema ? s->schema : "", 0, s->name);
		ds_oid_hash(&k, DS_OBJ_BLOB, key.ptr, key.len);
		ds_buf_free(&key);
		if (!ds_oidset_add(&c->warned, &k))
			continue;
		c->stats->warnings++;
		ds_capture_warn_skipped(c->opts->log, what, s);
	}
}

static void copy_entry(ds_snap_entry *to, const ds_snap_entry *from)
{
	memset(to, 0, sizeof *to);
	if (!from)
		return;
	to->path = ds_xstrdup(from->path);
	to->obj.schema = from->obj.schema ? ds_xstrdup(from->obj.schema) : NULL;
	to->obj.kind = ds_xstrdup(from->obj.kind);
	to->obj.name = ds_xstrdup(from->obj.name);
	to->obj.ddl = ds_xstrdup(from->obj.ddl);
	to->blob = from->blob;
}

/* A difference found while the snapshot is updated: kept until the commit exists. */
static int keep_change(const ds_snap_entry *old, const ds_snap_entry *new_, void *payload)
{
	converter *c = payload;
	if (!c->store)
		return 0;
	if (c->npending + 2 > c->pending_cap) {
		c->pending_cap = c->pending_cap ? 2 * c->pending_cap : 32;
		c->pending = ds_xrealloc(c->pending, c->pending_cap * sizeof *c->pending);
	}
	copy_entry(&c->pending[c->npending++], old);
	copy_entry(&c->pending[c->npending++], new_);
	return 0;
}

static void free_pending(converter *c)
{
	for (size_t i = 0; i < c->npending; i++) {
		if (c->pending[i].path)
			ds_snap_entry_free(&c->pending[i]);
	}
	c->npending = 0;
}

static int put_changes(converter *c, const ds_commit_row *row)
{
	int rc = 0;
	for (size_t i = 0; i + 1 < c->npending && rc == 0; i += 2) {
		const ds_snap_entry *old = c->pending[i].path ? &c->pending[i] : NULL;
		const ds_snap_entry *new_ = c->pending[i + 1].path ? &c->pending[i + 1] : NULL;
		c->stats->audit_rows++;
		ds_rows_put_change(gathered(c), row, old, new_);
		rc = maybe_send(c);
	}
	return rc;
}

/* A change committed in the shadow whose snapshot waits for its span's capture. */
struct waiting {
	char *message, *author;
	int64_t when;
	int64_t *ids; /* its history ids (none for the baseline) */
	size_t nids;
	char *what;   /* names it in messages: "history 12" */
};

static void waiting_free(struct waiting *w)
{
	free(w->message);
	free(w->author);
	free(w->ids);
	free(w->what);
	memset(w, 0, sizeof *w);
}

/* Commit the snapshot as it is now (c->prev) for change w. */
static int commit_tree(converter *c, const struct waiting *w)
{
	const ds_snapshot *snap = &c->prev;
	ds_buf body = DS_BUF_INIT;
	ds_commit commit = {
		.tree = snap->tree,
		.parents = c->stats->has_head ? &c->stats->head : NULL,
		.nparents = c->stats->has_head ? 1 : 0,
		.author = {w->author, w->author, w->when, 0},
		.committer = {w->author, w->author, w->when, 0},
		.message = w->message,
	};
	ds_commit_row row = {
		.tree = snap->tree,
		.parents = commit.parents,
		.nparents = commit.nparents,
		.generation = c->generation + 1,
		.author = w->author,
		.when = w->when,
		.message = w->message,
		.history_ids = w->ids,
		.nhistory_ids = w->nids,
	};
	int rc = ds_commit_encode(&body, &commit);
	if (rc == 0) {
		ds_oid_hash(&row.commit, DS_OBJ_COMMIT, body.ptr, body.len);
		rc = emit(c, DS_OBJ_COMMIT, &row.commit, body.ptr, body.len);
	}
	if (rc == 0 && c->store)
		ds_rows_put_commit(gathered(c), &row);
	if (rc == 0 && c->store)
		rc = put_changes(c, &row);
	if (rc == 0 && c->opts->on_commit)
		c->opts->on_commit(c->opts->payload, &row.commit);
	if (rc == 0) {
		c->stats->head = row.commit;
		c->stats->has_head = 1;
		c->stats->commits++;
		c->stats->head_objects = snap->n;
		c->generation++;
	}
	free_pending(c);
	ds_buf_free(&body);
	return rc ? ds_error_wrap(rc, "%s", w->what) : 0;
}

/* The span's capture brought c->prev to the next change waiting: commit it. */
static int span_done(void *payload, const ds_capture *skipped)
{
	converter *c = payload;
	struct waiting *w = &c->waiting[c->nready];
	if (skipped)
		warn_uncaptured(c, skipped, w->what);
	int rc = commit_tree(c, w);
	if (rc == 0) {
		waiting_free(w);
		c->nready++;
	}
	return rc;
}

/*
 * Commit the changes whose capture is done (docs/incremental.md); with
 * drain, capture every change waiting first.
 */
static int flush_span(converter *c, int drain)
{
	if (c->nwaiting == 0)
		return 0;
	free_pending(c);
	c->nready = 0;
	int rc = ds_incremental_flush(&c->inc, &c->prev, emit, c, keep_change, c, span_done, c,
				      drain);
	if (rc) {
		/* It failed on the first change not committed: every change after it is dropped. */
		size_t k = c->nready;
		const char *what = k < c->nwaiting ? c->waiting[k].what : "a change";
		if (k + 1 < c->nwaiting)
			rc = ds_error_wrap(rc, "%s (with the %zu changes after it)", what,
					   c->nwaiting - k - 1);
		else
			rc = ds_error_wrap(rc, "%s", what);
		for (size_t i = k; i < c->nwaiting; i++)
			waiting_free(&c->waiting[i]);
		c->nwaiting = 0;
		return rc;
	}
	c->nwaiting -= c->nready;
	memmove(c->waiting, c->waiting + c->nready, c->nwaiting * sizeof *c->waiting);
	return 0;
}

/*
 * A change committed in the shadow: it waits for its snapshot with message
 * and author (taken over), at when, naming the change's history ids (none
 * for the baseline); what names the change in messages.
 */
static int commit_snapshot(converter *c, char *message, char *author, int64_t when,
			   const int64_t *history_ids, size_t nids, const char *what)
{
	int flush;
	int rc = ds_incremental_push(&c->inc, 1, &flush);
	if (rc) {
		free(message);
		free(author);
		return ds_error_wrap(rc, "%s", what);
	}
	if (c->nwaiting == c->waiting_cap) {
		c->waiting_cap = c->waiting_cap ? 2 * c->waiting_cap : 16;
		c->waiting = ds_xrealloc(c->waiting, c->waiting_cap * sizeof *c->waiting);
	}
	struct waiting *w = &c->waiting[c->nwaiting++];
	*w = (struct waiting){ .message = message, .author = author, .when = when,
			       .nids = nids, .what = ds_xstrdup(what) };
	if (nids) {
		w->ids = ds_xmalloc(nids * sizeof *w->ids);
		memcpy(w->ids, history_ids, nids * sizeof *w->ids);
	}
	return flush ? flush_span(c, 0) : 0;
}

static int commit_group(converter *c, const ds_group *g, const char *ids)
{
	/* A row without created_at keeps the history's time moving forward. */
	int64_t when = g->has_epoch ? g->epoch : c->last_epoch;
	c->last_epoch = when;
	ds_buf what = DS_BUF_INIT;
	ds_buf_printf(&what, "history %s", ids);
	int rc = commit_snapshot(c, ds_commitmsg_message(g), ds_commitmsg_author(g), when, g->ids,
				 g->nids, ds_buf_cstr(&what));
	ds_buf_free(&what);
	return rc;
}

/*
 * Why a replay failed: "statement K of N (line L) failed: MESSAGE (SQLSTATE
 * X)", or the message alone when no statement ran (a text that does not
 * parse).
 */
static void describe_failure(ds_buf *b, const ds_replay_result *res)
{
	const char *msg = res->error ? res->error : "unknown error";
	if (res->statement_number)
		ds_buf_printf(b, "statement %d of %zu (line %d) failed: %s", res->statement_number,
			      res->nstatements, res->statement_line, msg);
	else
		ds_buf_puts(b, msg);
	if (res->statement_number && res->sqlstate)
		ds_buf_printf(b, " (SQLSTATE %s)", res->sqlstate);
}

/*
 * A copy of a dump without the lines "\restrict KEY" and "\unrestrict KEY"
 * that pg_dump (15.14 and later) writes first and last for psql: they are
 * not SQL. Nothing else of a dump's text is changed; any other psql
 * meta-command fails to parse, naming its line.
 */
static char *without_psql_keys(const char *dump)
{
	ds_buf b = DS_BUF_INIT;
	for (const char *line = dump; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		int key = strncmp(line, "\\restrict ", 10) == 0 ||
			  strncmp(line, "\\unrestrict ", 12) == 0;
		/* keep the line count, so errors name the file's own lines */
		ds_buf_put(&b, key ? "\n" : line, key ? (end ? 1 : 0) : len);
		line += len;
	}
	return ds_buf_detach(&b);
}

/*
 * --baseline: the schema before the history, replayed first. It becomes the
 * root commit, dated at the first change (or now, for a history without
 * dates); a rerun that resumes replays it again without committing. A
 * baseline that does not replay stops the run: nothing after it would mean
 * what the history meant.
 */
static int run_baseline(converter *c, const ds_group *first)
{
	const ds_convert_opts *o = c->opts;
	ds_replay_result res = {0};
	char *sql = without_psql_keys(o->baseline_sql);
	int rc = ds_replay_change(c->replayer, sql, &res);
	free(sql);
	if (rc == 0 && !res.ok) {
		ds_buf why = DS_BUF_INIT;
		describe_failure(&why, &res);
		rc = ds_error_setc(DS_EINVALID, "--baseline %s: %s", o->baseline_name,
				   ds_buf_cstr(&why));
		ds_buf_free(&why);
	}
	if (rc == 0 && res.nrefused)
		ds_replay_report_refusals(o->log, "(baseline)", &res);
	c->stats->refused += res.nrefused;
	ds_replay_result_free(&res);
	c->baseline_done = 1;
	if (rc || (c->in_prefix && c->ncovered > 0))
		return rc;

	int64_t when = first && first->has_epoch ? first->epoch : (int64_t)time(NULL);
	c->last_epoch = when;
	ds_buf message = DS_BUF_INIT;
	ds_buf_printf(&message,
		      "Baseline: the schema before the history\n\nReplayed from %s before the"
		      " first change of pggit.history.\n",
		      o->baseline_name);
	rc = commit_snapshot(c, ds_buf_detach(&message), ds_xstrdup("ddlsnap"),
			     when, NULL, 0, "the baseline");
	if (rc == 0)
		c->batch_commits++;
	return rc;
}

static int record_failure(converter *c, const ds_group *g, const char *ids,
			  const ds_replay_result *res)
{
	c->stats->failed++;
	ds_buf why = DS_BUF_INIT;
	describe_failure(&why, res);
	fprintf(c->opts->log, "error: history %s: %s\n", ids, ds_buf_cstr(&why));
	ds_buf_free(&why);
	if (res->statement_number)
		fprintf(c->opts->log,
			"  statement: %.200s%s\n  the change was rolled back; the run goes on\n",
			res->statement, strlen(res->statement) > 200 ? "..." : "");

	ds_failure_row row = {
		.history_ids = g->ids,
		.nhistory_ids = g->nids,
		.statement_number = res->statement_number,
		.statement = res->statement,
		.error = res->error,
		.sqlstate = res->sqlstate,
		.created_at = g->created_at,
	};
	if (!c->store)
		return 0;
	ds_rows_put_failure(gathered(c), &row);
	return maybe_send(c);
}

/* How the store covers a group: 0 not at all, 1 partly, 2 by a commit, 3 by a failure. */
static int coverage(const converter *c, const ds_group *g)
{
	size_t hits = 0;
	int failed = 0;
	for (size_t i = 0; i < g->nids; i++) {
		size_t lo = 0, hi = c->ncovered;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (c->covered[mid].id < g->ids[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->ncovered && c->covered[lo].id == g->ids[i]) {
			hits++;
			failed = c->covered[lo].failed;
		}
	}
	return hits == 0 ? 0 : hits < g->nids ? 1 : failed ? 3 : 2;
}

static int has_id(const ds_group *g, int64_t id)
{
	for (size_t i = 0; i < g->nids; i++)
		if (g->ids[i] == id)
			return 1;
	return 0;
}

/*
 * A change the store already holds: replay it so the shadow is as it was,
 * without capturing or committing. One that failed before is not run: it
 * was rolled back then too.
 */
static int replay_only(converter *c, const ds_group *g, const char *ids, int cov)
{
	c->stats->resumed_rows += g->nids;
	c->stats->resumed_changes++;
	if (cov == 3)
		return 0;
	ds_replay_result res = {0};
	int rc = ds_replay_change(c->replayer, g->sql ? g->sql : "", &res);
	if (rc == 0 && !res.ok)
		rc = ds_error_setc(DS_EINVALID,
				   "history %s: the v2 store holds a commit for this change, but it"
				   " fails to replay now (%s); the history changed since it was"
				   " converted: convert into an empty target",
				   ids, res.error ? res.error : "unknown error");
	if (rc == 0)
		c->last_done = g->ids[0];
	ds_replay_result_free(&res);
	return rc;
}

static int get_stored(void *payload, const ds_oid *oid, ds_objtype *type, ds_buf *body)
{
	return ds_store_get_object(payload, oid, type, body);
}

/*
 * Leaving the replayed-only prefix: chain to the commit of its last change
 * that made one, with that commit's snapshot as the one to diff against.
 */
static int resume_chain(converter *c)
{
	if (!c->last_done)
		return 0;
	ds_commit_ref ref;
	int rc = ds_worker_wait(c->writer); /* the store's connection is free */
	if (rc == 0)
		rc = ds_store_commit_of(c->store, c->last_done, &ref);
	if (rc == 0)
		rc = ds_snapshot_load(&c->prev, &ref.tree, get_stored, c->store);
	if (rc)
		return ds_error_wrap(rc, "resuming after history %lld", (long long)c->last_done);
	c->stats->head = ref.commit;
	c->stats->has_head = 1;
	c->generation = ref.generation;
	c->last_epoch = ref.epoch;
	return 0;
}

/*
 * Decide whether a group is replayed only (the store holds it, or it comes
 * before --from-id). @return 1 replayed only, 0 to convert it, or an error
 */
static int in_prefix(converter *c, const ds_group *g, const char *ids, int cov)
{
	int64_t from = c->opts->from_id;
	if (from && has_id(g, from)) {
		if (g->ids[0] != from)
			return ds_error_setc(DS_EINVALID,
					     "--from-id %lld is inside the change of history %s;"
					     " start at its first id, %lld",
					     (long long)from, ids, (long long)g->ids[0]);
		c->from_found = 1;
	} else if (from && !c->from_found) {
		if (cov < 2)
			return ds_error_setc(DS_EINVALID,
					     "the v2 store holds no commit for history %s, which comes"
					     " before --from-id %lld: convert from an earlier id",
					     ids, (long long)from);
		return 1;
	} else if (cov == 1) {
		return ds_error_setc(DS_EINVALID,
				     "the v2 store covers only some of the rows of history %s:"
				     " it holds a different history; convert into an empty target",
				     ids);
	} else if (cov >= 2) {
		return 1;
	}
	return 0;
}

/* The replay gate (replay.h): may the change commit before the span is captured? */
static int gate(void *payload, PGconn *replay)
{
	converter *c = payload;
	int wait;
	int rc = ds_incremental_gate(&c->inc, replay, &wait);
	return rc ? rc : wait;
}

static int gate_flush(void *payload)
{
	converter *c = payload;
	c->beside = 0; /* what the change runs from now on, it runs alone */
	double start = ds_progress_now();
	int rc = flush_span(c, 1);
	c->stats->again_seconds += ds_progress_now() - start;
	return rc;
}

static void gate_borrow(void *payload)
{
	converter *c = payload;
	ds_incremental_quiet(&c->inc);
}

/*
 * Whether a failed change may have failed for a capture reading the shadow
 * beside it (docs/incremental.md): it gave up waiting for a lock
 * (lock_timeout), was cancelled by statement_timeout, or was chosen by the
 * deadlock check. Without that capture it might not have failed.
 */
static int contended(const ds_replay_result *res)
{
	static const char *const states[] = { "55P03", "57014", "40P01" };
	for (size_t i = 0; res->sqlstate && i < sizeof states / sizeof states[0]; i++)
		if (strcmp(res->sqlstate, states[i]) == 0)
			return 1;
	return 0;
}

/* Replay a change the store does not hold, and commit it or record its failure. */
static int convert_group(converter *c, const ds_group *g, const char *ids)
{
	ds_replay_result res = {0};
	int rc = 0;
	if (!g->sql) {
		res.error = ds_xstrdup("the history row has no sql_executed; nothing to replay");
	} else {
		ds_testpoint("replay");
		const ds_replay_gate span_gate = { gate, gate_flush, gate_borrow, c };
		ds_replay_set_gate(c->replayer, &span_gate);
		c->beside = ds_incremental_capturing(&c->inc);
		double start = ds_progress_now();
		rc = ds_replay_change(c->replayer, g->sql, &res);
		if (rc == 0 && !res.ok && c->beside && !res.stepped && contended(&res)) {
			/* It may have waited for the capture's locks: run it again after it. */
			int unused;
			ds_incremental_push(&c->inc, 0, &unused);
			c->stats->contended++;
			rc = gate_flush(c);
			ds_replay_result_free(&res);
			memset(&res, 0, sizeof res);
			if (rc == 0)
				rc = ds_replay_change(c->replayer, g->sql, &res);
		}
		c->stats->replay_seconds += ds_progress_now() - start;
		ds_replay_set_gate(c->replayer, NULL);
		if (rc)
			rc = ds_error_wrap(rc, "history %s", ids);
	}
	if (rc == 0 && !res.ok) {
		int unused;
		ds_incremental_push(&c->inc, 0, &unused); /* what the gate took is gone */
	}
	if (rc == 0) {
		c->stats->skipped_transaction += res.skipped_transaction;
		c->stats->skipped_dml += res.skipped_dml;
		c->stats->skipped_query += res.skipped_query;
		c->stats->skipped_maintenance += res.skipped_maintenance;
		c->stats->concurrently += res.concurrently;
		c->stats->stepped += (size_t)res.stepped;
		c->stats->refused += res.nrefused;
		c->stats->skipped_owner += res.skipped_owner;
		ds_replay_report_refusals(c->opts->log, ids, &res);
		if (res.ok) {
			c->stats->replayed++;
			rc = commit_group(c, g, ids);
		} else {
			rc = record_failure(c, g, ids, &res);
		}
	}
	ds_replay_result_free(&res);
	return rc;
}

static int process_group(converter *c, const ds_group *g)
{
	char *ids = ds_group_ids_text(g);
	int rc = 0;

	c->stats->groups++;
	c->stats->rows += g->nids;
	c->last_id = g->ids[g->nids - 1];
	if (c->in_prefix) {
		int cov = coverage(c, g);
		rc = in_prefix(c, g, ids, cov);
		if (rc > 0) {
			rc = replay_only(c, g, ids, cov);
		} else if (rc == 0) {
			c->in_prefix = 0;
			rc = resume_chain(c);
			if (rc == 0)
				rc = convert_group(c, g, ids);
		}
	} else {
		rc = convert_group(c, g, ids);
	}
	if (rc == 0 && !c->in_prefix && ++c->batch_commits >= (size_t)c->opts->batch_size)
		rc = flush_batch(c, 1);
	ds_progress_update(&c->progress, (int64_t)c->stats->rows, c->stats->commits,
			   c->stats->failed);
	free(ids);
	return rc;
}

static int level_put(void *payload, ds_objtype type, const ds_oid *oid, const char *body,
		     size_t len)
{
	return ds_gitrepo_put(payload, type, oid, body, len);
}

/*
 * A repository behind the store (a run killed between the store's commit
 * and git's ref, or a repository added on a rerun) gets every object the
 * store has; its ref moves with the next batch.
 */
static int level_git(converter *c)
{
	ds_oid in_store, in_git;
	if (ds_gitrepo_clear_lock(c->repo, DS_MAIN_REF))
		fprintf(c->opts->log, "note: removed %s.lock in %s, left by a run that was killed\n",
			DS_MAIN_REF, c->opts->git_dir);
	if (ds_store_get_ref(c->store, DS_MAIN_REF, &in_store) != 0)
		return 0; /* nothing stored yet */
	if (ds_gitrepo_get_ref(c->repo, DS_MAIN_REF, &in_git) == 0 && ds_oid_cmp(&in_git, &in_store) == 0)
		return 0;
	int rc = ds_store_each_object(c->store, level_put, c->repo);
	if (rc == 0)
		rc = ds_gitrepo_set_ref(c->repo, DS_MAIN_REF, &in_store, "ddlsnap convert: level with the store");
	return rc ? ds_error_wrap(rc, "bringing %s level with the v2 store", c->opts->git_dir) : 0;
}

/* ds_incremental's settle: the replayer's session reset runs before a capture. */
static int settle_replayer(void *replayer)
{
	return ds_replay_settle(replayer);
}

static int open_all(converter *c)
{
	const ds_convert_opts *o = c->opts;
	int rc = ds_db_connect(&c->source, o->source, NULL);
	if (rc == 0 && !o->hash_only)
		rc = ds_db_connect(&c->target, o->target ? o->target : o->source, NULL);
	/* The lock first: installing the store waits for a running batch's locks. */
	if (rc == 0 && !o->hash_only)
		rc = ds_registry_lock(c->target);
	if (rc == 0 && !o->hash_only)
		rc = ds_store_open(&c->store, c->target);
	if (rc == 0 && o->git_dir && !o->hash_only)
		rc = ds_gitrepo_open(&c->repo, o->git_dir, 1);
	if (rc == 0)
		rc = ds_history_open(&c->history, c->source);
	if (rc == 0)
		rc = ds_history_count(c->history, &c->rows_expected);
	if (rc == 0 && c->store)
		rc = ds_store_covered_ids(c->store, &c->covered, &c->ncovered);
	if (rc == 0 && c->store)
		rc = ds_registry_start(c->target, c->rows_expected, o->batch_size, o->arguments,
				       &c->stats->run_id);
	if (rc == 0)
		rc = ds_replay_open(&c->replayer, o->source, o->shadow);
	if (rc == 0 && ds_replay_notice(c->replayer))
		fprintf(o->log, "warning: %s\n", ds_replay_notice(c->replayer));
	if (rc == 0)
		ds_replay_set_dml(c->replayer, o->replay_dml);
	if (rc == 0)
		rc = ds_capture_session_setup(ds_replay_capture_conn(c->replayer));
	/* Capture writes the user that runs history as CURRENT_USER (default
	 * privileges, grants): its name is the run's, not the history's. */
	if (rc == 0) {
		const char *params[1] = { ds_replay_user(c->replayer) };
		rc = ds_db_query(ds_replay_capture_conn(c->replayer), NULL,
				 ds_sql_capture_history_user, 1, params);
	}
	if (rc == 0)
		rc = ds_incremental_open(&c->inc, ds_replay_capture_conn(c->replayer), o->log);
	c->inc.paranoid = o->paranoid;
	c->inc.settle = settle_replayer;
	c->inc.settle_payload = c->replayer;
	if (rc == 0 && c->store)
		rc = ds_store_begin(c->store);
	if (rc == 0 && c->repo)
		rc = level_git(c);
	c->in_prefix = c->store != NULL || o->from_id != 0;
	return rc;
}

static int close_all(converter *c, int rc)
{
	ds_history_close(c->history);
	int rc2 = 0;
	ds_incremental_quiet(&c->inc); /* a capture in its thread is done with the connection */
	if (c->replayer && PQstatus(ds_replay_capture_conn(c->replayer)) == CONNECTION_OK)
		rc2 = ds_incremental_close(&c->inc);
	int rc3 = ds_replay_close(c->replayer);
	rc2 = rc2 ? rc2 : rc3;
	c->stats->scoped_captures = c->inc.scoped;
	c->stats->whole_captures = c->inc.whole;
	c->stats->span_captures = c->inc.captures;
	c->stats->sent_back = c->inc.sent_back;
	c->stats->captures_behind = c->inc.behind;
	c->stats->captures_retried = c->inc.retried;
	c->stats->gate_seconds = c->inc.gate_seconds;
	c->stats->wait_seconds = c->inc.wait_seconds;
	c->stats->thread_seconds = c->inc.thread_seconds;
	free_pending(c);
	free(c->pending);
	for (size_t k = 0; k < c->nwaiting; k++)
		waiting_free(&c->waiting[k]);
	free(c->waiting);
	ds_worker_free(c->writer);
	ds_rows_free(&c->rows[0]);
	ds_rows_free(&c->rows[1]);
	ds_store_free(c->store);
	ds_gitrepo_free(c->repo);
	if (c->target)
		PQfinish(c->target);
	if (c->source)
		PQfinish(c->source);
	ds_oidset_free(&c->written);
	ds_oidset_free(&c->warned);
	ds_snapshot_free(&c->prev);
	free(c->covered);
	return rc ? rc : rc2;
}

/* Close the run's registry row, after the batch in flight was rolled back. */
static void close_run(converter *c, int rc)
{
	if (!c->store || !c->stats->run_id || PQstatus(c->target) != CONNECTION_OK)
		return;
	const char *status = rc ? "failed" : c->stats->interrupted ? "interrupted" : "completed";
	ds_run_state st;
	char head[DS_OID_HEXSZ + 1];
	char *error = rc ? ds_xstrdup(ds_error_last()) : NULL;
	ds_store_rollback(c->store);
	run_state(&st, head, c->stats, c->last_id, status,
		  error ? error : c->stats->interrupted ? "interrupted by a signal" : NULL);
	/* The registry keeps its own record of a failure; the run's error stays the one reported. */
	if (ds_registry_update(c->target, c->stats->run_id, &st) != 0 && error)
		ds_error_set("%s", error);
	write_event(c, "end", 0, status, c->stats, c->last_id);
	free(error);
}

int ds_convert_run(const ds_convert_opts *opts, ds_convert_stats *stats)
{
	converter c = {.opts = opts, .stats = stats, .writer = ds_worker_new()};
	memset(stats, 0, sizeof *stats);
	c.start = ds_progress_now();

	int rc = open_all(&c);
	ds_progress_start(&c.progress, opts->log,
			  opts->quiet || opts->hash_only ? DS_PROGRESS_NONE :
			  opts->progress_bar		 ? DS_PROGRESS_BAR :
							   DS_PROGRESS_LINES,
			  c.rows_expected);
	stats->setup_seconds = ds_progress_now() - c.start;
	while (rc == 0) {
		if (opts->max_changes && stats->groups >= opts->max_changes)
			break;
		if (opts->stop && *opts->stop) {
			stats->interrupted = 1;
			break;
		}
		ds_group g;
		int got = ds_history_next(c.history, &g);
		if (got < 0 || (got == 0 && (c.baseline_done || !opts->baseline_sql))) {
			rc = got;
			break;
		}
		if (!c.baseline_done && opts->baseline_sql) {
			rc = run_baseline(&c, got ? &g : NULL);
			if (rc || got == 0) {
				if (got)
					ds_group_free(&g);
				break;
			}
		}
		rc = process_group(&c, &g);
		ds_group_free(&g);
		if (rc == 0 && opts->stop_on_error && stats->failed)
			break;
	}
	if (rc == 0 && opts->from_id && !c.from_found && !stats->interrupted)
		rc = ds_error_setc(DS_ENOTFOUND, "--from-id %lld: no history row has this id",
				   (long long)opts->from_id);
	/* Everything was held already: main is the last change's commit. */
	if (rc == 0 && c.in_prefix && !stats->interrupted)
		rc = resume_chain(&c);
	if (rc == 0 && !stats->interrupted)
		rc = flush_batch(&c, 0);
	rc = finish_writes(&c, rc);
	ds_progress_end(&c.progress);
	stats->seconds = ds_progress_now() - c.start;
	close_run(&c, rc);
	return close_all(&c, rc);
}
