/*
 * table.c - capture tables: ordinary tables, partitioned tables and
 * partitions (all of kind "table"), each as one text holding everything of
 * the table, in an order that executes:
 *
 *   CREATE SEQUENCE ...;                  sequences owned by its columns
 *   CREATE [UNLOGGED] TABLE s.t [OF type] (
 *       columns (table_column.c), in attnum order,
 *       CONSTRAINT name CHECK | UNIQUE | PRIMARY KEY | EXCLUDE ...
 *   ) [INHERITS (parents)] [PARTITION BY ...] [USING method]
 *     [WITH (storage parameters, toast.* ones too)];
 *   ALTER SEQUENCE ... OWNED BY s.t.col;
 *   ALTER TABLE ONLY s.t ALTER COLUMN ...;    what CREATE TABLE cannot say
 *   CREATE INDEX ...;                         indexes not backing a constraint
 *   ALTER TABLE s.t ADD CONSTRAINT ... NOT VALID;
 *   ALTER TABLE ONLY s.parent ATTACH PARTITION s.t FOR VALUES ... | DEFAULT;
 *   ALTER INDEX s.parent_index ATTACH PARTITION s.index;
 *   ALTER TABLE s.t ADD CONSTRAINT ... FOREIGN KEY ...;
 *   ALTER TABLE s.t VALIDATE CONSTRAINT ...;  an inherited one, see table_constraints.sql
 *   ALTER TABLE s.t CLUSTER ON ...; ALTER TABLE ONLY s.t REPLICA IDENTITY ...;
 *   CREATE TRIGGER ...; CREATE RULE ...;      (table_trigger.c)
 *   ALTER TABLE ONLY s.t ENABLE | FORCE ROW LEVEL SECURITY;
 *   CREATE POLICY ...;                        (table_policy.c)
 *
 * Owned sequences come first because a serial column's DEFAULT names its
 * sequence; foreign keys come late, as separate statements, so that a
 * checkout can create every table before any reference between them.
 *
 * Inheritance and partitions follow pg_dump (docs/tables.md). A child is
 * created with INHERITS and writes only its own columns and CHECK
 * constraints, and what may differ from what it copies from its parents. A
 * partition is created alone, with every column and every valid CHECK
 * constraint (ATTACH PARTITION demands them), and attached from its own
 * text: its index-backed constraints, in its CREATE TABLE, are then
 * attached to the parent's rather than duplicated, its other indexes are
 * attached with ALTER INDEX (the parent's are created ON ONLY), and what
 * the parent gives it (foreign keys, triggers, NOT VALID checks) is left to
 * the parent. The parent's text never names its partitions, so adding one
 * changes only the partition's text. The result does not depend on the
 * order in which a checkout runs the statements of different tables, but
 * for one thing: a partition's inherited NOT VALID checks come from the
 * parent's ALTER TABLE, which must run after the ATTACH PARTITION (it does
 * in pg_dump's order, the checkout's).
 *
 * Not captured (listed as skipped by uncaptured.c): tablespaces, which
 * belong to the cluster rather than to the schema.
 */
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"
#include "table_int.h"

typedef struct {
	unsigned long relid;
	const char *schema; /* unquoted */
	const char *name; /* unquoted */
	const char *qualified;
	bool unlogged;
	const char *reloptions; /* "a='1', toast.b='x'" or NULL */
	const char *partition_key; /* pg_get_partkeydef(), for a partitioned table */
	const char *partition_of; /* the parent of a partition, qualified */
	const char *partition_bound; /* "FOR VALUES ..." or "DEFAULT" */
	const char *parents; /* "s.a, s.b": inheritance parents, or NULL */
	const char *of_type; /* the type of a typed table, or NULL */
	const char *access_method; /* NULL for heap */
	char replica_identity; /* 'd' default, 'n' nothing, 'f' full, 'i' index */
	bool row_security;
	bool force_row_security;
	tbl_column *columns;
	size_t ncolumns;
	tbl_constraint *constraints;
	size_t nconstraints;
	tbl_index *indexes;
	size_t nindexes;
	tbl_trigger *triggers;
	size_t ntriggers;
	tbl_rule *rules;
	size_t nrules;
	tbl_policy *policies;
	size_t npolicies;
	const ds_seq **sequences;
	size_t nsequences;
} tbl_table;

