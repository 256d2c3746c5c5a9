/*
 * meaning.c - the store against what each v1 row says happened. For every
 * row of pggit.history (and history_archive) that a commit covers, the
 * commit is diffed against its first parent (a root commit against the
 * empty tree) and must agree with the row: a CREATE leaves the object
 * present (a table created, not merely left as it was), a DROP leaves it
 * absent, an ALTER changes it. Tables and views are their blobs,
 * <schema>/<table|view>/<name>.sql; an index is its definition line
 * ("INDEX <name> ON ..." or "CONSTRAINT <name> ...") in the table and
 * materialized view blobs of its schema that the commit changed.
 *
 * pgGit's known quirks are recognised and counted in the summary, not
 * reported: a rename is an ALTER row on the new name (the new path
 * appears while another of its kind disappears, or the change's SQL has
 * RENAME TO or SET SCHEMA), and a row on a name renamed away within the
 * change agrees too; functions are named by OID, so their rows cannot be
 * checked by name; names keep their quotes ("Foo"); one statement gives
 * several rows (an ALTER or a second CREATE of an object the same change
 * creates); an object created and dropped (or dropped and created again)
 * within one change leaves no trace in its commit (an index dropped and
 * made again under its name has a DROP row alone; its change's SQL drops
 * and makes it).
 *
 * An ALTER that leaves its object unchanged is counted apart, as changing
 * nothing ddlsnap captures (owner, statistics, triggers...), unless the
 * row records a change of the object's columns or the change's SQL does
 * not name the object at all: then it is a finding.
 *
 * Not checked here: rows no commit covers (failed changes; coverage owns
 * the rest), rows of kinds other than tables, views, indexes and functions,
 * changes other than CREATE, ALTER and DROP, and what a blob says beyond
 * the presence of the object (the replay and capture tests judge that).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/history.h"
#include "ddlsnap/path.h"
#include "ddlsnap_sql.h"
#include "verify/verify_int.h"

/* Columns of sql/verify/meaning_rows*.sql. */
enum {
	F_ID,
	F_CHANGE,
	F_TYPE,
	F_SCHEMA,
	F_NAME,
	F_RAW,
	F_QUOTED,
	F_WAS_QUOTED,
	F_OBJECT_ID,
	F_NAMES_OBJECT,
	F_RENAMES,
	F_COLUMNS_CHANGED,
	F_REMAKES_INDEX,
};

typedef enum {
	KIND_OTHER,
	KIND_TABLE,
	KIND_VIEW,
	KIND_INDEX,
	KIND_ROUTINE
} row_kind;
typedef enum {
	CH_OTHER,
	CH_CREATE,
	CH_ALTER,
	CH_DROP
} row_change;

enum {
	Q_RENAME,
	Q_OID,
	Q_QUOTED,
	Q_EXTRA,
	Q_CREATE_DROP,
	NQUIRKS,
};

static const char *const quirk_label[NQUIRKS][2] = {
	{ "rename recorded as ALTER of the new name", "renames recorded as ALTER of the new name" },
	{ "function named by OID and not checked", "functions named by OID and not checked" },
	{ "name kept with its quotes", "names kept with their quotes" },
	{ "extra row of one statement", "extra rows of one statement" },
	{ "object both created and dropped within one change",
	  "objects both created and dropped within one change" },
};

#define MAX_LABELS 32

typedef struct {
	int res_row;
	long long id;
	long long object_id; /* -1 when pggit.objects lacks the row's object */
	row_change change;
	row_kind kind;
	size_t commit; /* index into v->commits, SIZE_MAX when none covers the row */
	int was_quoted, names_object, renames, columns_changed, remakes_index;
} vrow;

/* One blob the commit changed, with its bodies once an index row needs them. */
typedef struct {
	char *path;
	ds_oid old_oid, new_oid;
	int has_old, has_new, loaded;
	ds_buf old_text, new_text;
} entry;

