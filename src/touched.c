/* touched.c - what each change touched, for incremental capture (see touched.h). */
#include "ddlsnap/touched.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

/* A part's holder, by the part's OID (open addressing; 0 is a free slot). */
typedef struct {
	unsigned int part, holder_classid, holder;
} holder_slot;

/* A partition or inheritance child and its parent. */
typedef struct {
	unsigned int parent, child;
} child_pair;

struct ds_touched {
	PGconn *conn;	      /* the capture connection, which installed the triggers */
	char *take_sql;	      /* take.sql with the run's token, what take() asks for */
	char *event_triggers; /* read.sql's fingerprint of the last call */
	holder_slot *slots;
	size_t cap, n;
	/* children by parent: read again when the parent is touched (sorted
	 * when sorted is set; pairs are never removed: a stale one costs a read) */
	child_pair *children;
	size_t nchildren, children_cap;
	int sorted;
};

static void add_child(ds_touched *t, unsigned int parent, unsigned int child)
{
	if (t->nchildren == t->children_cap) {
		t->children_cap = t->children_cap ? 2 * t->children_cap : 64;
		t->children = ds_xrealloc(t->children, t->children_cap * sizeof *t->children);
	}
	t->children[t->nchildren++] = (child_pair){ parent, child };
	t->sorted = 0;
}

static int by_pair(const void *a, const void *b)
{
	const child_pair *x = a, *y = b;
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->child < y->child ? -1 : x->child > y->child;
}

/* The first child pair of parent, or nchildren. */
static size_t first_child(ds_touched *t, unsigned int parent)
{
	if (!t->sorted && t->nchildren) {
		qsort(t->children, t->nchildren, sizeof *t->children, by_pair);
		size_t k = 0;
		for (size_t i = 0; i < t->nchildren; i++)
			if (k == 0 || by_pair(&t->children[k - 1], &t->children[i]) != 0)
				t->children[k++] = t->children[i];
		t->nchildren = k;
	}
	t->sorted = 1;
	size_t lo = 0, hi = t->nchildren;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->children[mid].parent < parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t slot_of(const ds_touched *t, unsigned int part)
{
	size_t i = (part * 2654435761u) & (t->cap - 1);
	while (t->slots[i].part && t->slots[i].part != part)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static void remember(ds_touched *t, unsigned int part, unsigned int classid, unsigned int holder)
{
	if (2 * (t->n + 1) > t->cap) {
		holder_slot *old = t->slots;
		size_t oldcap = t->cap;
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->slots = ds_xcalloc(t->cap, sizeof *t->slots);
		t->n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].part)
				remember(t, old[i].part, old[i].holder_classid, old[i].holder);
		free(old);
	}
	size_t i = slot_of(t, part);
	if (!t->slots[i].part)
		t->n++;
	t->slots[i] = (holder_slot){ part, classid, holder };
}

static const holder_slot *holder_of(const ds_touched *t, unsigned int part)
{
	if (!t->cap)
		return NULL;
	size_t i = slot_of(t, part);
	return t->slots[i].part ? &t->slots[i] : NULL;
}

/* A query file's text without its final semicolon, for a function body. */
static char *query_text(const char *sql)
{
	const char *end = strrchr(sql, ';');
	ds_buf b = DS_BUF_INIT;
	ds_buf_put(&b, sql, end ? (size_t)(end - sql) : strlen(sql));
	return ds_buf_detach(&b);
}

/* tpl with each "@name@" of names replaced by the value of the same index. */
static char *expand(const char *tpl, const char *const names[], const char *const values[],
		    size_t n)
{
	ds_buf b = DS_BUF_INIT;
	const char *p = tpl, *at;
	while ((at = strchr(p, '@')) != NULL) {
		ds_buf_put(&b, p, (size_t)(at - p));
		size_t i = 0;
		while (i < n && strncmp(at, names[i], strlen(names[i])) != 0)
			i++;
		if (i < n) {
			ds_buf_puts(&b, values[i]);
			p = at + strlen(names[i]);
		} else {
			ds_buf_putc(&b, '@');
			p = at + 1;
		}
	}
	ds_buf_puts(&b, p);
	return ds_buf_detach(&b);
}