/* Everything read from the catalogs; the strings point into the results. */
typedef struct {
	PGresult *tables_res;
	tbl_part columns;
	tbl_part constraints;
	tbl_part indexes;
	tbl_part triggers;
	tbl_part rules;
	tbl_part policies;
	ds_seq_list sequences;
	tbl_table *tables;
	size_t ntables;
} tbl_catalog;

enum {
	T_RELID,
	T_SCHEMA,
	T_NAME,
	T_QUALIFIED,
	T_UNLOGGED,
	T_RELOPTIONS,
	T_PARTITION_KEY,
	T_PARTITION_OF,
	T_PARTITION_BOUND,
	T_PARENTS,
	T_OF_TYPE,
	T_ACCESS_METHOD,
	T_REPLICA_IDENTITY,
	T_ROW_SECURITY,
	T_FORCE_ROW_SECURITY,
	T_NCOLS
};
static const char *const table_columns[T_NCOLS] = {
	"relid",      "schema_name",   "table_name",	   "qualified_name",  "is_unlogged",
	"reloptions", "partition_key", "partition_of",	   "partition_bound", "parents",
	"of_type",    "access_method", "replica_identity", "row_security",    "force_row_security",
};

void tbl_rows_of(const PGresult *res, int col, unsigned long relid, int *begin, int *end)
{
	int lo = 0, hi = PQntuples(res);
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ds_capture_get_oid(res, mid, col) < relid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*begin = lo;
	while (lo < PQntuples(res) && ds_capture_get_oid(res, lo, col) == relid)
		lo++;
	*end = lo;
}

int tbl_part_read(ds_capture_ctx *ctx, tbl_part *part, const char *sql, const char *what,
		  const char *const *names, size_t n)
{
	if (n > sizeof part->idx / sizeof part->idx[0])
		return ds_error_set("reading %s: too many columns", what);
	int rc = ds_capture_query(ctx, &part->res, sql, names, n, part->idx);
	return rc ? ds_error_wrap(rc, "reading %s", what) : 0;
}

/* The sequences owned by t's columns, in the (name) order of the list. */
static void gather_sequences(tbl_table *t, const ds_seq_list *list)
{
	size_t n = 0;
	for (size_t i = 0; i < list->n; i++)
		n += list->items[i].owner_relid == t->relid;
	t->sequences = ds_xcalloc(n, sizeof *t->sequences);
	for (size_t i = 0; i < list->n; i++)
		if (list->items[i].owner_relid == t->relid)
			t->sequences[t->nsequences++] = &list->items[i];
}

static void catalog_free(tbl_catalog *cat)
{
	for (size_t i = 0; i < cat->ntables; i++) {
		tbl_table *t = &cat->tables[i];
		free(t->columns);
		free(t->constraints);
		free(t->indexes);
		free(t->triggers);
		free(t->rules);
		free(t->policies);
		free(t->sequences);
	}
	free(cat->tables);
	PQclear(cat->tables_res);
	PQclear(cat->columns.res);
	PQclear(cat->constraints.res);
	PQclear(cat->indexes.res);
	PQclear(cat->triggers.res);
	PQclear(cat->rules.res);
	PQclear(cat->policies.res);
	ds_capture_sequence_list_free(&cat->sequences);
}