/* What the commit did to a row's object. */
typedef enum {
	EF_ADDED,
	EF_REMOVED,
	EF_MODIFIED,
	EF_SAME, /* present before and after, unchanged */
	EF_ABSENT, /* absent before and after (tables and views) */
	EF_UNTOUCHED /* an index in no table or materialized view blob the commit changed */
} effect;

typedef struct {
	effect effect;
	ds_buf path; /* table or view: its path; index: the blob that holds or held it */
} state;

typedef enum {
	OUT_AGREE,
	OUT_UNCAPTURED,
	OUT_FINDING
} outcome;

typedef struct {
	ds_verifier *v;
	ds_check *check;
	PGresult *res;
	vrow *rows;
	size_t nrows;
	size_t quirks[NQUIRKS];
	PGresult *claimed; /* ids of the rows commits and recorded failures claim, by id */
	size_t agree, uncaptured, failed, uncovered, no_parent, unchecked;
	const char *labels[MAX_LABELS]; /* kinds and changes not checked, distinct */
	size_t nlabels;
	/* the commit being checked */
	char hex[DS_OID_HEXSZ + 1];
	entry *entries;
	size_t nentries;
} meaning;

typedef struct {
	long long id;
	size_t commit;
} id_commit;

static int cmp_id_commit(const void *a, const void *b)
{
	long long x = ((const id_commit *)a)->id, y = ((const id_commit *)b)->id;
	return x < y ? -1 : x > y;
}

static const char *field(const meaning *m, const vrow *r, int col)
{
	return PQgetvalue(m->res, r->res_row, col);
}

static int flag(PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col)[0] == 't';
}

static row_kind parse_kind(const char *type)
{
	if (strcmp(type, "TABLE") == 0)
		return KIND_TABLE;
	if (strcmp(type, "VIEW") == 0)
		return KIND_VIEW;
	if (strcmp(type, "INDEX") == 0)
		return KIND_INDEX;
	if (strcmp(type, "FUNCTION") == 0 || strcmp(type, "PROCEDURE") == 0)
		return KIND_ROUTINE;
	return KIND_OTHER;
}

