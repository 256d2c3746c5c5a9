/*
 * sink_replay.c - what the sinks cost, without replay or capture: the
 * objects, commits and audit rows of a converted history, read back from a
 * v2 store, are written again through the sink API into an empty target and
 * a new git repository, in the order and batches a conversion writes them
 * (per commit: its new objects children first, the commit, its audit rows;
 * every BATCH commits: git flush, store ref and COMMIT, git ref).
 *
 *   usage: sink_replay SOURCE_CONNINFO TARGET_CONNINFO GIT_DIR [BATCH]
 *   prints: wall, store and git seconds, and what was written
 *
 * Build (by hand; see docs/benchmarks.md, "sinks"):
 *   cc -O2 -Iinclude -Ibuild-rel/generated -I/usr/include/postgresql bench/sink_replay.c \
 *      build-rel/libddlsnap.a -lpq -lgit2 -ljansson -lcrypto -lpg_query -o build-rel/sink_replay
 * -DNO_GIT_FLUSH builds it against a library without ds_gitrepo_flush.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/gitrepo.h"
#include "ddlsnap/oidset.h"
#include "ddlsnap/progress.h"
#include "ddlsnap/store.h"

typedef struct {
	ds_oid oid;
	ds_objtype type;
	char *body;
	size_t len;
} object;

typedef struct {
	object *objects;
	size_t nobjects;
	PGresult *commits, *changes;
	ds_store *store;
	ds_gitrepo *repo;
	ds_oidset written;
	size_t nwritten, nentries;
} bench;

static void die(const char *what)
{
	fprintf(stderr, "sink_replay: %s: %s\n", what, ds_error_last());
	exit(1);
}

static int by_oid(const void *a, const void *b)
{
	return ds_oid_cmp(&((const object *)a)->oid, &((const object *)b)->oid);
}

static const object *find(const bench *b, const ds_oid *oid)
{
	object key = {.oid = *oid};
	return bsearch(&key, b->objects, b->nobjects, sizeof key, by_oid);
}

static PGresult *query(PGconn *conn, const char *sql)
{
	PGresult *res = NULL;
	if (ds_db_query(conn, &res, sql, 0, NULL) != 0)
		die(sql);
	return res;
}

static void load(bench *b, PGconn *src)
{
	PGresult *res = query(src, "SELECT sha, type, content FROM pggit_v2.objects");
	b->nobjects = (size_t)PQntuples(res);
	b->objects = ds_xcalloc(b->nobjects, sizeof *b->objects);
	for (size_t i = 0; i < b->nobjects; i++) {
		object *o = &b->objects[i];
		if (ds_oid_parse(&o->oid, PQgetvalue(res, (int)i, 0)) != 0 ||
		    ds_objtype_parse(&o->type, PQgetvalue(res, (int)i, 1)) != 0)
			die("an object of the source");
		unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, (int)i, 2),
						     &o->len);
		o->body = ds_xmalloc(o->len + 1);
		memcpy(o->body, raw, o->len);
		PQfreemem(raw);
	}
	PQclear(res);
	qsort(b->objects, b->nobjects, sizeof *b->objects, by_oid);
	b->commits = query(src, "SELECT commit_sha, tree_sha, parent_shas, generation, author,"
				" extract(epoch FROM committed_at)::bigint, message, history_ids"
				" FROM pggit_v2.commit_graph ORDER BY generation");
	b->changes = query(src, "SELECT c.commit_sha, c.object_schema, c.object_name,"
				" c.object_type, c.object_path, c.change_type, c.old_definition,"
				" c.new_definition FROM pggit_audit.changes AS c"
				" JOIN pggit_v2.commit_graph AS g USING (commit_sha)"
				" ORDER BY g.generation, c.object_path");
}

typedef struct {
	ds_tree_entry *e;
	size_t n, cap;
} entries;

static int collect(const ds_tree_entry *entry, void *payload)
{
	entries *es = payload;
	if (es->n == es->cap) {
		es->cap = es->cap ? es->cap * 2 : 64;
		es->e = ds_xrealloc(es->e, es->cap * sizeof *es->e);
	}
	es->e[es->n++] = *entry;
	return 0;
}

static void put(bench *b, const object *o, const ds_tree_entry *e, size_t n)
{
	if (ds_gitrepo_put(b->repo, o->type, &o->oid, o->body, o->len) != 0 ||
	    ds_store_put_object(b->store, o->type, &o->oid, o->body, o->len) != 0)
		die("writing an object");
	b->nwritten++;
	b->nentries += n;
}

/* An object and, for a tree, what it holds, children first, each once. */
static void emit(bench *b, const ds_oid *oid)
{
	if (!ds_oidset_add(&b->written, oid))
		return;
	const object *o = find(b, oid);
	if (!o)
		die("an object missing from the source");
	entries es = {0};
	if (o->type == DS_OBJ_TREE) {
		if (ds_tree_parse(o->body, o->len, collect, &es) != 0)
			die("a tree");
		for (size_t i = 0; i < es.n; i++)
			emit(b, &es.e[i].oid);
	}
	put(b, o, es.e, es.n);
	free(es.e);
}

static size_t parse_array(const char *lit, char ***out)
{
	size_t n = 0;
	char *copy = ds_xstrdup(lit), *save = NULL;
	*out = NULL;
	for (char *t = strtok_r(copy, "{},\"", &save); t; t = strtok_r(NULL, "{},\"", &save)) {
		*out = ds_xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = ds_xstrdup(t);
	}
	free(copy);
	return n;
}

