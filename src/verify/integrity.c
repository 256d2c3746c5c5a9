/*
 * integrity.c - the store against itself and against the git repository:
 *   objects  every object re-hashes to its SHA-1
 *   trees    sorted, valid and unique names, entries of the right type,
 *            (tree_entries is a view over the bodies: nothing to disagree)
 *   git      (with --git-dir) the same objects, byte for byte
 *   commits  commit bodies agree with commit_graph (tree, parents,
 *            generation), parents exist
 *   refs     refs/heads/main and HEAD point at a commit from which every
 *            commit is reachable, and main agrees with the repository
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "verify/verify_int.h"

typedef struct {
	ds_verifier *v;
	ds_check *trees;
	const char *tree_hex;
	ds_tree_entry prev;
	int has_prev;
	char prev_name[1024];
} tree_walk;

static int check_entry(const ds_tree_entry *e, void *payload)
{
	tree_walk *w = payload;
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, &e->oid);
	if (!*e->name || strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0 ||
	    strcasecmp(e->name, ".git") == 0)
		ds_verify_finding(w->trees, "tree %s: invalid entry name \"%s\"", w->tree_hex,
				  e->name);
	if (w->has_prev) {
		ds_tree_entry prev = w->prev;
		prev.name = w->prev_name;
		int c = ds_tree_entry_cmp(&prev, e);
		if (c == 0 || strcmp(prev.name, e->name) == 0)
			ds_verify_finding(w->trees, "tree %s: duplicate entry \"%s\"", w->tree_hex,
					  e->name);
		else if (c > 0)
			ds_verify_finding(w->trees, "tree %s: entry \"%s\" is out of order",
					  w->tree_hex, e->name);
	}
	const ds_typed_oid *t = ds_verify_object(w->v, &e->oid);
	ds_objtype want = e->mode == DS_MODE_TREE ? DS_OBJ_TREE : DS_OBJ_BLOB;
	if (!t)
		ds_verify_finding(w->trees, "tree %s: entry \"%s\" points at missing object %s",
				  w->tree_hex, e->name, hex);
	else if (t->type != want)
		ds_verify_finding(w->trees, "tree %s: entry \"%s\" should be a %s but %s is a %s",
				  w->tree_hex, e->name, ds_objtype_name(want), hex,
				  ds_objtype_name(t->type));
	w->prev = *e;
	w->has_prev = 1;
	snprintf(w->prev_name, sizeof w->prev_name, "%s", e->name);
	return 0;
}

static void check_git_copy(ds_verifier *v, ds_check *git, ds_buf *gitbody, const ds_oid *oid,
			   ds_objtype type, const char *body, size_t len)
{
	char hex[DS_OID_HEXSZ + 1];
	ds_objtype gtype;
	ds_oid_fmt(hex, oid);
	git->checked++;
	int rc = ds_gitrepo_get(v->repo, oid, &gtype, gitbody);
	if (rc == DS_ENOTFOUND)
		ds_verify_finding(git, "%s %s is missing from the repository", ds_objtype_name(type),
				  hex);
	else if (rc)
		ds_verify_finding(git, "%s %s: %s", ds_objtype_name(type), hex, ds_error_last());
	else if (gtype != type || gitbody->len != len || memcmp(gitbody->ptr, body, len) != 0)
		ds_verify_finding(git, "%s %s differs in the repository", ds_objtype_name(type), hex);
}

static void check_object(ds_verifier *v, ds_check *objs, ds_check *trees, ds_check *git,
			 ds_buf *gitbody, PGresult *res, int i)
{
	const char *hex = PQgetvalue(res, i, 0);
	const char *body = PQgetvalue(res, i, 2);
	size_t len = (size_t)PQgetlength(res, i, 2);
	ds_oid stored, actual;
	ds_objtype type;
	char ahex[DS_OID_HEXSZ + 1];

	objs->checked++;
	if (ds_oid_parse(&stored, hex) || ds_objtype_parse(&type, PQgetvalue(res, i, 1))) {
		ds_verify_finding(objs, "object %s: malformed id or type", hex);
		return;
	}
	ds_oid_hash(&actual, type, body, len);
	ds_oid_fmt(ahex, &actual);
	if (ds_oid_cmp(&stored, &actual) != 0)
		ds_verify_finding(objs, "%s %s: its content hashes to %s", ds_objtype_name(type),
				  hex, ahex);
	if (type == DS_OBJ_TREE) {
		tree_walk w = {.v = v, .trees = trees, .tree_hex = hex};
		trees->checked++;
		if (ds_tree_parse(body, len, check_entry, &w) != 0)
			ds_verify_finding(trees, "tree %s: malformed body", hex);
	}
	if (git)
		check_git_copy(v, git, gitbody, &stored, type, body, len);
}

/* Objects read from git between two drops of libgit2's pack caches: on 30,000 changes of
 * the large benchmark verify peaked at 303 MB of RSS without drops, 127 MB dropping every
 * 1,000 objects, 72 MB every 100 (in the same time) and 63 MB every 25 (10% slower). */
#define DROP_EVERY 100

