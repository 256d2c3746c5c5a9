/*
 * verify.c - the verification pass (see verify.h): loads what every check
 * needs once, runs the checks in order, and writes the report.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/history.h"
#include "ddlsnap/store.h"
#include "ddlsnap_sql.h"
#include "verify/verify_int.h"

ds_check *ds_verify_new_check(ds_verifier *v, const char *name)
{
	ds_check *c = &v->checks[v->nchecks++];
	memset(c, 0, sizeof *c);
	c->name = name;
	return c;
}

void ds_verify_finding(ds_check *c, const char *fmt, ...)
{
	if (c->nfindings < DS_VERIFY_SHOWN) {
		ds_buf b = DS_BUF_INIT;
		char tmp[1024];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		va_end(ap);
		ds_buf_puts(&b, tmp);
		c->shown[c->nfindings] = ds_buf_detach(&b);
	}
	c->nfindings++;
}

static int cmp_typed(const void *a, const void *b)
{
	return ds_oid_cmp(&((const ds_typed_oid *)a)->oid, &((const ds_typed_oid *)b)->oid);
}

const ds_typed_oid *ds_verify_object(const ds_verifier *v, const ds_oid *oid)
{
	ds_typed_oid key = {*oid, 0};
	return bsearch(&key, v->types, v->ntypes, sizeof key, cmp_typed);
}

static int cmp_commit(const void *a, const void *b)
{
	return ds_oid_cmp(&((const ds_vcommit *)a)->oid, &((const ds_vcommit *)b)->oid);
}

const ds_vcommit *ds_verify_commit(const ds_verifier *v, const ds_oid *oid)
{
	ds_vcommit key = {.oid = *oid};
	return bsearch(&key, v->commits, v->ncommits, sizeof key, cmp_commit);
}

static int load_types(ds_verifier *v)
{
	PGresult *res;
	int rc = ds_db_query(v->target, &res, ds_sql_verify_object_types, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading pggit_v2.objects");
	v->ntypes = (size_t)PQntuples(res);
	v->types = ds_xcalloc(v->ntypes, sizeof *v->types);
	for (size_t i = 0; i < v->ntypes; i++) {
		ds_oid_parse(&v->types[i].oid, PQgetvalue(res, (int)i, 0));
		ds_objtype_parse(&v->types[i].type, PQgetvalue(res, (int)i, 1));
	}
	PQclear(res);
	qsort(v->types, v->ntypes, sizeof *v->types, cmp_typed);
	return 0;
}

/* Parse "{a,b}" of SHAs into oids (malloc'd); a malformed one becomes all-ones. */
static size_t parse_sha_array(const char *text, ds_oid **out)
{
	size_t n = 0;
	*out = NULL;
	for (const char *p = text; *p;) {
		p += strspn(p, "{},\"");
		if (!*p)
			break;
		size_t len = strcspn(p, "{},\"");
		char hex[DS_OID_HEXSZ + 1] = {0};
		if (len == DS_OID_HEXSZ)
			memcpy(hex, p, len);
		*out = ds_xrealloc(*out, (n + 1) * sizeof **out);
		if (ds_oid_parse(&(*out)[n], hex))
			memset(&(*out)[n], 0xff, sizeof **out);
		n++;
		p += len;
	}
	return n;
}

static size_t parse_id_array(const char *text, int64_t **out)
{
	size_t n = 0;
	*out = NULL;
	for (const char *p = text; *p;) {
		p += strspn(p, "{},");
		if (!*p)
			break;
		*out = ds_xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = strtoll(p, NULL, 10);
		p += strcspn(p, "{},");
	}
	return n;
}

