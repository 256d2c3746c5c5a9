/*
 * stmt.c - statement splitting and classification with libpg_query.
 *
 * One parse of the whole text gives both the statement boundaries
 * (stmt_location/stmt_len) and each statement's tree. libpg_query returns
 * the tree as JSON; the classifier reads the top-level node and, where the
 * class depends on it, a few of its fields (TransactionStmt.kind,
 * IndexStmt.concurrent, the FuncCall nodes of a SELECT...). What each class
 * means: stmt.h and docs/replay.md.
 */
#include "ddlsnap/stmt.h"

#include <ctype.h>
#include <jansson.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/error.h"
#include "ddlsnap/refuse.h"

typedef struct {
	const char *node;
	ds_stmt_class cls;
} node_class;

/* Node types whose class does not depend on their fields. Everything not
 * listed here or in classify() runs. The names are also the static storage
 * of ds_stmt.node. */
static const node_class fixed_classes[] = {
	{"InsertStmt", DS_STMT_DML},
	{"UpdateStmt", DS_STMT_DML},
	{"DeleteStmt", DS_STMT_DML},
	{"MergeStmt", DS_STMT_DML},
	{"CopyStmt", DS_STMT_DML},
	{"PrepareStmt", DS_STMT_DML},    /* PREPARE prepares DML or a query only */
	{"ExecuteStmt", DS_STMT_DML},
	{"DeallocateStmt", DS_STMT_DML},
	{"DeclareCursorStmt", DS_STMT_DML},
	{"FetchStmt", DS_STMT_DML},
	{"ClosePortalStmt", DS_STMT_DML},
	{"VariableShowStmt", DS_STMT_QUERY},
	{"ExplainStmt", DS_STMT_QUERY},  /* EXPLAIN ANALYZE would execute DML: not run either */
	{"VacuumStmt", DS_STMT_MAINTENANCE}, /* VACUUM and ANALYZE */
	{"ReindexStmt", DS_STMT_MAINTENANCE},
	{"CheckPointStmt", DS_STMT_MAINTENANCE},
	{"DiscardStmt", DS_STMT_MAINTENANCE},
	{"LockStmt", DS_STMT_MAINTENANCE},
	{"ListenStmt", DS_STMT_MAINTENANCE},
	{"UnlistenStmt", DS_STMT_MAINTENANCE},
	{"NotifyStmt", DS_STMT_MAINTENANCE},
	/* classified on their fields in classify(), listed for their names */
	{"TransactionStmt", DS_STMT_TRANSACTION},
	{"VariableSetStmt", DS_STMT_RUN},
	{"SelectStmt", DS_STMT_QUERY},
	/* run, listed for their names (replay_role.c looks for them) */
	{"CreateExtensionStmt", DS_STMT_RUN},
	{"CreateEventTrigStmt", DS_STMT_RUN},
	{"ClusterStmt", DS_STMT_RUN},
	{"IndexStmt", DS_STMT_RUN},
	{"DropStmt", DS_STMT_RUN},
	{"AlterTableStmt", DS_STMT_RUN},
	{"AlterEnumStmt", DS_STMT_RUN},
	{"CallStmt", DS_STMT_RUN},
	{"DoStmt", DS_STMT_RUN},
	{NULL, DS_STMT_RUN},
};

static const node_class *fixed_class(const char *node)
{
	for (const node_class *k = fixed_classes; k->node; k++)
		if (strcmp(node, k->node) == 0)
			return k;
	return NULL;
}

static int is_true(json_t *obj, const char *key)
{
	return json_is_true(json_object_get(obj, key));
}

static const char *str_field(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static ds_txn_kind txn_kind(json_t *t, ds_stmt_class *cls)
{
	const char *kind = str_field(t, "kind");
	int chain = is_true(t, "chain");
	static const struct {
		const char *kind;
		ds_txn_kind txn;
	} kinds[] = {
		{"TRANS_STMT_BEGIN", DS_TXN_BEGIN},
		{"TRANS_STMT_START", DS_TXN_BEGIN},
		{"TRANS_STMT_COMMIT", DS_TXN_COMMIT},
		{"TRANS_STMT_ROLLBACK", DS_TXN_ROLLBACK},
		{"TRANS_STMT_SAVEPOINT", DS_TXN_SAVEPOINT},
		{"TRANS_STMT_RELEASE", DS_TXN_SAVEPOINT},
		{"TRANS_STMT_ROLLBACK_TO", DS_TXN_SAVEPOINT},
	};
	*cls = DS_STMT_TRANSACTION;
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(kind, kinds[i].kind) != 0)
			continue;
		if (chain && kinds[i].txn == DS_TXN_COMMIT)
			return DS_TXN_COMMIT_CHAIN;
		if (chain && kinds[i].txn == DS_TXN_ROLLBACK)
			return DS_TXN_ROLLBACK_CHAIN;
		return kinds[i].txn;
	}
	/* PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED */
	*cls = DS_STMT_UNSUPPORTED;
	return DS_TXN_NONE;
}