/* functions.sql with read.sql and scope.sql in their places. */
static int install_functions(PGconn *conn)
{
	static const char *const names[] = { "@READ@", "@SCOPE@" };
	char *read = query_text(ds_sql_touched_read), *scope = query_text(ds_sql_touched_scope);
	const char *const values[] = { read, scope };
	char *sql = expand(ds_sql_touched_functions, names, values, 2);
	int rc = ds_db_exec(conn, sql);
	free(sql);
	free(read);
	free(scope);
	return rc;
}

int ds_touched_install(ds_touched **out, PGconn *conn, FILE *log)
{
	*out = NULL;
	const char *super = PQparameterStatus(conn, "is_superuser");
	if (!super || strcmp(super, "on") != 0) {
		fprintf(log,
			"note: %s is not a superuser and cannot create event triggers in the"
			" shadow database: every change is captured whole (slower)\n",
			PQuser(conn));
		return 0;
	}
	ds_touched *t = ds_xcalloc(1, sizeof *t);
	t->conn = conn;
	char *token = ds_random_hex(16); /* functions.sql: what take() asks for */
	int rc = token ? 0 : ds_error_setc(DS_EIO, "no random bytes for the run's token");
	if (rc == 0)
		rc = ds_db_exec(conn, ds_sql_touched_install);
	if (rc == 0)
		rc = install_functions(conn);
	const char *params[1] = { token };
	if (rc == 0)
		rc = ds_db_query(conn, NULL, "INSERT INTO _ddlsnap.token (token) VALUES ($1)", 1,
				 params);
	if (rc) {
		/* Leave a named shadow as it was: a later run creates the schema again. */
		char *why = ds_xstrdup(ds_error_last());
		ds_db_exec(conn, ds_sql_touched_uninstall);
		ds_error_setc(rc, "%s", why);
		free(why);
		free(token);
		free(t);
		return ds_error_wrap(rc, "installing the event triggers of incremental capture");
	}
	static const char *const token_name[] = { "@TOKEN@" };
	const char *const token_value[] = { token };
	t->take_sql = expand(ds_sql_touched_take, token_name, token_value, 1);
	free(token);
	*out = t;
	return 0;
}

/* Parse an oid[] literal ("{1,2,3}") into a growing array. */
static void parse_oids(const char *text, unsigned int **v, size_t *n, size_t *cap)
{
	const char *p = text;
	while (*p) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		char *end;
		unsigned long x = strtoul(p, &end, 10);
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*v = ds_xrealloc(*v, *cap * sizeof **v);
		}
		(*v)[(*n)++] = (unsigned int)x;
		p = end;
	}
}

static void put_oid(ds_buf *b, unsigned int x)
{
	ds_buf_printf(b, "%s%u", b->len > 1 ? "," : "", x);
}

int ds_scope_oid_cmp(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;
	return x < y ? -1 : x > y;
}

static void add_replaced(ds_scope *s, size_t *cap, unsigned int x)
{
	if (s->nreplaced == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		s->replaced = ds_xrealloc(s->replaced, *cap * sizeof *s->replaced);
	}
	s->replaced[s->nreplaced++] = x;
}

static void add_group(ds_scope *s, const char *g)
{
	for (size_t i = 0; i < s->capture.ngroups; i++)
		if (strcmp(s->groups[i], g) == 0)
			return;
	s->groups = ds_xrealloc(s->groups, (s->capture.ngroups + 1) * sizeof *s->groups);
	s->groups[s->capture.ngroups++] = ds_xstrdup(g);
}

static void add_learned(ds_scope *s, size_t *cap, ds_learned l)
{
	if (s->nlearned == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		s->learned = ds_xrealloc(s->learned, *cap * sizeof *s->learned);
	}
	s->learned[s->nlearned++] = l;
}

/* Take the scope rows of res (columns from col on: grp, oid, holder_classid,
 * holder_oid; rows whose grp is NULL are not scope rows) into s and oids,
 * with the parts and children they name, for ds_touched_keep. */