static void gather_table(tbl_table *t, const PGresult *res, int r, const int *idx)
{
	t->relid = ds_capture_get_oid(res, r, idx[T_RELID]);
	t->schema = ds_capture_get(res, r, idx[T_SCHEMA]);
	t->name = ds_capture_get(res, r, idx[T_NAME]);
	t->qualified = ds_capture_get(res, r, idx[T_QUALIFIED]);
	t->unlogged = ds_capture_get_bool(res, r, idx[T_UNLOGGED]);
	t->reloptions = ds_capture_get(res, r, idx[T_RELOPTIONS]);
	t->partition_key = ds_capture_get(res, r, idx[T_PARTITION_KEY]);
	t->partition_of = ds_capture_get(res, r, idx[T_PARTITION_OF]);
	t->partition_bound = ds_capture_get(res, r, idx[T_PARTITION_BOUND]);
	t->parents = ds_capture_get(res, r, idx[T_PARENTS]);
	t->of_type = ds_capture_get(res, r, idx[T_OF_TYPE]);
	t->access_method = ds_capture_get(res, r, idx[T_ACCESS_METHOD]);
	t->replica_identity = tbl_char(ds_capture_get(res, r, idx[T_REPLICA_IDENTITY]));
	t->row_security = ds_capture_get_bool(res, r, idx[T_ROW_SECURITY]);
	t->force_row_security = ds_capture_get_bool(res, r, idx[T_FORCE_ROW_SECURITY]);
}

static int gather(ds_capture_ctx *ctx, tbl_catalog *cat)
{
	int tidx[T_NCOLS];
	int rc = ds_capture_query(ctx, &cat->tables_res, ds_sql_capture_table, table_columns,
				  T_NCOLS, tidx);
	if (rc)
		return ds_error_wrap(rc, "reading tables");
	if ((rc = tbl_column_read(ctx, &cat->columns)) ||
	    (rc = tbl_constraint_read(ctx, &cat->constraints)) ||
	    (rc = tbl_index_read(ctx, &cat->indexes)) ||
	    (rc = tbl_trigger_read(ctx, &cat->triggers, &cat->rules)) ||
	    (rc = tbl_policy_read(ctx, &cat->policies)) ||
	    (rc = ds_capture_sequence_gather(ctx, &cat->sequences)))
		return rc;

	const PGresult *res = cat->tables_res;
	cat->ntables = (size_t)PQntuples(res);
	cat->tables = ds_xcalloc(cat->ntables, sizeof *cat->tables);
	for (int r = 0; r < PQntuples(res); r++) {
		tbl_table *t = &cat->tables[r];
		gather_table(t, res, r, tidx);
		t->ncolumns = tbl_column_of(&cat->columns, t->relid, &t->columns);
		t->nconstraints = tbl_constraint_of(&cat->constraints, t->relid, &t->constraints);
		t->nindexes = tbl_index_of(&cat->indexes, t->relid, &t->indexes);
		t->ntriggers = tbl_trigger_of(&cat->triggers, t->relid, &t->triggers);
		t->nrules = tbl_rule_of(&cat->rules, t->relid, &t->rules);
		t->npolicies = tbl_policy_of(&cat->policies, t->relid, &t->policies);
		gather_sequences(t, &cat->sequences);
	}
	return 0;
}

/*
 * A typed table writes only the columns it says something about (its
 * type gives their names and types), and no parentheses when it says
 * nothing.
 */
static bool column_is_written(const tbl_column *c, bool typed)
{
	if (!typed)
		return c->written;
	return c->expr || c->not_null || c->identity;
}