/* The name of a FuncCall: its last String is the name, the one before the schema. */
static void add_func(ds_stmt *s, json_t *funcname)
{
	size_t n = json_array_size(funcname);
	if (n == 0)
		return;
	const char *name = NULL, *nsp = NULL;
	name = json_string_value(
		json_object_get(json_object_get(json_array_get(funcname, n - 1), "String"), "sval"));
	if (n >= 2)
		nsp = json_string_value(json_object_get(
			json_object_get(json_array_get(funcname, n - 2), "String"), "sval"));
	if (!name)
		return;
	if (strcmp(name, "set_config") == 0 && (!nsp || strcmp(nsp, "pg_catalog") == 0)) {
		s->flags |= DS_STMT_SETS_CONFIG;
		return;
	}
	/* pg_catalog.f is built in: only superusers can add functions there. */
	if (nsp && strcmp(nsp, "pg_catalog") == 0)
		return;
	for (size_t i = 0; i < s->nfuncs; i++)
		if (strcmp(s->funcs[i].name, name) == 0 &&
		    ((!nsp && !s->funcs[i].nsp) ||
		     (nsp && s->funcs[i].nsp && strcmp(nsp, s->funcs[i].nsp) == 0)))
			return;
	s->funcs = ds_xrealloc(s->funcs, (s->nfuncs + 1) * sizeof *s->funcs);
	s->funcs[s->nfuncs].name = ds_xstrdup(name);
	s->funcs[s->nfuncs].nsp = nsp ? ds_xstrdup(nsp) : NULL;
	s->nfuncs++;
}

/* Every FuncCall anywhere in the tree: target list, FROM, WHERE, CTEs, subqueries. */
static void collect_funcs(ds_stmt *s, json_t *node)
{
	if (json_is_array(node)) {
		size_t i;
		json_t *v;
		json_array_foreach(node, i, v)
			collect_funcs(s, v);
	} else if (json_is_object(node)) {
		const char *key;
		json_t *v;
		json_object_foreach(node, key, v) {
			if (strcmp(key, "FuncCall") == 0 && json_is_object(v))
				add_func(s, json_object_get(v, "funcname"));
			collect_funcs(s, v);
		}
	}
}

/* ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY */
static int detaches_concurrently(json_t *alter)
{
	size_t i;
	json_t *cmd;
	json_array_foreach(json_object_get(alter, "cmds"), i, cmd) {
		json_t *c = json_object_get(cmd, "AlterTableCmd");
		const char *sub = str_field(c, "subtype");
		if (sub && strcmp(sub, "AT_DetachPartition") == 0 &&
		    is_true(json_object_get(json_object_get(c, "def"), "PartitionCmd"), "concurrent"))
			return 1;
	}
	return 0;
}

/* Set s->cls, s->txn, s->flags and s->funcs from the statement's node. */
static void classify(ds_stmt *s, const char *node, json_t *t)
{
	const node_class *k = fixed_class(node);
	s->cls = k ? k->cls : DS_STMT_RUN;

	if (strcmp(node, "TransactionStmt") == 0) {
		s->txn = txn_kind(t, &s->cls);
	} else if (strcmp(node, "VariableSetStmt") == 0) {
		/* SET TRANSACTION ... must come first in a transaction, which the
		 * replayer's own BEGIN is: it belongs to the text's transaction control.
		 * So do the settings that spell it (SET transaction_read_only = on):
		 * a change that left the replayer's transaction read-only would fail
		 * the gate's take(), which writes, and so stop the run. */
		const char *name = str_field(t, "name");
		const char *kind = str_field(t, "kind");
		if (name && ((kind && strcmp(kind, "VAR_SET_MULTI") == 0 &&
			      (strcmp(name, "TRANSACTION") == 0 ||
			       strcmp(name, "SESSION CHARACTERISTICS") == 0 ||
			       strcmp(name, "TRANSACTION SNAPSHOT") == 0)) ||
			     strcmp(name, "transaction_read_only") == 0 ||
			     strcmp(name, "transaction_isolation") == 0 ||
			     strcmp(name, "transaction_deferrable") == 0)) {
			s->cls = DS_STMT_TRANSACTION;
			s->txn = DS_TXN_SETTING;
		}
	} else if (strcmp(node, "SelectStmt") == 0) {
		if (json_object_get(t, "intoClause")) {
			s->cls = DS_STMT_RUN; /* SELECT INTO creates a table */
			return;
		}
		collect_funcs(s, t);
		if (s->flags & DS_STMT_SETS_CONFIG)
			s->cls = DS_STMT_RUN;
	} else if (strcmp(node, "ClusterStmt") == 0) {
		/* CLUSTER t [USING i] marks the clustered index (pg_dump writes it);
		 * CLUSTER alone reorders data only, and cannot run in a block. */
		if (!json_object_get(t, "relation"))
			s->cls = DS_STMT_MAINTENANCE;
	} else if (strcmp(node, "IndexStmt") == 0 || strcmp(node, "DropStmt") == 0) {
		if (is_true(t, "concurrent"))
			s->flags |= DS_STMT_CONCURRENTLY;
	} else if (strcmp(node, "AlterTableStmt") == 0) {
		if (detaches_concurrently(t))
			s->flags |= DS_STMT_CONCURRENTLY;
	} else if (strcmp(node, "AlterEnumStmt") == 0) {
		/* ADD VALUE has newVal only; RENAME VALUE has oldVal too */
		if (str_field(t, "newVal") && !str_field(t, "oldVal"))
			s->flags |= DS_STMT_ADDS_ENUM_VALUE;
	} else if (strcmp(node, "CallStmt") == 0 || strcmp(node, "DoStmt") == 0) {
		s->flags |= DS_STMT_MAY_COMMIT;
	}
}

