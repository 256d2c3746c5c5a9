/*
 * stmt.c - statement splitting and classification with libpg_query.
 *
 * One parse of the whole text gives both the statement boundaries
 * (stmt_location/stmt_len) and each statement's node type. libpg_query
 * returns the tree as JSON; only the top-level node name is read.
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

static const char *const dml_nodes[] = {
	"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt", NULL,
};

/* Node names are kept in static storage so ds_stmt.node outlives the tree. */
static const char *const known_nodes[] = {
	"TransactionStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt",
	"CreateExtensionStmt", "CreateEventTrigStmt", NULL,
};

static ds_stmt_class classify(const char *node)
{
	if (strcmp(node, "TransactionStmt") == 0)
		return DS_STMT_TRANSACTION;
	for (const char *const *d = dml_nodes; *d; d++)
		if (strcmp(node, *d) == 0)
			return DS_STMT_DML;
	return DS_STMT_RUN;
}

static const char *static_node_name(const char *node)
{
	for (const char *const *k = known_nodes; *k; k++)
		if (strcmp(node, *k) == 0)
			return *k;
	return "other";
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
	s->cls = classify(node);
	s->node = static_node_name(node);
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
	out->items = ds_xcalloc(n, sizeof *out->items);
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
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i].sql);
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
	case DS_STMT_REFUSED:
		return "refused";
	default:
		return "run";
	}
}