static void absorb(PGresult *res, int col, ds_scope *s, size_t *rcap, size_t *lcap, ds_buf *oids)
{
	for (int r = 0; r < PQntuples(res); r++) {
		if (PQgetisnull(res, r, col))
			continue;
		const char *grp = PQgetvalue(res, r, col);
		unsigned int oid = (unsigned int)strtoul(PQgetvalue(res, r, col + 1), NULL, 10);
		unsigned int hclass = (unsigned int)strtoul(PQgetvalue(res, r, col + 2), NULL, 10);
		unsigned int holder = (unsigned int)strtoul(PQgetvalue(res, r, col + 3), NULL, 10);
		put_oid(oids, oid);
		if (strcmp(grp, "part") == 0) {
			add_learned(s, lcap, (ds_learned){ oid, hclass, holder, 0 });
		} else if (strcmp(grp, "child") == 0) {
			add_learned(s, lcap, (ds_learned){ oid, 1259, holder, 1 });
		} else {
			add_group(s, grp);
			add_replaced(s, rcap, oid);
		}
	}
}

/*
 * Widen the touched objects to the scope and remember parts: scope.sql
 * already ran on them (the rows of taken, from column 4 on); what only
 * ddlsnap remembers (a dropped part's holder, a touched parent's children)
 * is widened by a second query, as a walk from a union of objects is the
 * union of the walks. The holders are looked up before the rows re-point
 * them (ALTER SEQUENCE ... OWNED BY: the old table and the new one).
 */
static int widen(ds_touched *t, PGconn *conn, const unsigned int *objids, size_t n,
		 PGresult *taken, ds_scope *s)
{
	ds_buf cls = DS_BUF_INIT, obj = DS_BUF_INIT;
	size_t rcap = 0;
	ds_buf_putc(&cls, '{');
	ds_buf_putc(&obj, '{');
	for (size_t i = 0; i < n; i++) {
		add_replaced(s, &rcap, objids[i]);
		const holder_slot *h = holder_of(t, objids[i]);
		if (h) {
			put_oid(&cls, h->holder_classid);
			put_oid(&obj, h->holder);
			add_replaced(s, &rcap, h->holder);
		}
		for (size_t k = first_child(t, objids[i]);
		     k < t->nchildren && t->children[k].parent == objids[i]; k++) {
			put_oid(&cls, 1259); /* pg_class */
			put_oid(&obj, t->children[k].child);
			add_replaced(s, &rcap, t->children[k].child);
		}
	}
	ds_buf_putc(&cls, '}');
	ds_buf_putc(&obj, '}');

	PGresult *more = NULL;
	int rc = 0;
	if (obj.len > 2) {
		const char *params[2] = { cls.ptr, obj.ptr };
		rc = ds_db_query(conn, &more,
				 "SELECT grp, oid, holder_classid, holder_oid FROM _ddlsnap.scope($1, $2)",
				 2, params);
	}
	ds_buf_free(&cls);
	ds_buf_free(&obj);
	if (rc)
		return ds_error_wrap(rc, "finding what the change touched");

	ds_buf oids = DS_BUF_INIT;
	size_t lcap = 0;
	ds_buf_putc(&oids, '{');
	absorb(taken, 4, s, &rcap, &lcap, &oids);
	if (more)
		absorb(more, 0, s, &rcap, &lcap, &oids);
	PQclear(more);
	ds_buf_putc(&oids, '}');
	s->oids_text = ds_buf_detach(&oids);
	s->capture.oids = s->oids_text;
	s->capture.groups = (const char *const *)s->groups;

	if (s->nreplaced)
		qsort(s->replaced, s->nreplaced, sizeof *s->replaced, ds_scope_oid_cmp);
	size_t k = 0;
	for (size_t i = 0; i < s->nreplaced; i++)
		if (k == 0 || s->replaced[k - 1] != s->replaced[i])
			s->replaced[k++] = s->replaced[i];
	s->nreplaced = k;
	return 0;
}

