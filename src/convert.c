/*
 * convert.c - the conversion pipeline (see convert.h).
 *
 * Data flows one way: a group comes from the history reader, is replayed,
 * the shadow is captured into a snapshot, the snapshot's new objects and the
 * commit go to the sinks, and the difference to the previous snapshot
 * becomes audit rows. Objects already written in this run are not written
 * again; writes to the store are idempotent, so a rerun adds nothing.
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
#include "ddlsnap/oidset.h"
#include "ddlsnap/replay.h"
#include "ddlsnap/snapshot.h"
#include "ddlsnap/store.h"

#define MAIN_REF "refs/heads/main"

typedef struct {
	const ds_convert_opts *opts;
	ds_convert_stats *stats;
	PGconn *source, *target;
	ds_history *history;
	ds_replayer *replayer;
	ds_store *store;
	ds_gitrepo *repo;
	ds_oidset written; /* objects sent to the sinks in this run */
	ds_oidset warned;  /* uncaptured objects already named in a warning */
	ds_snapshot prev;
	int generation;
	int64_t last_epoch;
	size_t batch_commits;
} converter;

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int emit(void *payload, ds_objtype type, const ds_oid *oid, const char *body, size_t len,
		const ds_tree_entry *entries, size_t nentries)
{
	converter *c = payload;
	if (!ds_oidset_add(&c->written, oid))
		return 0;
	c->stats->objects_written++;
	/* git first: the store's commit is what makes a batch count as done. */
	if (c->repo) {
		int rc = ds_gitrepo_put(c->repo, type, oid, body, len);
		if (rc)
			return rc;
	}
	if (!c->store)
		return 0;
	return ds_store_put_object(c->store, type, oid, body, len, entries, nentries);
}

static int flush_batch(converter *c, int reopen)
{
	int rc = 0;
	c->batch_commits = 0;
	if (!c->store)
		return 0;
	if (c->stats->has_head)
		rc = ds_store_set_ref(c->store, MAIN_REF, &c->stats->head);
	if (rc == 0)
		rc = ds_store_commit(c->store);
	if (rc == 0 && c->repo && c->stats->has_head)
		rc = ds_gitrepo_set_ref(c->repo, MAIN_REF, &c->stats->head, "ddlsnap convert");
	if (rc == 0 && reopen)
		rc = ds_store_begin(c->store);
	return rc;
}

static void warn_uncaptured(converter *c, const ds_capture *cap, const char *ids)
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
		ds_buf context = DS_BUF_INIT;
		ds_buf_printf(&context, "history %s", ids);
		ds_capture_warn_skipped(c->opts->log, ds_buf_cstr(&context), s);
		ds_buf_free(&context);
	}
}

typedef struct {
	converter *c;
	const ds_commit_row *row;
} change_ctx;

static int put_change(const ds_snap_entry *old, const ds_snap_entry *new_, void *payload)
{
	change_ctx *cc = payload;
	cc->c->stats->audit_rows++;
	return ds_store_put_change(cc->c->store, cc->row, old, new_);
}

/* Capture the shadow after a replayed group and commit the snapshot. */
static int commit_group(converter *c, const ds_group *g, const char *ids)
{
	ds_capture cap = {0};
	ds_snapshot snap = {0};
	ds_buf body = DS_BUF_INIT;
	char *message = NULL, *author = NULL;

	int rc = ds_capture_all(ds_replay_capture_conn(c->replayer), NULL, &cap);
	if (rc) {
		ds_capture_free(&cap);
		return ds_error_wrap(rc, "history %s: capture failed", ids);
	}
	warn_uncaptured(c, &cap, ids);
	rc = ds_snapshot_build(&snap, &cap, emit, c);
	ds_capture_free(&cap);
	if (rc)
		return ds_error_wrap(rc, "history %s", ids);

	/* A row without created_at keeps the history's time moving forward. */
	int64_t when = g->has_epoch ? g->epoch : c->last_epoch;
	c->last_epoch = when;
	message = ds_commitmsg_message(g);
	author = ds_commitmsg_author(g);

	ds_commit commit = {
		.tree = snap.tree,
		.parents = c->stats->has_head ? &c->stats->head : NULL,
		.nparents = c->stats->has_head ? 1 : 0,
		.author = {author, author, when, 0},
		.committer = {author, author, when, 0},
		.message = message,
	};
	ds_commit_row row = {
		.tree = snap.tree,
		.parents = commit.parents,
		.nparents = commit.nparents,
		.generation = c->generation + 1,
		.author = author,
		.when = when,
		.message = message,
		.history_ids = g->ids,
		.nhistory_ids = g->nids,
	};
	rc = ds_commit_encode(&body, &commit);
	if (rc == 0) {
		ds_oid_hash(&row.commit, DS_OBJ_COMMIT, body.ptr, body.len);
		rc = emit(c, DS_OBJ_COMMIT, &row.commit, body.ptr, body.len, NULL, 0);
	}
	if (rc == 0 && c->store)
		rc = ds_store_put_commit(c->store, &row);
	if (rc == 0 && c->store) {
		change_ctx cc = {c, &row};
		rc = ds_snapshot_diff(&c->prev, &snap, put_change, &cc);
	}
	if (rc == 0 && c->opts->on_commit)
		c->opts->on_commit(c->opts->payload, &row.commit);
	if (rc == 0) {
		c->stats->head = row.commit;
		c->stats->has_head = 1;
		c->stats->commits++;
		c->stats->head_objects = snap.n;
		c->generation++;
		ds_snapshot_free(&c->prev);
		c->prev = snap;
		snap = (ds_snapshot){0};
	}
	ds_snapshot_free(&snap);
	ds_buf_free(&body);
	free(message);
	free(author);
	return rc ? ds_error_wrap(rc, "history %s", ids) : 0;
}

