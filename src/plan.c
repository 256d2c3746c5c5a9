/*
 * plan.c - the dry run (see plan.h). Reads the source only; the estimate
 * replays in a scratch shadow that is dropped at the end.
 */
#include "ddlsnap/plan.h"
#include "ddlsnap/refuse.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/convert.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/history.h"
#include "ddlsnap/stmt.h"
#include "ddlsnap_sql.h"

#define MAX_LISTED 20 /* findings of one kind printed in full */

typedef struct {
	size_t rows, changes, transaction, dml;
	char *first_at, *last_at;
	char **authors;
	size_t nauthors;
	json_t *findings; /* [{kind, object, first_id, rows|error}] */
	size_t nfindings;
} scope;

static void add_author(scope *s, const char *who)
{
	if (!who)
		return;
	for (size_t i = 0; i < s->nauthors; i++)
		if (strcmp(s->authors[i], who) == 0)
			return;
	s->authors = ds_xrealloc(s->authors, (s->nauthors + 1) * sizeof *s->authors);
	s->authors[s->nauthors++] = ds_xstrdup(who);
}

static void add_finding(scope *s, const char *kind, const char *object, long long first_id,
			long long rows, const char *error)
{
	json_t *f = json_pack("{s:s, s:s?, s:I, s:I}", "kind", kind, "object", object, "first_id",
			      (json_int_t)first_id, "rows", (json_int_t)rows);
	if (error)
		json_object_set_new(f, "error", json_string(error));
	json_array_append_new(s->findings, f);
	s->nfindings++;
}

/* Every change, as the converter will group it: scope, and texts that will not parse. */
static int read_changes(PGconn *source, scope *s)
{
	ds_history *h = NULL;
	int rc = ds_history_open(&h, source);
	while (rc == 0) {
		ds_group g;
		int got = ds_history_next(h, &g);
		if (got <= 0) {
			rc = got;
			break;
		}
		s->changes++;
		s->rows += g.nids;
		add_author(s, g.created_by);
		if (g.created_at && (!s->first_at || strcmp(g.created_at, s->first_at) < 0)) {
			free(s->first_at);
			s->first_at = ds_xstrdup(g.created_at);
		}
		if (g.created_at && (!s->last_at || strcmp(g.created_at, s->last_at) > 0)) {
			free(s->last_at);
			s->last_at = ds_xstrdup(g.created_at);
		}
		ds_stmt_list list = {0};
		if (g.sql && ds_stmt_split(&list, g.sql) != 0) {
			add_finding(s, "unparsable", NULL, (long long)g.ids[0], (long long)g.nids,
				    ds_error_last());
		} else {
			for (size_t i = 0; i < list.n; i++) {
				const ds_stmt *st = &list.items[i];
				s->transaction += st->cls == DS_STMT_TRANSACTION;
				s->dml += st->cls == DS_STMT_DML;
				/* Refused statements (refuse.h) are not run; owner
				 * changes are skipped quietly and are no finding. */
				if (st->cls == DS_STMT_REFUSED && st->refused != ds_refuse_owner_change) {
					ds_buf why = DS_BUF_INIT;
					ds_buf_printf(&why, "statement %zu of %zu (line %d) will be"
							    " refused: %s",
						      i + 1, list.n, st->line, st->refused);
					add_finding(s, "refused", NULL, (long long)g.ids[0],
						    (long long)g.nids, ds_buf_cstr(&why));
					ds_buf_free(&why);
				}
			}
		}
		ds_stmt_list_free(&list);
		ds_group_free(&g);
	}
	if (h)
		ds_history_close(h);
	return rc;
}

/* The lossy-history findings of sql/plan/findings.sql. */
static int read_findings(PGconn *source, scope *s)
{
	int has_archive;
	int rc = ds_history_probe(source, &has_archive);
	if (rc)
		return rc;
	char *rows = ds_history_sql(ds_sql_plan_rows, has_archive);
	const char *token = "pggit_v1_rows";
	const char *at = strstr(ds_sql_plan_findings, token);
	ds_buf sql = DS_BUF_INIT;
	ds_buf_put(&sql, ds_sql_plan_findings, (size_t)(at - ds_sql_plan_findings));
	ds_buf_puts(&sql, rows);
	ds_buf_puts(&sql, at + strlen(token));
	free(rows);

	PGresult *res = NULL;
	rc = ds_db_query(source, &res, ds_buf_cstr(&sql), 0, NULL);
	ds_buf_free(&sql);
	if (rc)
		return ds_error_wrap(rc, "looking for lossy history");
	for (int r = 0; r < PQntuples(res); r++)
		add_finding(s, PQgetvalue(res, r, 0),
			    PQgetisnull(res, r, 1) ? NULL : PQgetvalue(res, r, 1),
			    strtoll(PQgetvalue(res, r, 2), NULL, 10),
			    strtoll(PQgetvalue(res, r, 3), NULL, 10), NULL);
	PQclear(res);
	return 0;
}