int ds_touched_take(ds_touched *t, PGconn *conn, int replay, ds_scope *s)
{
	memset(s, 0, sizeof *s);
	/* On the replay connection, the change's own settings (a
	 * statement_timeout...) end here, in the same round trip. */
	ds_buf sql = DS_BUF_INIT;
	ds_buf_printf(&sql, "%s%s", replay ? "RESET ALL; " : "", t->take_sql);
	PGresult *res = PQexec(conn, ds_buf_cstr(&sql));
	ds_buf_free(&sql);
	int row = -1; /* take()'s row: the one whose event_triggers is set */
	for (int r = 0; PQresultStatus(res) == PGRES_TUPLES_OK && r < PQntuples(res); r++)
		if (!PQgetisnull(res, r, 3))
			row = row < 0 ? r : PQntuples(res);
	if (row < 0 || row >= PQntuples(res)) {
		int rc = PQresultStatus(res) != PGRES_TUPLES_OK ?
				 ds_db_error(conn, res, "reading what the change touched") :
				 ds_error_setc(DS_EDB, "reading what the change touched: take.sql gave %s"
						       " row of take()",
					       row < 0 ? "no" : "more than one");
		PQclear(res);
		return rc;
	}
	int rc = 0;

	unsigned int *classids = NULL, *objids = NULL;
	size_t n = 0, ncap = 0, m = 0, mcap = 0;
	parse_oids(PQgetvalue(res, row, 0), &classids, &n, &ncap);
	parse_oids(PQgetvalue(res, row, 1), &objids, &m, &mcap);
	s->everything = PQgetvalue(res, row, 2)[0] == 't';
	const char *evt = PQgetvalue(res, row, 3);
	if (!t->event_triggers || strcmp(t->event_triggers, evt) != 0) {
		/* The first call too: nothing is known before it. */
		s->everything = 1;
		free(t->event_triggers);
		t->event_triggers = ds_xstrdup(evt);
	}

	if (n != m)
		rc = ds_error_setc(DS_EDB, "reading what the change touched: uneven arrays");
	else if (!s->everything)
		rc = widen(t, conn, objids, n, res, s);
	PQclear(res);
	free(classids);
	free(objids);
	if (rc)
		ds_scope_free(s);
	return rc;
}

/* Remember a part's holder, or a child's parent. */
static void learn(ds_touched *t, const ds_learned *l)
{
	if (l->child)
		add_child(t, l->holder, l->oid);
	else
		remember(t, l->oid, l->holder_classid, l->holder);
}

void ds_touched_keep(ds_touched *t, const ds_scope *s)
{
	for (size_t i = 0; t && i < s->nlearned; i++)
		learn(t, &s->learned[i]);
}

int ds_touched_learn_all(ds_touched *t)
{
	PGresult *res;
	int rc = ds_db_query(t->conn, &res, ds_sql_touched_parts, 0, NULL);
	if (rc)
		return ds_error_wrap(rc, "reading the parts of relations and domains");
	for (int r = 0; r < PQntuples(res); r++) {
		ds_learned l = {
			.oid = (unsigned int)strtoul(PQgetvalue(res, r, 1), NULL, 10),
			.holder_classid = (unsigned int)strtoul(PQgetvalue(res, r, 2), NULL, 10),
			.holder = (unsigned int)strtoul(PQgetvalue(res, r, 3), NULL, 10),
			.child = strcmp(PQgetvalue(res, r, 0), "child") == 0,
		};
		learn(t, &l);
	}
	PQclear(res);
	return 0;
}

void ds_scope_free(ds_scope *s)
{
	for (size_t i = 0; i < s->capture.ngroups; i++)
		free(s->groups[i]);
	free(s->groups);
	free(s->oids_text);
	free(s->replaced);
	free(s->learned);
	memset(s, 0, sizeof *s);
}

int ds_touched_uninstall(ds_touched *t)
{
	if (!t)
		return 0;
	int rc = ds_db_exec(t->conn, ds_sql_touched_uninstall);
	if (rc)
		ds_error_wrap(rc, "removing the event triggers of incremental capture");
	free(t->event_triggers);
	free(t->take_sql);
	free(t->slots);
	free(t->children);
	free(t);
	return rc;
}