static int load_commits(ds_verifier *v)
{
	PGresult *res;
	int rc = ds_db_query(v->target, &res, ds_sql_verify_commits, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading pggit_v2.commit_graph");
	v->ncommits = (size_t)PQntuples(res);
	v->commits = ds_xcalloc(v->ncommits, sizeof *v->commits);
	for (size_t i = 0; i < v->ncommits; i++) {
		int row = (int)i;
		ds_vcommit *c = &v->commits[i];
		ds_oid_parse(&c->oid, PQgetvalue(res, row, 0));
		c->nparents = parse_sha_array(PQgetvalue(res, row, 1), &c->parents);
		ds_oid_parse(&c->tree, PQgetvalue(res, row, 2));
		c->generation = atoi(PQgetvalue(res, row, 3));
		c->nhistory_ids = parse_id_array(PQgetvalue(res, row, 4), &c->history_ids);
		if (!PQgetisnull(res, row, 5)) {
			size_t len;
			unsigned char *body =
				PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, 5), &len);
			if (body) {
				c->body = ds_xstrndup((const char *)body, len);
				c->body_len = len;
				PQfreemem(body);
			}
		}
	}
	PQclear(res);
	qsort(v->commits, v->ncommits, sizeof *v->commits, cmp_commit);

	/* The chain from main back to the root, reversed; a loop or a missing
	 * commit leaves it empty (the refs check names the break). */
	rc = ds_db_query(v->target, &res, ds_sql_verify_refs, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading pggit_v2.refs");
	v->has_main = PQntuples(res) > 0 && ds_oid_parse(&v->main, PQgetvalue(res, 0, 1)) == 0;
	PQclear(res);
	if (!v->has_main)
		return 0;
	v->chain = ds_xcalloc(v->ncommits + 1, sizeof *v->chain);
	ds_oid at = v->main;
	for (;;) {
		const ds_vcommit *c = ds_verify_commit(v, &at);
		if (!c || v->nchain == v->ncommits) {
			v->nchain = 0;
			break;
		}
		v->chain[v->nchain++] = (size_t)(c - v->commits);
		if (c->nparents == 0)
			break;
		at = c->parents[0];
	}
	for (size_t i = 0; i < v->nchain / 2; i++) {
		size_t t = v->chain[i];
		v->chain[i] = v->chain[v->nchain - 1 - i];
		v->chain[v->nchain - 1 - i] = t;
	}
	return 0;
}

static size_t report(ds_verifier *v)
{
	size_t total = 0;
	json_t *root = v->opts->json ? json_object() : NULL;
	json_t *arr = root ? json_array() : NULL;
	FILE *out = v->opts->out;

	if (!root)
		fprintf(out, "verify: v1 history in %s, v2 store in %s%s%s\n", PQdb(v->source),
			PQdb(v->target), v->opts->git_dir ? ", repository " : "",
			v->opts->git_dir ? v->opts->git_dir : "");

	for (size_t i = 0; i < v->nchecks; i++) {
		ds_check *c = &v->checks[i];
		total += c->nfindings;
		if (root) {
			json_t *f = json_array();
			for (size_t k = 0; k < c->nfindings && k < DS_VERIFY_SHOWN; k++)
				json_array_append_new(f, json_string(c->shown[k]));
			json_array_append_new(
				arr, json_pack("{s:s, s:s, s:I, s:I, s:s, s:o}", "name", c->name,
					       "status", c->nfindings ? "FAILED" : "PASSED",
					       "checked", (json_int_t)c->checked, "findings",
					       (json_int_t)c->nfindings, "summary",
					       ds_buf_cstr(&c->summary), "shown", f));
			continue;
		}
		fprintf(out, "  %-6s %-9s %s\n", c->nfindings ? "FAIL" : "ok", c->name,
			ds_buf_cstr(&c->summary));
		for (size_t k = 0; k < c->nfindings && k < DS_VERIFY_SHOWN; k++)
			fprintf(out, "         - %s\n", c->shown[k]);
		if (c->nfindings > DS_VERIFY_SHOWN)
			fprintf(out, "         ... and %zu more\n", c->nfindings - DS_VERIFY_SHOWN);
	}
	if (root) {
		json_object_set_new(root, "passed", json_boolean(total == 0));
		json_object_set_new(root, "findings", json_integer((json_int_t)total));
		json_object_set_new(root, "checks", arr);
		json_dumpf(root, out, JSON_INDENT(2));
		fputc('\n', out);
		json_decref(root);
	} else {
		fprintf(out, "verify: %s (%zu finding%s)\n", total ? "FAILED" : "passed", total,
			total == 1 ? "" : "s");
	}
	return total;
}

/*
 * Leave the verdict in the append-only compliance log, and on a pass mark
 * the audit rows verified. One transaction: the marks and their log rows
 * land together or not at all.
 */