static const char *explain(const char *kind)
{
	if (strcmp(kind, "missing_field") == 0)
		return "rows without";
	if (strcmp(kind, "never_created") == 0)
		return "altered or dropped, never created (needs --baseline or fails):";
	if (strcmp(kind, "created_again") == 0)
		return "created more than once:";
	if (strcmp(kind, "refused") == 0)
		return "reaches beyond the shadow:";
	return "does not parse, will fail:";
}

static void print_text(FILE *out, const scope *s, const ds_convert_stats *m, size_t measured,
		       double estimate, const char *db)
{
	fprintf(out, "plan: source %s: %zu history rows in %zu changes, %s .. %s, %zu authors\n", db,
		s->rows, s->changes, s->first_at ? s->first_at : "?", s->last_at ? s->last_at : "?",
		s->nauthors);
	fprintf(out, "plan: %zu transaction-control and %zu DML statements will not be executed\n",
		s->transaction, s->dml);
	fprintf(out, "plan: %zu findings\n", s->nfindings + m->failed);
	const char *last_kind = "";
	size_t listed = 0;
	for (size_t i = 0; i < json_array_size(s->findings); i++) {
		json_t *f = json_array_get(s->findings, i);
		const char *kind = json_string_value(json_object_get(f, "kind"));
		const char *object = json_string_value(json_object_get(f, "object"));
		const char *error = json_string_value(json_object_get(f, "error"));
		if (strcmp(kind, last_kind) != 0)
			listed = 0;
		last_kind = kind;
		if (++listed > MAX_LISTED) {
			if (listed == MAX_LISTED + 1)
				fprintf(out, "  %-14s ... (the JSON output lists them all)\n", kind);
			continue;
		}
		fprintf(out, "  %-14s %s %s%s%s, first at history %lld (%lld rows)\n", kind,
			explain(kind), object ? object : "", error ? "history text: " : "",
			error ? error : "",
			(long long)json_integer_value(json_object_get(f, "first_id")),
			(long long)json_integer_value(json_object_get(f, "rows")));
	}
	if (m->failed)
		fprintf(out, "  %-14s %zu of the first %zu changes failed in the trial replay"
			" (errors above)\n", "replay_failed", m->failed, measured);
	fprintf(out,
		"estimate: replayed and captured the first %zu changes in %.2f s, after %.2f s"
		" setting up the shadow\n",
		measured, m->seconds - m->setup_seconds, m->setup_seconds);
	fprintf(out,
		"estimate: %.2f s + %zu changes x %.4f s/change = %.1f s"
		" (without writing to a target; later changes on a bigger schema cost more)\n",
		m->setup_seconds, s->changes,
		measured ? (m->seconds - m->setup_seconds) / (double)measured : 0.0, estimate);
}

int ds_plan_run(const ds_plan_opts *opts, size_t *findings)
{
	PGconn *source = NULL;
	scope s = {.findings = json_array()};
	ds_convert_stats m = {0};
	int rc = ds_db_connect(&source, opts->source, NULL);
	if (rc == 0)
		rc = read_changes(source, &s);
	if (rc == 0)
		rc = read_findings(source, &s);

	/* The estimate: three batches, converted hash-only in a scratch shadow. */
	if (rc == 0) {
		ds_convert_opts c = {
			.source = opts->source,
			.shadow = opts->shadow,
			.batch_size = opts->batch_size,
			.quiet = 1,
			.log = stderr,
			.hash_only = 1,
			.replay_dml = opts->replay_dml,
			.max_changes = 3 * (size_t)opts->batch_size,
		};
		rc = ds_convert_run(&c, &m);
		if (rc)
			ds_error_wrap(rc, "measuring the estimate");
	}
	if (rc == 0) {
		size_t measured = m.groups;
		double per = measured ? (m.seconds - m.setup_seconds) / (double)measured : 0;
		double estimate = m.setup_seconds + per * (double)s.changes;
		if (opts->json) {
			json_t *doc = json_pack(
				"{s:s, s:I, s:I, s:s?, s:s?, s:I, s:I, s:I, s:O, s:{s:I, s:f, s:f, s:f, s:s}}",
				"source", PQdb(source), "rows", (json_int_t)s.rows, "changes",
				(json_int_t)s.changes, "first_at", s.first_at, "last_at", s.last_at,
				"authors", (json_int_t)s.nauthors, "transaction_statements",
				(json_int_t)s.transaction, "dml_statements", (json_int_t)s.dml,
				"findings", s.findings, "estimate", "measured_changes",
				(json_int_t)measured, "setup_seconds", m.setup_seconds,
				"seconds_per_change", per, "estimated_seconds", estimate, "formula",
				"setup_seconds + changes * seconds_per_change");
			json_object_set_new(json_object_get(doc, "estimate"), "failed_changes",
					    json_integer((json_int_t)m.failed));
			json_dumpf(doc, opts->out, JSON_INDENT(2));
			fputc('\n', opts->out);
			json_decref(doc);
		} else {
			print_text(opts->out, &s, &m, measured, estimate, PQdb(source));
		}
		*findings = s.nfindings + m.failed;
	}
	json_decref(s.findings);
	for (size_t i = 0; i < s.nauthors; i++)
		free(s.authors[i]);
	free(s.authors);
	free(s.first_at);
	free(s.last_at);
	if (source)
		PQfinish(source);
	return rc;
}