static row_change parse_change(const char *change)
{
	if (strcmp(change, "CREATE") == 0)
		return CH_CREATE;
	if (strcmp(change, "ALTER") == 0)
		return CH_ALTER;
	if (strcmp(change, "DROP") == 0)
		return CH_DROP;
	return CH_OTHER;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void note_unchecked(meaning *m, const char *label)
{
	m->unchecked++;
	for (size_t i = 0; i < m->nlabels; i++)
		if (strcmp(m->labels[i], label) == 0)
			return;
	if (m->nlabels < MAX_LABELS)
		m->labels[m->nlabels++] = label;
}

/* "CREATE TABLE public.users", for findings. */
static void describe(const meaning *m, const vrow *r, ds_buf *out)
{
	ds_buf_printf(out, "%s %s %s.%s", field(m, r, F_CHANGE), field(m, r, F_TYPE),
		      field(m, r, F_SCHEMA), field(m, r, F_NAME));
}

static void finding(meaning *m, const vrow *r, const char *why)
{
	ds_buf what = DS_BUF_INIT;
	describe(m, r, &what);
	ds_verify_finding(m->check, "history %lld: %s, but %s", r->id, ds_buf_cstr(&what), why);
	ds_buf_free(&what);
}

/* ---- the commit's changes ---- */

static int collect(const char *path, const ds_oid *old_blob, const ds_oid *new_blob, void *payload)
{
	meaning *m = payload;
	m->entries = ds_xrealloc(m->entries, (m->nentries + 1) * sizeof *m->entries);
	entry *e = &m->entries[m->nentries++];
	memset(e, 0, sizeof *e);
	e->path = ds_xstrdup(path);
	if (old_blob) {
		e->old_oid = *old_blob;
		e->has_old = 1;
	}
	if (new_blob) {
		e->new_oid = *new_blob;
		e->has_new = 1;
	}
	return 0;
}

static void entries_free(meaning *m)
{
	for (size_t i = 0; i < m->nentries; i++) {
		free(m->entries[i].path);
		ds_buf_free(&m->entries[i].old_text);
		ds_buf_free(&m->entries[i].new_text);
	}
	free(m->entries);
	m->entries = NULL;
	m->nentries = 0;
}

static int load_entry(meaning *m, entry *e)
{
	int rc = 0;
	if (e->loaded)
		return 0;
	if (e->has_old)
		rc = ds_verify_blob(m->v, &e->old_oid, &e->old_text);
	if (rc == 0 && e->has_new)
		rc = ds_verify_blob(m->v, &e->new_oid, &e->new_text);
	if (rc)
		return ds_error_wrap(rc, "reading %s", e->path);
	e->loaded = 1;
	return 0;
}

/* Whether the commit's tree holds path. @return 1, 0 or an error code */
static int in_tree(meaning *m, const ds_vcommit *c, const char *path)
{
	return ds_verify_tree_has(m->v, &c->tree, path);
}

/* The path component after the schema: "table", "view"... */
static int path_has_kind(const char *path, const char *kind)
{
	const char *p = strchr(path, '/');
	size_t n = strlen(kind);
	return p && strncmp(p + 1, kind, n) == 0 && p[1 + n] == '/';
}

static const char *kind_dir(row_kind kind)
{
	return kind == KIND_VIEW ? "view" : "table";
}

/* A table or view under kind: its blob in the diff, else whether the tree holds it. */
static int relation_state_in(meaning *m, const ds_vcommit *c, const vrow *r, const char *kind,
			     state *st)
{
	ds_buf_clear(&st->path);
	ds_path_escape(&st->path, field(m, r, F_SCHEMA), NULL);
	ds_buf_printf(&st->path, "/%s/", kind);
	ds_path_escape(&st->path, field(m, r, F_RAW), ".sql");
	for (size_t i = 0; i < m->nentries; i++) {
		const entry *e = &m->entries[i];
		if (strcmp(e->path, st->path.ptr) != 0)
			continue;
		st->effect = e->has_old && e->has_new ? EF_MODIFIED :
			     e->has_new		      ? EF_ADDED :
							EF_REMOVED;
		return 0;
	}
	int rc = in_tree(m, c, st->path.ptr);
	if (rc < 0)
		return rc;
	st->effect = rc ? EF_SAME : EF_ABSENT;
	return 0;
}

/*
 * A table or view. pgGit files a foreign table under TABLE; its blob is a
 * foreign_table, looked for when no table of that name is there.
 */
static int relation_state(meaning *m, const ds_vcommit *c, const vrow *r, state *st)
{
	int rc = relation_state_in(m, c, r, kind_dir(r->kind), st);
	if (rc < 0 || r->kind != KIND_TABLE || st->effect != EF_ABSENT)
		return rc;
	rc = relation_state_in(m, c, r, "foreign_table", st);
	if (rc == 0 && st->effect == EF_ABSENT)
		rc = relation_state_in(m, c, r, kind_dir(r->kind), st);
	return rc;
}

/*
 * The line defining an index in a table blob, trimmed of indentation and
 * of a trailing comma or semicolon; NULL when the blob does not define it.
 */
static char *index_line(const char *text, const char *quoted)
{
	static const char *const lead[] = { "INDEX ", "CONSTRAINT " };
	static const char *const tail[] = { " ON ", " " };
	const char *hit = NULL;
	for (size_t i = 0; i < 2 && !hit; i++) {
		ds_buf needle = DS_BUF_INIT;
		ds_buf_printf(&needle, "%s%s%s", lead[i], quoted, tail[i]);
		for (const char *p = text; (p = strstr(p, needle.ptr)) != NULL; p++) {
			if (p == text || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') {
				hit = p;
				break;
			}
		}
		ds_buf_free(&needle);
	}
	if (!hit)
		return NULL;
	const char *start = hit, *end = strchr(hit, '\n');
	while (start > text && start[-1] != '\n')
		start--;
	while (*start == ' ' || *start == '\t')
		start++;
	if (!end)
		end = hit + strlen(hit);
	while (end > start && strchr(" \t\r,;", end[-1]))
		end--;
	return ds_xstrndup(start, (size_t)(end - start));
}

/*
 * An index: its definition line in the changed blobs of its schema's tables
 * and materialized views (whose text holds their indexes too).
 */
static int index_state(meaning *m, const vrow *r, state *st)
{
	ds_buf schema = DS_BUF_INIT;
	char *old_line = NULL, *new_line = NULL;
	const char *old_path = NULL, *new_path = NULL;
	int rc = 0;

	ds_path_escape(&schema, field(m, r, F_SCHEMA), NULL);
	for (size_t i = 0; i < m->nentries; i++) {
		entry *e = &m->entries[i];
		if (strncmp(e->path, schema.ptr, schema.len) != 0 || e->path[schema.len] != '/' ||
		    !(path_has_kind(e->path, "table") || path_has_kind(e->path, "materialized_view")))
			continue;
		rc = load_entry(m, e);
		if (rc)
			break;
		char *line;
		if (!old_line && e->has_old &&
		    (line = index_line(ds_buf_cstr(&e->old_text), field(m, r, F_QUOTED)))) {
			old_line = line;
			old_path = e->path;
		}
		if (!new_line && e->has_new &&
		    (line = index_line(ds_buf_cstr(&e->new_text), field(m, r, F_QUOTED)))) {
			new_line = line;
			new_path = e->path;
		}
	}
	if (rc == 0) {
		if (old_line && new_line)
			st->effect = strcmp(old_line, new_line) == 0 ? EF_SAME : EF_MODIFIED;
		else
			st->effect = new_line ? EF_ADDED : old_line ? EF_REMOVED : EF_UNTOUCHED;
		if (new_path || old_path)
			ds_buf_puts(&st->path, new_path ? new_path : old_path);
	}
	free(old_line);
	free(new_line);
	ds_buf_free(&schema);
	return rc;
}

/* ---- judging one row ---- */

/* Whether another row of the commit, before (after = 0) or after row k,
 * makes change ch to the same object. */
static int sibling(const meaning *m, const size_t *group, size_t n, size_t k, int after,
		   row_change ch)
{
	const vrow *r = &m->rows[group[k]];
	for (size_t j = after ? k + 1 : 0; j < (after ? n : k); j++) {
		const vrow *o = &m->rows[group[j]];
		if (o->object_id == r->object_id && o->change == ch)
			return 1;
	}
	return 0;
}

/* Whether the commit removes a path of this kind other than the object's own. */
static int removes_other(const meaning *m, const vrow *r, const state *st)
{
	for (size_t i = 0; i < m->nentries; i++) {
		const entry *e = &m->entries[i];
		if (e->has_old && !e->has_new && path_has_kind(e->path, kind_dir(r->kind)) &&
		    strcmp(e->path, ds_buf_cstr(&st->path)) != 0)
			return 1;
	}
	return 0;
}

static int is_present(effect e)
{
	return e == EF_ADDED || e == EF_MODIFIED || e == EF_SAME;
}

/* Why the object is missing after the commit. */
static void why_absent(const meaning *m, const vrow *r, const state *st, ds_buf *why)
{
	if (r->kind != KIND_INDEX)
		ds_buf_printf(why, "%s is absent after commit %.12s", st->path.ptr, m->hex);
	else if (st->effect == EF_REMOVED)
		ds_buf_printf(why, "commit %.12s removes it from %s", m->hex, st->path.ptr);
	else
		ds_buf_printf(why, "no table or materialized view changed by commit %.12s defines it",
			      m->hex);
}

/* Why the object is seen unchanged by the commit. */
static void why_unchanged(const meaning *m, const vrow *r, const state *st, ds_buf *why)
{
	if (r->kind != KIND_INDEX)
		ds_buf_printf(why, "commit %.12s did not change %s", m->hex, st->path.ptr);
	else if (st->effect == EF_SAME)
		ds_buf_printf(why, "commit %.12s did not change its definition in %s", m->hex,
			      st->path.ptr);
	else
		ds_buf_printf(why, "commit %.12s did not change it in any table or materialized view",
			      m->hex);
}

static outcome judge_create(meaning *m, const size_t *group, size_t n, size_t k, const state *st,
			    int *quirk, ds_buf *why)
{
	const vrow *r = &m->rows[group[k]];
	int extra = sibling(m, group, n, k, 0, CH_CREATE);
	/* CREATE OR REPLACE VIEW may leave the view as it was */
	if (st->effect == EF_ADDED || st->effect == EF_MODIFIED ||
	    (st->effect == EF_SAME && (r->kind == KIND_VIEW || extra))) {
		*quirk = extra ? Q_EXTRA : -1;
		return OUT_AGREE;
	}
	/* dropped and created again as it was: the DROP row counts the quirk */
	if ((st->effect == EF_SAME || st->effect == EF_UNTOUCHED) &&
	    sibling(m, group, n, k, 0, CH_DROP))
		return OUT_AGREE;
	if (!is_present(st->effect) && sibling(m, group, n, k, 1, CH_DROP)) {
		*quirk = Q_CREATE_DROP;
		return OUT_AGREE;
	}
	/* created, then renamed within the change: the ALTER row of the new
	 * name counts the rename */
	if (!is_present(st->effect) && r->renames)
		return OUT_AGREE;
	if (st->effect == EF_SAME && r->kind != KIND_INDEX)
		ds_buf_printf(why, "commit %.12s did not create or change %s", m->hex,
			      st->path.ptr);
	else if (st->effect == EF_SAME)
		why_unchanged(m, r, st, why);
	else
		why_absent(m, r, st, why);
	return OUT_FINDING;
}

static outcome judge_drop(meaning *m, const size_t *group, size_t n, size_t k, const state *st,
			  int *quirk, ds_buf *why)
{
	const vrow *r = &m->rows[group[k]];
	if (st->effect == EF_REMOVED || st->effect == EF_ABSENT)
		return OUT_AGREE;
	/* created and dropped here: the CREATE row counts the quirk */
	if (st->effect == EF_UNTOUCHED && sibling(m, group, n, k, 0, CH_CREATE))
		return OUT_AGREE;
	if (sibling(m, group, n, k, 1, CH_CREATE)) {
		*quirk = Q_CREATE_DROP;
		return OUT_AGREE;
	}
	/* pgGit records a DROP row only for an index really dropped (sql_drop),
	 * and none for the one the same change makes again under that name
	 * (ALTER TABLE ... DROP CONSTRAINT u, ADD CONSTRAINT u UNIQUE ...): its
	 * SQL must say both, a CREATE row turned into a DROP is still found */
	if (r->kind == KIND_INDEX && r->remakes_index && st->effect != EF_REMOVED) {
		*quirk = Q_CREATE_DROP;
		return OUT_AGREE;
	}
	if (st->effect == EF_UNTOUCHED)
		ds_buf_printf(why, "no table or materialized view changed by commit %.12s defined it",
			      m->hex);
	else if (r->kind == KIND_INDEX)
		ds_buf_printf(why, "%s still defines it after commit %.12s", st->path.ptr, m->hex);
	else
		ds_buf_printf(why, "%s is still present after commit %.12s", st->path.ptr, m->hex);
	return OUT_FINDING;
}

static outcome judge_alter(meaning *m, const size_t *group, size_t n, size_t k, const state *st,
			   int *quirk, ds_buf *why)
{
	const vrow *r = &m->rows[group[k]];
	switch (st->effect) {
	case EF_MODIFIED:
		return OUT_AGREE;
	case EF_ADDED:
		if (sibling(m, group, n, k, 0, CH_CREATE)) {
			*quirk = Q_EXTRA;
			return OUT_AGREE;
		}
		if (r->renames || (r->kind != KIND_INDEX && removes_other(m, r, st))) {
			*quirk = Q_RENAME;
			return OUT_AGREE;
		}
		if (r->kind == KIND_INDEX)
			ds_buf_printf(why, "it first appears in %s in commit %.12s", st->path.ptr,
				      m->hex);
		else
			ds_buf_printf(why, "%s first appears in commit %.12s", st->path.ptr,
				      m->hex);
		ds_buf_puts(why, ", and no CREATE row or rename explains it");
		return OUT_FINDING;
	case EF_SAME:
	case EF_UNTOUCHED:
		if (st->effect == EF_UNTOUCHED && sibling(m, group, n, k, 1, CH_DROP)) {
			*quirk = Q_CREATE_DROP;
			return OUT_AGREE;
		}
		if (!r->columns_changed && r->names_object)
			return OUT_UNCAPTURED;
		why_unchanged(m, r, st, why);
		ds_buf_puts(why, r->columns_changed ?
					 ", though the row records a change of its columns" :
					 ", and the change's SQL does not name it");
		return OUT_FINDING;
	case EF_REMOVED:
	case EF_ABSENT:
		if (sibling(m, group, n, k, 1, CH_DROP)) {
			*quirk = Q_CREATE_DROP;
			return OUT_AGREE;
		}
		if (r->renames) {
			/* an intermediate name (a RENAME TO b, b RENAME TO c) is
			 * itself a rename; an object renamed away after the
			 * ALTER is counted by the ALTER row of its new name */
			if (st->effect == EF_ABSENT)
				*quirk = Q_RENAME;
			return OUT_AGREE;
		}
		why_absent(m, r, st, why);
		return OUT_FINDING;
	}
	return OUT_FINDING;
}

/* Judge row k of the commit's group. @return 0, or an error when a query failed */
static int judge(meaning *m, const ds_vcommit *c, const size_t *group, size_t n, size_t k)
{
	const vrow *r = &m->rows[group[k]];
	state st = { EF_ABSENT, DS_BUF_INIT };
	ds_buf why = DS_BUF_INIT;
	int quirk = -1, rc;
	outcome out;

	if (r->kind == KIND_ROUTINE) {
		if (all_digits(field(m, r, F_NAME)))
			m->quirks[Q_OID]++;
		else
			note_unchecked(m, field(m, r, F_TYPE));
		return 0;
	}
	if (r->kind == KIND_OTHER || r->change == CH_OTHER) {
		if (r->object_id < 0)
			note_unchecked(m, "no pggit.objects row");
		else if (parse_kind(field(m, r, F_TYPE)) == KIND_OTHER)
			note_unchecked(m, field(m, r, F_TYPE));
		else if (r->kind == KIND_OTHER)
			note_unchecked(m, "no schema name");
		else
			note_unchecked(m, field(m, r, F_CHANGE));
		return 0;
	}
	rc = r->kind == KIND_INDEX ? index_state(m, r, &st) : relation_state(m, c, r, &st);
	if (rc == DS_EDB) {
		ds_buf_free(&st.path);
		return rc;
	}
	if (rc < 0) {
		/* a store too damaged to read (integrity names it): no verdict */
		ds_buf_printf(&why, "it cannot be checked against commit %.12s: %s", m->hex,
			      ds_error_last());
		ds_error_clear();
		out = OUT_FINDING;
	} else if (r->change == CH_CREATE) {
		out = judge_create(m, group, n, k, &st, &quirk, &why);
	} else if (r->change == CH_DROP) {
		out = judge_drop(m, group, n, k, &st, &quirk, &why);
	} else {
		out = judge_alter(m, group, n, k, &st, &quirk, &why);
	}
	if (out == OUT_FINDING) {
		finding(m, r, ds_buf_cstr(&why));
	} else {
		if (out == OUT_AGREE)
			m->agree++;
		else
			m->uncaptured++;
		if (quirk >= 0)
			m->quirks[quirk]++;
		if (r->was_quoted)
			m->quirks[Q_QUOTED]++;
	}
	ds_buf_free(&st.path);
	ds_buf_free(&why);
	return 0;
}

/* The rows one commit covers (group, in replay order) against its diff. */
static int check_commit(meaning *m, const size_t *group, size_t n)
{
	const ds_vcommit *c = &m->v->commits[m->rows[group[0]].commit];
	const ds_oid *old_tree = NULL;
	int rc;

	ds_oid_fmt(m->hex, &c->oid);
	if (c->nparents > 0) {
		const ds_vcommit *parent = ds_verify_commit(m->v, &c->parents[0]);
		if (!parent) {
			m->no_parent += n; /* the commits check names the missing parent */
			return 0;
		}
		old_tree = &parent->tree;
	}
	rc = ds_verify_tree_diff(m->v, old_tree, &c->tree, collect, m);
	if (rc < 0 && rc != DS_EDB) {
		ds_verify_finding(m->check, "commit %.12s: cannot compare it with its parent: %s",
				  m->hex, ds_error_last());
		ds_error_clear();
		rc = 0;
	} else {
		for (size_t k = 0; rc == 0 && k < n; k++)
			rc = judge(m, c, group, n, k);
	}
	entries_free(m);
	return rc;
}

/* ---- loading and order ---- */

static void load_rows(meaning *m)
{
	ds_verifier *v = m->v;
	size_t nids = 0;
	for (size_t i = 0; i < v->ncommits; i++)
		nids += v->commits[i].nhistory_ids;
	id_commit *ids = ds_xcalloc(nids ? nids : 1, sizeof *ids);
	nids = 0;
	for (size_t i = 0; i < v->ncommits; i++)
		for (size_t h = 0; h < v->commits[i].nhistory_ids; h++)
			ids[nids++] = (id_commit){ v->commits[i].history_ids[h], i };
	qsort(ids, nids, sizeof *ids, cmp_id_commit);

	m->nrows = (size_t)PQntuples(m->res);
	m->rows = ds_xcalloc(m->nrows ? m->nrows : 1, sizeof *m->rows);
	for (size_t i = 0; i < m->nrows; i++) {
		PGresult *res = m->res;
		int row = (int)i;
		vrow *r = &m->rows[i];
		r->res_row = row;
		r->id = atoll(PQgetvalue(res, row, F_ID));
		r->change = parse_change(PQgetvalue(res, row, F_CHANGE));
		r->object_id = PQgetisnull(res, row, F_OBJECT_ID) || PQgetisnull(res, row, F_TYPE) ?
				       -1 :
				       atoll(PQgetvalue(res, row, F_OBJECT_ID));
		r->kind = r->object_id < 0 || PQgetisnull(res, row, F_SCHEMA) ||
					  PQgetisnull(res, row, F_RAW) ?
				  KIND_OTHER :
				  parse_kind(PQgetvalue(res, row, F_TYPE));
		r->was_quoted = flag(res, row, F_WAS_QUOTED);
		r->names_object = flag(res, row, F_NAMES_OBJECT);
		r->renames = flag(res, row, F_RENAMES);
		r->columns_changed = flag(res, row, F_COLUMNS_CHANGED);
		r->remakes_index = flag(res, row, F_REMAKES_INDEX);
		id_commit key = { r->id, 0 };
		const id_commit *hit = bsearch(&key, ids, nids, sizeof key, cmp_id_commit);
		r->commit = hit ? hit->commit : SIZE_MAX;
	}
	free(ids);
}

/* Whether a commit or a recorded failure claims history id. */
static int is_claimed(const meaning *m, long long id)
{
	int lo = 0, hi = PQntuples(m->claimed) - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		long long at = atoll(PQgetvalue(m->claimed, mid, 0));
		if (at == id)
			return 1;
		if (at < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

typedef struct {
	size_t first; /* the commit's first row: commits come in replay order */
	size_t row;
} group_key;

static int cmp_group_key(const void *a, const void *b)
{
	const group_key *x = a, *y = b;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Rows grouped by commit, the commits in the order of their first row. */
static int check_groups(meaning *m)
{
	size_t *first = ds_xcalloc(m->v->ncommits ? m->v->ncommits : 1, sizeof *first);
	group_key *keys = ds_xcalloc(m->nrows ? m->nrows : 1, sizeof *keys);
	size_t *group = ds_xcalloc(m->nrows ? m->nrows : 1, sizeof *group);
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < m->v->ncommits; i++)
		first[i] = SIZE_MAX;
	for (size_t i = 0; i < m->nrows; i++) {
		const vrow *r = &m->rows[i];
		if (r->commit == SIZE_MAX) {
			if (is_claimed(m, r->id))
				m->failed++;
			else
				m->uncovered++;
			continue;
		}
		if (first[r->commit] == SIZE_MAX)
			first[r->commit] = i;
		keys[n++] = (group_key){ first[r->commit], i };
	}
	qsort(keys, n, sizeof *keys, cmp_group_key);
	for (size_t i = 0; i < n; i++)
		group[i] = keys[i].row;
	for (size_t i = 0; rc == 0 && i < n;) {
		size_t j = i + 1;
		while (j < n && keys[j].first == keys[i].first)
			j++;
		rc = check_commit(m, group + i, j - i);
		i = j;
	}
	free(group);
	free(keys);
	free(first);
	return rc;
}

static void summarize(meaning *m)
{
	ds_buf *s = &m->check->summary;
	size_t nquirks = 0;
	for (size_t q = 0; q < NQUIRKS; q++)
		nquirks += m->quirks[q];
	ds_buf_printf(s, "%zu v1 row%s with %s commit", m->agree,
		      m->agree == 1 ? " agrees" : "s agree", m->agree == 1 ? "its" : "their");
	if (nquirks) {
		const char *sep = "";
		ds_buf_printf(s, " (%zu pgGit quirk%s: ", nquirks, nquirks == 1 ? "" : "s");
		for (size_t q = 0; q < NQUIRKS; q++) {
			if (!m->quirks[q])
				continue;
			ds_buf_printf(s, "%s%zu %s", sep, m->quirks[q],
				      quirk_label[q][m->quirks[q] == 1 ? 0 : 1]);
			sep = ", ";
		}
		ds_buf_putc(s, ')');
	}
	if (m->uncaptured)
		ds_buf_printf(s, "; %zu ALTER%s changed nothing ddlsnap captures", m->uncaptured,
			      m->uncaptured == 1 ? "" : "s");
	if (m->failed)
		ds_buf_printf(s, "; %zu row%s of failed changes skipped", m->failed,
			      m->failed == 1 ? "" : "s");
	if (m->uncovered)
		ds_buf_printf(s, "; %zu row%s covered by nothing skipped (see coverage)",
			      m->uncovered, m->uncovered == 1 ? "" : "s");
	if (m->no_parent)
		ds_buf_printf(s, "; %zu row%s not checked: their commit's parent is missing",
			      m->no_parent, m->no_parent == 1 ? "" : "s");
	if (m->unchecked) {
		ds_buf_printf(s, "; %zu row%s of kinds not checked (", m->unchecked,
			      m->unchecked == 1 ? "" : "s");
		for (size_t i = 0; i < m->nlabels; i++)
			ds_buf_printf(s, "%s%s", i ? ", " : "", m->labels[i]);
		ds_buf_putc(s, ')');
	}
}

int ds_verify_meaning(ds_verifier *v)
{
	meaning m = { .v = v };
	int rc;

	m.check = ds_verify_new_check(v, "meaning");
	char *sql = ds_history_sql(ds_sql_verify_meaning_rows, v->has_archive);
	rc = ds_db_query(v->source, &m.res, sql, 0, NULL);
	free(sql);
	if (rc)
		return ds_error_wrap(rc, "reading the v1 history rows and their objects");
	rc = ds_db_query(v->target, &m.claimed, ds_sql_verify_covered_ids, 0, NULL);
	if (rc) {
		PQclear(m.res);
		return ds_error_wrap(rc, "reading the covered history ids");
	}
	load_rows(&m);
	rc = check_groups(&m);
	if (rc == 0) {
		m.check->checked = m.agree;
		summarize(&m);
	}
	free(m.rows);
	PQclear(m.claimed);
	PQclear(m.res);
	return rc;
}