static int log_verdict(ds_verifier *v, size_t findings)
{
	ds_buf notes = DS_BUF_INIT;
	ds_buf_printf(&notes, "ddlsnap %s verify: %zu finding%s;", DDLSNAP_VERSION, findings,
		      findings == 1 ? "" : "s");
	for (size_t i = 0; i < v->nchecks; i++)
		ds_buf_printf(&notes, " %s %s (%zu checked, %zu found)", v->checks[i].name,
			      v->checks[i].nfindings ? "FAILED" : "passed", v->checks[i].checked,
			      v->checks[i].nfindings);
	const char *status = findings ? "FAILED" : "PASSED";
	const char *run[] = {status, notes.ptr};
	const char *mark[] = {notes.ptr};

	int rc = ds_db_exec(v->target, "BEGIN");
	if (rc == 0)
		rc = ds_db_query(v->target, NULL, ds_sql_verify_log_run, 2, run);
	if (rc == 0 && !findings)
		rc = ds_db_query(v->target, NULL, ds_sql_verify_mark_verified, 1, mark);
	if (rc == 0)
		rc = ds_db_exec(v->target, "COMMIT");
	else
		PQclear(PQexec(v->target, "ROLLBACK"));
	ds_buf_free(&notes);
	return rc ? ds_error_wrap(rc, "writing pggit_audit.compliance_log") : 0;
}

/* verify needs a store to verify; installing it brings older stores up to date. */
static int open_store(ds_verifier *v)
{
	PGresult *res;
	int rc = ds_db_query(v->target, &res, ds_sql_verify_store_exists, 0, NULL);
	if (rc)
		return rc;
	int exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!exists)
		return ds_error_setc(DS_ENOTFOUND,
				     "database %s holds no converted history (no pggit_v2 store); "
				     "run ddlsnap convert first",
				     PQdb(v->target));
	ds_store *store = NULL;
	rc = ds_store_open(&store, v->target);
	ds_store_free(store);
	return rc;
}

static void verifier_free(ds_verifier *v)
{
	for (size_t i = 0; i < v->nchecks; i++) {
		for (size_t k = 0; k < v->checks[i].nfindings && k < DS_VERIFY_SHOWN; k++)
			free(v->checks[i].shown[k]);
		ds_buf_free(&v->checks[i].summary);
	}
	for (size_t i = 0; i < v->ncommits; i++) {
		free(v->commits[i].parents);
		free(v->commits[i].history_ids);
		free(v->commits[i].body);
	}
	free(v->commits);
	for (size_t i = 0; i < v->nslots; i++)
		free(v->trees[i].body);
	free(v->trees);
	free(v->chain);
	free(v->types);
	ds_gitrepo_free(v->repo);
	if (v->target)
		PQfinish(v->target);
	if (v->source)
		PQfinish(v->source);
}

static int (*const checks[])(ds_verifier *) = {
	ds_verify_integrity,
	ds_verify_coverage,
	ds_verify_meaning,
	ds_verify_audit,
	ds_verify_drift,
	ds_verify_replay,
};

int ds_verify_run(const ds_verify_opts *opts, size_t *findings)
{
	ds_verifier v = {.opts = opts};
	int rc = ds_db_connect(&v.source, opts->source, NULL);
	if (rc == 0)
		rc = ds_db_connect(&v.target, opts->target ? opts->target : opts->source, NULL);
	if (rc == 0)
		rc = ds_history_probe(v.source, &v.has_archive);
	if (rc == 0)
		rc = open_store(&v);
	if (rc == 0 && opts->git_dir)
		rc = ds_gitrepo_open(&v.repo, opts->git_dir, 0);
	/* One snapshot of the store for every check: a conversion running
	 * beside verify must not make two reads disagree. */
	if (rc == 0)
		rc = ds_db_exec(v.target, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc == 0)
		rc = load_types(&v);
	if (rc == 0)
		rc = load_commits(&v);
	for (size_t i = 0; rc == 0 && i < sizeof checks / sizeof checks[0]; i++)
		rc = checks[i](&v);
	if (v.target)
		PQclear(PQexec(v.target, "ROLLBACK"));
	if (rc == 0)
		*findings = report(&v);
	if (rc == 0)
		rc = log_verdict(&v, *findings);
	verifier_free(&v);
	return rc;
}