static int render_create(ds_buf *b, const tbl_table *t)
{
	bool typed = t->of_type != NULL;
	const char *sep = "\n";
	ds_buf body = DS_BUF_INIT;

	for (size_t i = 0; i < t->ncolumns; i++) {
		if (!column_is_written(&t->columns[i], typed))
			continue;
		ds_buf_printf(&body, "%s    ", sep);
		int rc = tbl_column_render(&body, &t->columns[i], typed);
		if (rc) {
			ds_buf_free(&body);
			return rc;
		}
		sep = ",\n";
	}
	tbl_constraint_render_inline(&body, t->constraints, t->nconstraints, &sep);

	ds_buf_printf(b, "CREATE %sTABLE %s", t->unlogged ? "UNLOGGED " : "", t->qualified);
	if (typed)
		ds_buf_printf(b, " OF %s", t->of_type);
	if (!typed || body.len > 0)
		ds_buf_printf(b, " (%s\n)", ds_buf_cstr(&body));
	ds_buf_free(&body);
	if (t->parents)
		ds_buf_printf(b, " INHERITS (%s)", t->parents);
	if (t->partition_key)
		ds_buf_printf(b, " PARTITION BY %s", t->partition_key);
	if (t->access_method)
		ds_buf_printf(b, " USING %s", t->access_method);
	if (t->reloptions)
		ds_buf_printf(b, " WITH (%s)", t->reloptions);
	ds_buf_puts(b, ";\n");
	return 0;
}

static void render_replica_identity(ds_buf *b, const tbl_table *t)
{
	/* USING INDEX is said with the index (tbl_index_render_settings) */
	if (t->replica_identity == 'f')
		ds_buf_printf(b, "ALTER TABLE ONLY %s REPLICA IDENTITY FULL;\n", t->qualified);
	else if (t->replica_identity == 'n')
		ds_buf_printf(b, "ALTER TABLE ONLY %s REPLICA IDENTITY NOTHING;\n", t->qualified);
}

static int render(ds_buf *b, const tbl_table *t)
{
	for (size_t i = 0; i < t->nsequences; i++)
		ds_capture_sequence_render(b, t->sequences[i]);
	int rc = render_create(b, t);
	if (rc)
		return rc;
	for (size_t i = 0; i < t->nsequences; i++)
		ds_buf_printf(b, "ALTER SEQUENCE %s OWNED BY %s;\n", t->sequences[i]->qualified,
			      t->sequences[i]->owner_column);
	rc = tbl_column_render_alters(b, t->columns, t->ncolumns, t->qualified);
	if (rc)
		return rc;
	tbl_index_render_create(b, t->indexes, t->nindexes);
	tbl_constraint_render(b, t->constraints, t->nconstraints, t->qualified, TBL_SEPARATE);
	if (t->partition_of) {
		ds_buf_printf(b, "ALTER TABLE ONLY %s ATTACH PARTITION %s %s;\n", t->partition_of,
			      t->qualified, t->partition_bound);
		tbl_index_render_attach(b, t->indexes, t->nindexes);
	}
	tbl_constraint_render(b, t->constraints, t->nconstraints, t->qualified, TBL_FOREIGN_KEY);
	tbl_constraint_render(b, t->constraints, t->nconstraints, t->qualified, TBL_VALIDATE);
	tbl_index_render_settings(b, t->indexes, t->nindexes, t->qualified);
	render_replica_identity(b, t);
	tbl_trigger_render(b, t->triggers, t->ntriggers, t->qualified);
	tbl_rule_render(b, t->rules, t->nrules, t->qualified);
	if (t->row_security)
		ds_buf_printf(b, "ALTER TABLE ONLY %s ENABLE ROW LEVEL SECURITY;\n", t->qualified);
	if (t->force_row_security)
		ds_buf_printf(b, "ALTER TABLE ONLY %s FORCE ROW LEVEL SECURITY;\n", t->qualified);
	tbl_policy_render(b, t->policies, t->npolicies, t->qualified);
	return 0;
}

int ds_capture_table(ds_capture_ctx *ctx)
{
	tbl_catalog cat = { 0 };
	int rc = gather(ctx, &cat);

	for (size_t i = 0; !rc && i < cat.ntables; i++) {
		const tbl_table *t = &cat.tables[i];
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, t);
		if (rc) {
			ds_buf_free(&b);
			ds_error_wrap(rc, "table %s", t->qualified);
			break;
		}
		ds_capture_object(ctx, &b, "pg_class", t->relid, t->schema, "table", t->name);
	}
	catalog_free(&cat);
	return rc;
}