/* 1-based line and column of a 0-based byte offset. */
static void position(const char *text, size_t offset, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static char *trimmed_copy(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && (isspace((unsigned char)s[len - 1]) || s[len - 1] == ';'))
		len--;
	return ds_xstrndup(s, len);
}

static int add_statement(ds_stmt_list *out, const char *text, size_t textlen, json_t *raw)
{
	json_t *stmt = json_object_get(raw, "stmt");
	json_int_t loc = json_integer_value(json_object_get(raw, "stmt_location"));
	json_int_t len = json_integer_value(json_object_get(raw, "stmt_len"));
	const char *node = NULL;

	if (!json_is_object(stmt) || json_object_size(stmt) != 1)
		return ds_error_setc(DS_EINVALID, "unexpected parse tree from libpg_query");
	node = json_object_iter_key(json_object_iter(stmt));
	if (loc < 0 || (size_t)loc > textlen)
		return ds_error_setc(DS_EINVALID, "statement location out of range");
	if (len <= 0 || (size_t)(loc + len) > textlen)
		len = (json_int_t)(textlen - (size_t)loc);

	ds_stmt *s = &out->items[out->n++];
	s->sql = trimmed_copy(text + loc, (size_t)len);
	classify(s, node, json_object_iter_value(json_object_iter(stmt)));
	const node_class *k = fixed_class(node);
	s->node = k ? k->node : "other";
	if ((s->refused = ds_refuse_check(stmt)))
		s->cls = DS_STMT_REFUSED;
	int col;
	/* The statement's text starts after leading blanks; report that line. */
	size_t start = (size_t)loc;
	while (start < textlen && isspace((unsigned char)text[start]))
		start++;
	position(text, start, &s->line, &col);
	return 0;
}

int ds_stmt_split(ds_stmt_list *out, const char *text)
{
	int rc = 0;
	out->items = NULL;
	out->n = 0;

	PgQueryParseResult parsed = pg_query_parse(text);
	if (parsed.error) {
		int line, col;
		size_t pos = parsed.error->cursorpos > 0 ? (size_t)parsed.error->cursorpos - 1 : 0;
		position(text, pos, &line, &col);
		rc = ds_error_setc(DS_EINVALID, "cannot parse: %s at line %d, column %d",
				   parsed.error->message, line, col);
		pg_query_free_parse_result(parsed);
		return rc;
	}

	json_error_t jerr;
	json_t *root = json_loads(parsed.parse_tree, 0, &jerr);
	pg_query_free_parse_result(parsed);
	if (!root)
		return ds_error_setc(DS_EINVALID, "cannot read libpg_query output: %s", jerr.text);

	json_t *stmts = json_object_get(root, "stmts");
	size_t n = json_is_array(stmts) ? json_array_size(stmts) : 0;
	out->items = ds_xcalloc(n ? n : 1, sizeof *out->items);
	size_t textlen = strlen(text);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_statement(out, text, textlen, json_array_get(stmts, i));
	json_decref(root);
	if (rc)
		ds_stmt_list_free(out);
	return rc;
}

void ds_stmt_list_free(ds_stmt_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		ds_stmt *s = &list->items[i];
		free(s->sql);
		for (size_t f = 0; f < s->nfuncs; f++) {
			free(s->funcs[f].nsp);
			free(s->funcs[f].name);
		}
		free(s->funcs);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

const char *ds_stmt_class_name(ds_stmt_class cls)
{
	switch (cls) {
	case DS_STMT_TRANSACTION:
		return "transaction control";
	case DS_STMT_DML:
		return "DML";
	case DS_STMT_QUERY:
		return "query";
	case DS_STMT_MAINTENANCE:
		return "maintenance";
	case DS_STMT_UNSUPPORTED:
		return "unsupported";
	case DS_STMT_REFUSED:
		return "refused";
	default:
		return "run";
	}
}
