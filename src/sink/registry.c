/* registry.c - the record of conversion runs (see registry.h). */
#include "ddlsnap/registry.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

int ds_registry_lock(PGconn *target)
{
	PGresult *res = NULL;
	int rc = ds_db_query(target, &res, ds_sql_registry_lock, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "taking the conversion lock");
	int locked = PQgetvalue(res, 0, 0)[0] == 't';
	char holder[32] = "another session";
	if (!locked && !PQgetisnull(res, 0, 1))
		snprintf(holder, sizeof holder, "backend pid %s", PQgetvalue(res, 0, 1));
	PQclear(res);
	if (!locked)
		return ds_error_setc(DS_EINVALID,
				     "another conversion (%s) is writing to the target database %s;"
				     " wait for it, or see it with ddlsnap status",
				     holder, PQdb(target));
	return 0;
}

int ds_registry_start(PGconn *target, int64_t rows_expected, int batch_size,
		      const char *arguments, int64_t *run_id)
{
	char expected[24], batch[16];
	snprintf(expected, sizeof expected, "%lld", (long long)rows_expected);
	snprintf(batch, sizeof batch, "%d", batch_size);
	const char *params[] = { expected, batch, DDLSNAP_VERSION, arguments };
	PGresult *res = NULL;
	int rc = ds_db_exec(target, ds_sql_registry_abandon);
	if (rc == 0)
		rc = ds_db_query(target, &res, ds_sql_registry_start, 4, params);
	if (rc)
		return ds_error_wrap(rc, "registering the run");
	*run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

int ds_registry_update(PGconn *target, int64_t run_id, const ds_run_state *st)
{
	char v[8][24];
	int64_t nums[8] = { run_id,	 st->rows_processed, st->changes_processed, st->rows_resumed,
			    st->last_history_id, st->commits,	     st->failed,	    st->warnings };
	for (int i = 0; i < 8; i++)
		snprintf(v[i], sizeof v[i], "%lld", (long long)nums[i]);
	const char *params[] = { v[0], st->status, v[1], v[2], v[3],
				 st->last_history_id ? v[4] : NULL,
				 v[5], v[6], v[7], st->head, st->error };
	int rc = ds_db_query(target, NULL, ds_sql_registry_progress, 11, params);
	return rc ? ds_error_wrap(rc, "recording the run's progress") : 0;
}

/* Columns of sql/registry/status.sql, in order, and whether they are numbers. */
static const struct {
	const char *name;
	int number;
} status_columns[] = {
	{ "run_id", 1 },	    { "status", 0 },	       { "started_at", 0 },
	{ "finished_at", 0 },	    { "rows_processed", 1 },   { "rows_expected", 1 },
	{ "percent_complete", 1 },  { "elapsed", 0 },	       { "estimated_time_left", 0 },
	{ "changes_processed", 1 }, { "rows_resumed", 1 },     { "last_history_id", 1 },
	{ "commits", 1 },	    { "failed_changes", 1 },   { "warnings", 1 },
	{ "batch_size", 1 },	    { "head_sha", 0 },	       { "tool_version", 0 },
	{ "arguments", 0 },	    { "error", 0 },
};
#define NSTATUS (sizeof status_columns / sizeof status_columns[0])

static void print_text(FILE *out, const PGresult *res)
{
	if (PQntuples(res) == 0)
		fputs("no conversion has run against this target\n", out);
	for (int r = 0; r < PQntuples(res); r++) {
		if (r)
			fputc('\n', out);
		for (size_t c = 0; c < NSTATUS; c++) {
			if (PQgetisnull(res, r, (int)c))
				continue;
			fprintf(out, "%-20s %s%s\n", status_columns[c].name,
				PQgetvalue(res, r, (int)c),
				strcmp(status_columns[c].name, "percent_complete") == 0 ? " %" : "");
		}
	}
}

static void print_json(FILE *out, const PGresult *res)
{
	json_t *runs = json_array();
	for (int r = 0; r < PQntuples(res); r++) {
		json_t *run = json_object();
		for (size_t c = 0; c < NSTATUS; c++) {
			const char *v = PQgetvalue(res, r, (int)c);
			json_t *val = PQgetisnull(res, r, (int)c) ? json_null() :
				      !status_columns[c].number ? json_string(v) :
				      strchr(v, '.')		  ? json_real(strtod(v, NULL)) :
								    json_integer(strtoll(v, NULL, 10));
			json_object_set_new(run, status_columns[c].name, val);
		}
		json_array_append_new(runs, run);
	}
	json_dumpf(runs, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(runs);
}

int ds_registry_print(PGconn *target, FILE *out, int json, int limit)
{
	PGresult *res = NULL;
	int rc = ds_db_query(target, &res, ds_sql_registry_exists, 0, NULL);
	if (rc)
		return rc;
	int exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!exists)
		return ds_error_setc(DS_ENOTFOUND, "the database %s holds no v2 store (no conversion ran)",
				     PQdb(target));
	char n[16];
	snprintf(n, sizeof n, "%d", limit);
	const char *params[] = { n };
	rc = ds_db_query(target, &res, ds_sql_registry_status, 1, params);
	if (rc)
		return ds_error_wrap(rc, "reading the registry");
	if (PQnfields(res) != (int)NSTATUS) {
		PQclear(res);
		return ds_error_set("status.sql and registry.c disagree on the columns");
	}
	if (json)
		print_json(out, res);
	else
		print_text(out, res);
	PQclear(res);
	return 0;
}