static int record_failure(converter *c, const ds_group *g, const char *ids,
			  const ds_replay_result *res)
{
	c->stats->failed++;
	if (res->statement_number)
		fprintf(c->opts->log,
			"error: history %s: statement %d of %zu (line %d) failed: %s%s%s%s\n"
			"  statement: %.200s%s\n  the change was rolled back; the run goes on\n",
			ids, res->statement_number, res->nstatements, res->statement_line,
			res->error, res->sqlstate ? " (SQLSTATE " : "",
			res->sqlstate ? res->sqlstate : "", res->sqlstate ? ")" : "",
			res->statement, strlen(res->statement) > 200 ? "..." : "");
	else
		fprintf(c->opts->log, "error: history %s: %s\n", ids, res->error);

	ds_failure_row row = {
		.history_ids = g->ids,
		.nhistory_ids = g->nids,
		.statement_number = res->statement_number,
		.statement = res->statement,
		.error = res->error,
		.sqlstate = res->sqlstate,
		.created_at = g->created_at,
	};
	return c->store ? ds_store_put_failure(c->store, &row) : 0;
}

static int process_group(converter *c, const ds_group *g)
{
	char *ids = ds_group_ids_text(g);
	ds_replay_result res = {0};
	int rc = 0;

	c->stats->groups++;
	c->stats->rows += g->nids;
	if (!g->sql) {
		res.error = ds_xstrdup("the history row has no sql_executed; nothing to replay");
	} else {
		rc = ds_replay_change(c->replayer, g->sql, &res);
		if (rc)
			rc = ds_error_wrap(rc, "history %s", ids);
	}
	if (rc == 0) {
		c->stats->skipped_transaction += res.skipped_transaction;
		c->stats->skipped_dml += res.skipped_dml;
		if (res.ok) {
			c->stats->replayed++;
			rc = commit_group(c, g, ids);
		} else {
			rc = record_failure(c, g, ids, &res);
		}
	}
	if (rc == 0 && ++c->batch_commits >= (size_t)c->opts->batch_size)
		rc = flush_batch(c, 1);
	if (rc == 0 && !c->opts->quiet && c->stats->groups % 100 == 0)
		fprintf(c->opts->log, "progress: %zu changes, %zu commits, %zu failed\n",
			c->stats->groups, c->stats->commits, c->stats->failed);
	ds_replay_result_free(&res);
	free(ids);
	return rc;
}

static int open_all(converter *c)
{
	const ds_convert_opts *o = c->opts;
	int rc = ds_db_connect(&c->source, o->source, NULL);
	if (rc == 0 && !o->hash_only)
		rc = ds_db_connect(&c->target, o->target ? o->target : o->source, NULL);
	if (rc == 0 && !o->hash_only)
		rc = ds_store_open(&c->store, c->target);
	if (rc == 0 && o->git_dir && !o->hash_only)
		rc = ds_gitrepo_open(&c->repo, o->git_dir, 1);
	if (rc == 0)
		rc = ds_history_open(&c->history, c->source);
	if (rc == 0)
		rc = ds_replay_open(&c->replayer, o->source, o->shadow);
	if (rc == 0)
		rc = ds_capture_session_setup(ds_replay_capture_conn(c->replayer));
	if (rc == 0 && c->store)
		rc = ds_store_begin(c->store);
	return rc;
}

static int close_all(converter *c, int rc)
{
	ds_history_close(c->history);
	int rc2 = ds_replay_close(c->replayer);
	ds_store_free(c->store);
	ds_gitrepo_free(c->repo);
	if (c->target)
		PQfinish(c->target);
	if (c->source)
		PQfinish(c->source);
	ds_oidset_free(&c->written);
	ds_oidset_free(&c->warned);
	ds_snapshot_free(&c->prev);
	return rc ? rc : rc2;
}

int ds_convert_run(const ds_convert_opts *opts, ds_convert_stats *stats)
{
	converter c = {.opts = opts, .stats = stats};
	double start = now_seconds();
	memset(stats, 0, sizeof *stats);

	int rc = open_all(&c);
	while (rc == 0) {
		ds_group g;
		int got = ds_history_next(c.history, &g);
		if (got <= 0) {
			rc = got;
			break;
		}
		rc = process_group(&c, &g);
		ds_group_free(&g);
		if (rc == 0 && opts->stop_on_error && stats->failed)
			break;
	}
	if (rc == 0)
		rc = flush_batch(&c, 0);
	stats->seconds = now_seconds() - start;
	return close_all(&c, rc);
}