static void commit_one(bench *b, int i, int *change)
{
	PGresult *c = b->commits;
	ds_oid commit, tree;
	ds_oid_parse(&commit, PQgetvalue(c, i, 0));
	ds_oid_parse(&tree, PQgetvalue(c, i, 1));
	emit(b, &tree);
	emit(b, &commit);

	char **parents_hex, **ids_text;
	size_t np = parse_array(PQgetvalue(c, i, 2), &parents_hex);
	size_t nids = parse_array(PQgetvalue(c, i, 7), &ids_text);
	ds_oid *parents = ds_xcalloc(np + 1, sizeof *parents);
	int64_t *ids = ds_xcalloc(nids + 1, sizeof *ids);
	for (size_t k = 0; k < np; k++)
		ds_oid_parse(&parents[k], parents_hex[k]);
	for (size_t k = 0; k < nids; k++)
		ids[k] = strtoll(ids_text[k], NULL, 10);
	ds_commit_row row = {.commit = commit, .tree = tree, .parents = parents, .nparents = np,
			     .generation = atoi(PQgetvalue(c, i, 3)), .author = PQgetvalue(c, i, 4),
			     .when = strtoll(PQgetvalue(c, i, 5), NULL, 10),
			     .message = PQgetvalue(c, i, 6), .history_ids = ids, .nhistory_ids = nids};
	if (ds_store_put_commit(b->store, &row) != 0)
		die("writing a commit");

	/* Its audit rows (sorted as the commits are: the next ones, as a rule). */
	PGresult *ch = b->changes;
	const char *hex = PQgetvalue(c, i, 0);
	for (int k = 0; k < PQntuples(ch); k++) {
		int r = (*change + k) % PQntuples(ch);
		if (strcmp(PQgetvalue(ch, r, 0), hex) != 0)
			continue;
		while (r < PQntuples(ch) && strcmp(PQgetvalue(ch, r, 0), hex) == 0) {
			const char *type = PQgetvalue(ch, r, 5);
			ds_snap_entry e = {
				.path = PQgetvalue(ch, r, 4),
				.obj = {.schema = PQgetisnull(ch, r, 1) ? NULL : PQgetvalue(ch, r, 1),
					.name = PQgetvalue(ch, r, 2),
					.kind = PQgetvalue(ch, r, 3)}};
			ds_snap_entry old = e, new_ = e;
			old.obj.ddl = PQgetisnull(ch, r, 6) ? NULL : PQgetvalue(ch, r, 6);
			new_.obj.ddl = PQgetisnull(ch, r, 7) ? NULL : PQgetvalue(ch, r, 7);
			if (ds_store_put_change(b->store, &row, strcmp(type, "CREATE") ? &old : NULL,
						strcmp(type, "DROP") ? &new_ : NULL) != 0)
				die("writing an audit row");
			r++;
		}
		*change = r;
		break;
	}
	for (size_t k = 0; k < np; k++)
		free(parents_hex[k]);
	for (size_t k = 0; k < nids; k++)
		free(ids_text[k]);
	free(parents_hex);
	free(ids_text);
	free(parents);
	free(ids);
}

static void end_batch(bench *b, const ds_oid *head, int reopen)
{
#ifndef NO_GIT_FLUSH
	if (ds_gitrepo_flush(b->repo) != 0)
		die("flushing git");
#endif
	if (ds_store_set_ref(b->store, DS_MAIN_REF, head) != 0 || ds_store_commit(b->store) != 0 ||
	    ds_gitrepo_set_ref(b->repo, DS_MAIN_REF, head, "sink_replay") != 0 ||
	    (reopen && ds_store_begin(b->store) != 0))
		die("ending a batch");
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: sink_replay SOURCE_CONNINFO TARGET_CONNINFO GIT_DIR [BATCH]\n");
		return 2;
	}
	int batch = argc > 4 ? atoi(argv[4]) : 100;
	bench b = {0};
	PGconn *src = NULL, *dst = NULL;
	if (ds_db_connect(&src, argv[1], NULL) != 0 || ds_db_connect(&dst, argv[2], NULL) != 0)
		die("connecting");
	load(&b, src);
	if (ds_store_open(&b.store, dst) != 0 || ds_gitrepo_open(&b.repo, argv[3], 1) != 0)
		die("opening the sinks");

	double start = ds_progress_now();
	int n = PQntuples(b.commits), change = 0;
	ds_oid head;
	if (ds_store_begin(b.store) != 0)
		die("BEGIN");
	for (int i = 0; i < n; i++) {
		commit_one(&b, i, &change);
		ds_oid_parse(&head, PQgetvalue(b.commits, i, 0));
		if ((i + 1) % batch == 0 || i + 1 == n)
			end_batch(&b, &head, i + 1 < n);
	}
	double wall = ds_progress_now() - start;
	printf("commits %d, objects %zu, tree entries %zu, audit rows %d, batch %d\n", n, b.nwritten,
	       b.nentries, PQntuples(b.changes), batch);
	printf("wall %.2f s, store %.2f s, git %.2f s\n", wall, ds_store_seconds(b.store),
	       ds_gitrepo_seconds(b.repo));
	ds_store_free(b.store);
	ds_gitrepo_free(b.repo);
	PQclear(b.commits);
	PQclear(b.changes);
	PQfinish(src);
	PQfinish(dst);
	return 0;
}
