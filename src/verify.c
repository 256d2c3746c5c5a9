/* verify.c - the verification pass (see verify.h). */
#include "ddlsnap/verify.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/gitrepo.h"
#include "ddlsnap_sql.h"

#define SHOWN_FINDINGS 20

typedef struct {
	const char *name;
	size_t checked;
	size_t nfindings;
	char *shown[SHOWN_FINDINGS];
	ds_buf summary;
} check;

typedef struct {
	ds_oid oid;
	ds_objtype type;
} typed_oid;

typedef struct {
	ds_oid oid;
	int generation;
	ds_oid *parents; /* as commit_graph lists them */
	size_t nparents;
} commit_gen;

typedef struct {
	const ds_verify_opts *opts;
	PGconn *source, *target;
	ds_gitrepo *repo;
	typed_oid *types; /* every stored object, sorted by oid */
	size_t ntypes;
	check checks[6];
	size_t nchecks;
} verifier;

static check *new_check(verifier *v, const char *name)
{
	check *c = &v->checks[v->nchecks++];
	memset(c, 0, sizeof *c);
	c->name = name;
	return c;
}

static void finding(check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finding(check *c, const char *fmt, ...)
{
	if (c->nfindings < SHOWN_FINDINGS) {
		ds_buf b = DS_BUF_INIT;
		va_list ap;
		char tmp[1024];
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
	return ds_oid_cmp(&((const typed_oid *)a)->oid, &((const typed_oid *)b)->oid);
}

static const typed_oid *lookup(const verifier *v, const ds_oid *oid)
{
	typed_oid key = {*oid, 0};
	return bsearch(&key, v->types, v->ntypes, sizeof key, cmp_typed);
}

static int load_types(verifier *v)
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

typedef struct {
	verifier *v;
	check *trees;
	const char *tree_hex;
	ds_tree_entry prev;
	int has_prev;
	char prev_name[1024];
	size_t n;
} tree_walk;

static int check_entry(const ds_tree_entry *e, void *payload)
{
	tree_walk *w = payload;
	char hex[DS_OID_HEXSZ + 1];
	w->n++;
	ds_oid_fmt(hex, &e->oid);
	if (!*e->name || strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0 ||
	    strcasecmp(e->name, ".git") == 0)
		finding(w->trees, "tree %s: invalid entry name \"%s\"", w->tree_hex, e->name);
	if (w->has_prev) {
		ds_tree_entry prev = w->prev;
		prev.name = w->prev_name;
		int c = ds_tree_entry_cmp(&prev, e);
		if (c == 0 || strcmp(prev.name, e->name) == 0)
			finding(w->trees, "tree %s: duplicate entry \"%s\"", w->tree_hex, e->name);
		else if (c > 0)
			finding(w->trees, "tree %s: entry \"%s\" is out of order", w->tree_hex,
				e->name);
	}
	const typed_oid *t = lookup(w->v, &e->oid);
	ds_objtype want = e->mode == DS_MODE_TREE ? DS_OBJ_TREE : DS_OBJ_BLOB;
	if (!t)
		finding(w->trees, "tree %s: entry \"%s\" points at missing object %s", w->tree_hex,
			e->name, hex);
	else if (t->type != want)
		finding(w->trees, "tree %s: entry \"%s\" should be a %s but %s is a %s",
			w->tree_hex, e->name, ds_objtype_name(want), hex,
			ds_objtype_name(t->type));
	w->prev = *e;
	w->has_prev = 1;
	snprintf(w->prev_name, sizeof w->prev_name, "%s", e->name);
	return 0;
}

/* Look up how many tree_entries rows a tree has (counts sorted by sha). */
static int entry_count(PGresult *counts, const char *hex)
{
	int lo = 0, hi = PQntuples(counts) - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(PQgetvalue(counts, mid, 0), hex);
		if (c == 0)
			return atoi(PQgetvalue(counts, mid, 1));
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

static int check_objects_and_trees(verifier *v)
{
	check *objs = new_check(v, "objects");
	check *trees = new_check(v, "trees");
	check *git = v->repo ? new_check(v, "git") : NULL;
	PGresult *counts = NULL;
	ds_buf gitbody = DS_BUF_INIT;

	/* One snapshot for the counts and the objects: a conversion running
	 * beside verify must not make them disagree. */
	int rc = ds_db_exec(v->target, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc == 0)
		rc = ds_db_query(v->target, &counts, ds_sql_verify_tree_entry_counts, 0, NULL);
	if (rc == 0)
		rc = ds_db_query(v->target, NULL, ds_sql_verify_objects, 0, NULL);
	while (rc == 0) {
		PGresult *res = PQexecParams(v->target, "FETCH 1000 ddlsnap_objects", 0, NULL, NULL,
					     NULL, NULL, 1);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = ds_db_error(v->target, res, "reading pggit_v2.objects");
			PQclear(res);
			break;
		}
		int n = PQntuples(res);
		for (int i = 0; i < n; i++) {
			const char *hex = PQgetvalue(res, i, 0);
			const char *body = PQgetvalue(res, i, 2);
			size_t len = (size_t)PQgetlength(res, i, 2);
			ds_oid stored, actual;
			ds_objtype type;
			char ahex[DS_OID_HEXSZ + 1];

			objs->checked++;
			if (ds_oid_parse(&stored, hex) || ds_objtype_parse(&type, PQgetvalue(res, i, 1))) {
				finding(objs, "object %s: malformed id or type", hex);
				continue;
			}
			ds_oid_hash(&actual, type, body, len);
			ds_oid_fmt(ahex, &actual);
			if (ds_oid_cmp(&stored, &actual) != 0)
				finding(objs, "%s %s: its content hashes to %s", ds_objtype_name(type),
					hex, ahex);
			if (type == DS_OBJ_TREE) {
				tree_walk w = {.v = v, .trees = trees, .tree_hex = hex};
				trees->checked++;
				if (ds_tree_parse(body, len, check_entry, &w) != 0)
					finding(trees, "tree %s: malformed body", hex);
				else if ((int)w.n != entry_count(counts, hex))
					finding(trees, "tree %s: %zu entries, but tree_entries has %d",
						hex, w.n, entry_count(counts, hex));
			}
			if (git) {
				ds_objtype gtype;
				git->checked++;
				int grc = ds_gitrepo_get(v->repo, &stored, &gtype, &gitbody);
				if (grc == DS_ENOTFOUND)
					finding(git, "%s %s is missing from the repository",
						ds_objtype_name(type), hex);
				else if (grc)
					finding(git, "%s %s: %s", ds_objtype_name(type), hex,
						ds_error_last());
				else if (gtype != type || gitbody.len != len ||
					 memcmp(gitbody.ptr, body, len) != 0)
					finding(git, "%s %s differs in the repository",
						ds_objtype_name(type), hex);
			}
		}
		PQclear(res);
		if (n == 0)
			break;
	}
	PQclear(PQexec(v->target, "ROLLBACK"));
	PQclear(counts);
	ds_buf_free(&gitbody);
	ds_buf_printf(&objs->summary, "%zu objects re-hash to their SHA-1", objs->checked);
	ds_buf_printf(&trees->summary,
		      "%zu trees sorted, valid names, entries of the right type, "
		      "tree_entries agrees",
		      trees->checked);
	if (git)
		ds_buf_printf(&git->summary, "%zu objects identical in %s", git->checked,
			      v->opts->git_dir);
	return rc;
}

static int cmp_gen(const void *a, const void *b)
{
	return ds_oid_cmp(&((const commit_gen *)a)->oid, &((const commit_gen *)b)->oid);
}

/* Parse "{a,b}" into oids (malloc'd). */
static size_t parse_parent_array(const char *text, ds_oid **out)
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

static int check_commits_and_refs(verifier *v)
{
	check *commits = new_check(v, "commits");
	check *refs = new_check(v, "refs");
	PGresult *res, *rref;
	int rc = ds_db_query(v->target, &res, ds_sql_verify_commits, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading pggit_v2.commit_graph");
	size_t n = (size_t)PQntuples(res);
	commit_gen *gens = ds_xcalloc(n, sizeof *gens);

	for (size_t i = 0; i < n; i++) {
		ds_oid_parse(&gens[i].oid, PQgetvalue(res, (int)i, 0));
		gens[i].generation = atoi(PQgetvalue(res, (int)i, 3));
		gens[i].nparents = parse_parent_array(PQgetvalue(res, (int)i, 1), &gens[i].parents);
	}
	qsort(gens, n, sizeof *gens, cmp_gen);

	for (size_t i = 0; i < n; i++) {
		int row = (int)i;
		const char *hex = PQgetvalue(res, row, 0);
		ds_oid tree, self;
		ds_commit_info info;
		commits->checked++;
		ds_oid_parse(&self, hex);
		commit_gen skey = {self, 0, NULL, 0};
		const commit_gen *me = bsearch(&skey, gens, n, sizeof skey, cmp_gen);
		ds_oid_parse(&tree, PQgetvalue(res, row, 2));
		if (PQgetisnull(res, row, 4)) {
			finding(commits, "commit %s is in commit_graph but not in objects", hex);
			continue;
		}
		size_t blen;
		unsigned char *body = PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, 4),
						      &blen);
		if (!body || ds_commit_parse(&info, (const char *)body, blen) != 0) {
			finding(commits, "commit %s: malformed commit object", hex);
			PQfreemem(body);
			continue;
		}
		if (ds_oid_cmp(&info.tree, &tree) != 0)
			finding(commits, "commit %s: commit_graph names a different tree", hex);
		if (info.nparents != me->nparents ||
		    (info.nparents &&
		     memcmp(info.parents, me->parents, info.nparents * sizeof(ds_oid)) != 0))
			finding(commits, "commit %s: commit_graph names different parents", hex);
		const typed_oid *t = lookup(v, &tree);
		if (!t || t->type != DS_OBJ_TREE)
			finding(commits, "commit %s: its tree is missing", hex);
		int want = 1;
		for (size_t p = 0; p < info.nparents; p++) {
			char phex[DS_OID_HEXSZ + 1];
			commit_gen key = {info.parents[p], 0, NULL, 0};
			const commit_gen *pg = bsearch(&key, gens, n, sizeof key, cmp_gen);
			ds_oid_fmt(phex, &info.parents[p]);
			if (!pg)
				finding(commits, "commit %s: parent %s is not a stored commit", hex,
					phex);
			else if (pg->generation + 1 > want)
				want = pg->generation + 1;
		}
		if (atoi(PQgetvalue(res, row, 3)) != want)
			finding(commits, "commit %s: generation %s, expected %d", hex,
				PQgetvalue(res, row, 3), want);
		ds_commit_info_free(&info);
		PQfreemem(body);
	}
	ds_buf_printf(&commits->summary,
		      "%zu commits agree with commit_graph (tree, parents, generation)",
		      commits->checked);

	/* refs: main and HEAD, and the whole graph reachable from main */
	rc = ds_db_query(v->target, &rref, ds_sql_verify_refs, 0, NULL);
	if (rc == 0) {
		refs->checked++;
		if (PQntuples(rref) == 0) {
			if (n > 0)
				finding(refs, "refs/heads/main is missing");
			ds_buf_puts(&refs->summary, "no refs/heads/main (empty history)");
		} else {
			const char *hex = PQgetvalue(rref, 0, 1);
			ds_oid head;
			if (PQgetisnull(rref, 0, 2) || strcmp(PQgetvalue(rref, 0, 2), "refs/heads/main"))
				finding(refs, "HEAD does not point at refs/heads/main");
			size_t reached = 0;
			int ok = ds_oid_parse(&head, hex) == 0;
			/* Follow first parents: the converted history is linear. */
			while (ok && reached <= n) {
				commit_gen key = {head, 0, NULL, 0};
				const commit_gen *g = bsearch(&key, gens, n, sizeof key, cmp_gen);
				if (!g) {
					ok = 0;
					break;
				}
				reached++;
				if (g->nparents == 0)
					break;
				head = g->parents[0];
			}
			if (!ok && reached == 0)
				finding(refs, "refs/heads/main points at %s, which is not a commit",
					hex);
			else if (!ok)
				finding(refs, "the chain from refs/heads/main breaks after %zu commits",
					reached);
			else if (reached != n)
				finding(refs, "%zu commits reachable from refs/heads/main, %zu stored",
					reached, n);
			ds_buf_printf(&refs->summary, "refs/heads/main -> %.12s, %zu commits reachable",
				      hex, reached);
			if (v->repo) {
				ds_oid git_head;
				if (ds_gitrepo_get_ref(v->repo, "refs/heads/main", &git_head) != 0)
					finding(refs, "the repository: %s", ds_error_last());
				else if (ds_oid_parse(&head, hex) == 0 &&
					 ds_oid_cmp(&head, &git_head) != 0)
					finding(refs, "refs/heads/main differs in the repository");
			}
		}
		PQclear(rref);
	}
	for (size_t i = 0; i < n; i++)
		free(gens[i].parents);
	free(gens);
	PQclear(res);
	return rc;
}

static int check_coverage(verifier *v)
{
	check *cov = new_check(v, "coverage");
	PGresult *has, *ids, *covered;
	int rc = ds_db_query(v->source, &has, ds_sql_source_tables, 0, NULL);
	if (rc)
		return rc;
	int has_history = PQgetvalue(has, 0, 0)[0] == 't';
	int archive = PQgetvalue(has, 0, 1)[0] == 't';
	PQclear(has);
	if (!has_history)
		return ds_error_setc(DS_ENOTFOUND, "the source database has no pggit.history table");
	rc = ds_db_query(v->source, &ids,
			 archive ? ds_sql_verify_history_ids_with_archive : ds_sql_verify_history_ids,
			 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading the v1 history ids");
	rc = ds_db_query(v->target, &covered, ds_sql_verify_covered_ids, 0, NULL);
	if (rc) {
		PQclear(ids);
		return ds_error_wrap(rc, "reading the covered history ids");
	}
	int ni = PQntuples(ids), nc = PQntuples(covered), i = 0, j = 0;
	while (i < ni || j < nc) {
		long long a = i < ni ? atoll(PQgetvalue(ids, i, 0)) : 0;
		long long b = j < nc ? atoll(PQgetvalue(covered, j, 0)) : 0;
		if (j >= nc || (i < ni && a < b)) {
			finding(cov, "history %lld is covered by no commit and no recorded failure", a);
			i++;
		} else if (i >= ni || b < a) {
			finding(cov, "history %lld is claimed by the store but is not in the v1 history",
				b);
			j++;
		} else {
			cov->checked++;
			j++;
			while (j < nc && atoll(PQgetvalue(covered, j, 0)) == a) {
				finding(cov, "history %lld is covered more than once", a);
				j++;
			}
			i++;
		}
	}
	ds_buf_printf(&cov->summary,
		      "%zu of %d v1 rows covered by exactly one commit or recorded failure",
		      cov->checked, ni);
	PQclear(ids);
	PQclear(covered);
	return 0;
}

static size_t report(verifier *v)
{
	size_t total = 0;
	json_t *root = v->opts->json ? json_object() : NULL;
	json_t *arr = root ? json_array() : NULL;
	FILE *out = v->opts->out;

	for (size_t i = 0; i < v->nchecks; i++) {
		check *c = &v->checks[i];
		total += c->nfindings;
		if (root) {
			json_t *f = json_array();
			for (size_t k = 0; k < c->nfindings && k < SHOWN_FINDINGS; k++)
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
		for (size_t k = 0; k < c->nfindings && k < SHOWN_FINDINGS; k++)
			fprintf(out, "         - %s\n", c->shown[k]);
		if (c->nfindings > SHOWN_FINDINGS)
			fprintf(out, "         ... and %zu more\n", c->nfindings - SHOWN_FINDINGS);
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

int ds_verify_run(const ds_verify_opts *opts, size_t *findings)
{
	verifier v = {.opts = opts};
	int rc = ds_db_connect(&v.source, opts->source, NULL);
	if (rc == 0)
		rc = ds_db_connect(&v.target, opts->target ? opts->target : opts->source, NULL);
	if (rc == 0 && opts->git_dir)
		rc = ds_gitrepo_open(&v.repo, opts->git_dir, 0);
	if (rc == 0)
		rc = load_types(&v);
	if (rc == 0)
		rc = check_objects_and_trees(&v);
	if (rc == 0)
		rc = check_commits_and_refs(&v);
	if (rc == 0)
		rc = check_coverage(&v);
	if (rc == 0)
		*findings = report(&v);

	for (size_t i = 0; i < v.nchecks; i++) {
		for (size_t k = 0; k < v.checks[i].nfindings && k < SHOWN_FINDINGS; k++)
			free(v.checks[i].shown[k]);
		ds_buf_free(&v.checks[i].summary);
	}
	free(v.types);
	ds_gitrepo_free(v.repo);
	if (v.target)
		PQfinish(v.target);
	if (v.source)
		PQfinish(v.source);
	return rc;
}