static int check_objects(ds_verifier *v)
{
	ds_check *objs = ds_verify_new_check(v, "objects");
	ds_check *trees = ds_verify_new_check(v, "trees");
	ds_check *git = v->repo ? ds_verify_new_check(v, "git") : NULL;
	ds_buf gitbody = DS_BUF_INIT;
	size_t since_drop = 0;

	int rc = ds_db_query(v->target, NULL, ds_sql_verify_objects, 0, NULL);
	while (rc == 0) {
		/* binary results: tree bodies hold raw SHA bytes */
		PGresult *res = PQexecParams(v->target, "FETCH 1000 ddlsnap_objects", 0, NULL, NULL,
					     NULL, NULL, 1);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = ds_db_error(v->target, res, "reading pggit_v2.objects");
			PQclear(res);
			break;
		}
		int n = PQntuples(res);
		for (int i = 0; i < n && rc == 0; i++) {
			check_object(v, objs, trees, git, &gitbody, res, i);
			/* Objects come in SHA order, from every pack, and each pack
			 * keeps the delta bases it inflated (a root tree's chain is
			 * up to 50 deep): without this, memory per batch converted. */
			if (git && ++since_drop == DROP_EVERY) {
				rc = ds_gitrepo_drop_caches(v->repo);
				since_drop = 0;
			}
		}
		PQclear(res);
		if (n == 0)
			break;
	}
	if (rc == 0)
		rc = ds_db_exec(v->target, "CLOSE ddlsnap_objects");
	ds_buf_free(&gitbody);
	ds_buf_printf(&objs->summary, "%zu objects re-hash to their SHA-1", objs->checked);
	ds_buf_printf(&trees->summary,
		      "%zu trees sorted, valid names, entries of the right type",
		      trees->checked);
	if (git)
		ds_buf_printf(&git->summary, "%zu objects identical in %s", git->checked,
			      v->opts->git_dir);
	return rc;
}

static void check_commit(ds_verifier *v, ds_check *commits, const ds_vcommit *c)
{
	char hex[DS_OID_HEXSZ + 1];
	ds_commit_info info;
	ds_oid_fmt(hex, &c->oid);
	commits->checked++;
	if (!c->body) {
		ds_verify_finding(commits, "commit %s is in commit_graph but not in objects", hex);
		return;
	}
	if (ds_commit_parse(&info, c->body, c->body_len) != 0) {
		ds_verify_finding(commits, "commit %s: malformed commit object", hex);
		return;
	}
	if (ds_oid_cmp(&info.tree, &c->tree) != 0)
		ds_verify_finding(commits, "commit %s: commit_graph names a different tree", hex);
	if (info.nparents != c->nparents ||
	    (info.nparents && memcmp(info.parents, c->parents, info.nparents * sizeof(ds_oid)) != 0))
		ds_verify_finding(commits, "commit %s: commit_graph names different parents", hex);
	const ds_typed_oid *t = ds_verify_object(v, &c->tree);
	if (!t || t->type != DS_OBJ_TREE)
		ds_verify_finding(commits, "commit %s: its tree is missing", hex);
	int want = 1;
	for (size_t p = 0; p < info.nparents; p++) {
		char phex[DS_OID_HEXSZ + 1];
		const ds_vcommit *parent = ds_verify_commit(v, &info.parents[p]);
		ds_oid_fmt(phex, &info.parents[p]);
		if (!parent)
			ds_verify_finding(commits, "commit %s: parent %s is not a stored commit", hex,
					  phex);
		else if (parent->generation + 1 > want)
			want = parent->generation + 1;
	}
	if (c->generation != want)
		ds_verify_finding(commits, "commit %s: generation %d, expected %d", hex,
				  c->generation, want);
	ds_commit_info_free(&info);
}

static int check_refs(ds_verifier *v)
{
	ds_check *refs = ds_verify_new_check(v, "refs");
	PGresult *res;
	int rc = ds_db_query(v->target, &res, ds_sql_verify_refs, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading pggit_v2.refs");
	refs->checked++;
	if (!v->has_main) {
		if (v->ncommits > 0)
			ds_verify_finding(refs, "refs/heads/main is missing");
		ds_buf_puts(&refs->summary, "no refs/heads/main (empty history)");
		PQclear(res);
		return 0;
	}
	char hex[DS_OID_HEXSZ + 1];
	ds_oid_fmt(hex, &v->main);
	if (PQgetisnull(res, 0, 2) || strcmp(PQgetvalue(res, 0, 2), DS_MAIN_REF) != 0)
		ds_verify_finding(refs, "HEAD does not point at refs/heads/main");
	PQclear(res);
	if (!ds_verify_commit(v, &v->main))
		ds_verify_finding(refs, "refs/heads/main points at %s, which is not a commit", hex);
	else if (v->nchain == 0)
		ds_verify_finding(refs, "the chain of parents from refs/heads/main is broken");
	else if (v->nchain != v->ncommits)
		ds_verify_finding(refs, "%zu commits reachable from refs/heads/main, %zu stored",
				  v->nchain, v->ncommits);
	ds_buf_printf(&refs->summary, "refs/heads/main -> %.12s, %zu commits reachable", hex,
		      v->nchain);
	if (v->repo) {
		ds_oid git_head;
		if (ds_gitrepo_get_ref(v->repo, DS_MAIN_REF, &git_head) != 0)
			ds_verify_finding(refs, "the repository: %s", ds_error_last());
		else if (ds_oid_cmp(&v->main, &git_head) != 0)
			ds_verify_finding(refs, "refs/heads/main differs in the repository");
	}
	return 0;
}

int ds_verify_integrity(ds_verifier *v)
{
	int rc = check_objects(v);
	if (rc)
		return rc;
	ds_check *commits = ds_verify_new_check(v, "commits");
	for (size_t i = 0; i < v->ncommits; i++)
		check_commit(v, commits, &v->commits[i]);
	ds_buf_printf(&commits->summary,
		      "%zu commits agree with commit_graph (tree, parents, generation)",
		      commits->checked);
	return check_refs(v);
}
