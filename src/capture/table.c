/*
 * table.c - capture ordinary tables, one text holding everything of the
 * table, in an order that executes:
 *
 *   CREATE SEQUENCE ...;                  sequences owned by its columns
 *   CREATE [UNLOGGED] TABLE s.t (
 *       col type [COLLATE c] [GENERATED ... AS IDENTITY [(options)]]
 *           [GENERATED ALWAYS AS (expr) STORED] [DEFAULT expr] [NOT NULL],
 *       CONSTRAINT name CHECK|UNIQUE|PRIMARY KEY|EXCLUDE ...
 *   ) [WITH (storage parameters)];
 *   ALTER SEQUENCE ... OWNED BY s.t.col;
 *   CREATE [UNIQUE] INDEX ...;             indexes not backing a constraint
 *   ALTER TABLE s.t ADD CONSTRAINT ...;    foreign keys and NOT VALID ones
 *
 * Owned sequences come first because a serial column's DEFAULT names its
 * sequence; foreign keys come last, as separate statements, so that a
 * checkout can create every table before any reference between them.
 * Columns are in attnum order, constraints and indexes by name.
 *
 * Not captured yet (listed as skipped by uncaptured.c): partitioned tables
 * and partitions, inheritance (a child table is captured without its
 * parents), triggers, rules, policies and row level security, and the
 * settings the CREATE TABLE above cannot say (replica
 * identity, CLUSTER ON, tablespaces, column storage and statistics...).
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

typedef struct {
	const char *name; /* quoted where needed */
	const char *type; /* format_type() */
	const char *collation; /* NULL when the type's default */
	char identity; /* 'a' ALWAYS, 'd' BY DEFAULT, '\0' none */
	char generated; /* 's' stored generated column, '\0' none */
	const char *expr; /* the default or the generation expression */
	bool not_null;
	/* identity sequence, when identity is set */
	const char *seq_name;
	bool seq_name_is_default;
	const char *seq_type;
	const char *seq_start;
	const char *seq_increment;
	const char *seq_min;
	const char *seq_max;
	const char *seq_cache;
	bool seq_cycle;
} tbl_column;

typedef struct {
	const char *name; /* quoted where needed */
	const char *definition;
	bool separate; /* written as ALTER TABLE after the CREATE TABLE */
} tbl_constraint;

typedef struct {
	unsigned long relid;
	const char *schema; /* unquoted */
	const char *name; /* unquoted */
	const char *qualified;
	bool unlogged;
	const char *reloptions; /* "a='1', b='x'" or NULL */
	tbl_column *columns;
	size_t ncolumns;
	tbl_constraint *constraints;
	size_t nconstraints;
	const char **indexes;
	size_t nindexes;
	const ds_seq **sequences;
	size_t nsequences;
} tbl_table;

/* Everything read from the catalogs; the strings point into the results. */
typedef struct {
	PGresult *tables_res;
	PGresult *columns_res;
	PGresult *constraints_res;
	PGresult *indexes_res;
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
	T_NCOLS
};
static const char *const table_columns[T_NCOLS] = {
	"relid", "schema_name", "table_name", "qualified_name", "is_unlogged", "reloptions",
};

enum {
	C_RELID,
	C_NAME,
	C_TYPE,
	C_COLLATION,
	C_IDENTITY,
	C_GENERATED,
	C_EXPR,
	C_NOT_NULL,
	C_SEQ_NAME,
	C_SEQ_NAME_IS_DEFAULT,
	C_SEQ_TYPE,
	C_SEQ_START,
	C_SEQ_INCREMENT,
	C_SEQ_MIN,
	C_SEQ_MAX,
	C_SEQ_CACHE,
	C_SEQ_CYCLE,
	C_NCOLS
};
static const char *const column_columns[C_NCOLS] = {
	"relid",     "column_name",  "type_name",     "collation_name", "identity",
	"generated", "default_expr", "not_null",      "seq_name",	"seq_name_is_default",
	"seq_type",  "seq_start",    "seq_increment", "seq_min",	"seq_max",
	"seq_cache", "seq_cycle",
};

enum {
	K_RELID,
	K_NAME,
	K_DEFINITION,
	K_SEPARATE,
	K_NCOLS
};
static const char *const constraint_columns[K_NCOLS] = {
	"relid",
	"constraint_name",
	"definition",
	"is_separate",
};

enum {
	I_RELID,
	I_DEFINITION,
	I_NCOLS
};
static const char *const index_columns[I_NCOLS] = { "relid", "definition" };

/*
 * The rows of res (sorted by the relid column) that belong to relid, as
 * [*begin, *end). Every table_*.sql query is ordered by relid first so that
 * the rows of one table are found by binary search.
 */
static void rows_of(const PGresult *res, int col, unsigned long relid, int *begin, int *end)
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

static char first_char(const char *s)
{
	return s ? s[0] : '\0';
}

static void gather_columns(tbl_table *t, const PGresult *res, const int *idx)
{
	int begin, end;
	rows_of(res, idx[C_RELID], t->relid, &begin, &end);
	t->ncolumns = (size_t)(end - begin);
	t->columns = ds_xcalloc(t->ncolumns, sizeof *t->columns);
	for (int r = begin; r < end; r++) {
		tbl_column *c = &t->columns[r - begin];
		c->name = ds_capture_get(res, r, idx[C_NAME]);
		c->type = ds_capture_get(res, r, idx[C_TYPE]);
		c->collation = ds_capture_get(res, r, idx[C_COLLATION]);
		c->identity = first_char(ds_capture_get(res, r, idx[C_IDENTITY]));
		c->generated = first_char(ds_capture_get(res, r, idx[C_GENERATED]));
		c->expr = ds_capture_get(res, r, idx[C_EXPR]);
		c->not_null = ds_capture_get_bool(res, r, idx[C_NOT_NULL]);
		c->seq_name = ds_capture_get(res, r, idx[C_SEQ_NAME]);
		c->seq_name_is_default = ds_capture_get_bool(res, r, idx[C_SEQ_NAME_IS_DEFAULT]);
		c->seq_type = ds_capture_get(res, r, idx[C_SEQ_TYPE]);
		c->seq_start = ds_capture_get(res, r, idx[C_SEQ_START]);
		c->seq_increment = ds_capture_get(res, r, idx[C_SEQ_INCREMENT]);
		c->seq_min = ds_capture_get(res, r, idx[C_SEQ_MIN]);
		c->seq_max = ds_capture_get(res, r, idx[C_SEQ_MAX]);
		c->seq_cache = ds_capture_get(res, r, idx[C_SEQ_CACHE]);
		c->seq_cycle = ds_capture_get_bool(res, r, idx[C_SEQ_CYCLE]);
	}
}

static void gather_constraints(tbl_table *t, const PGresult *res, const int *idx)
{
	int begin, end;
	rows_of(res, idx[K_RELID], t->relid, &begin, &end);
	t->nconstraints = (size_t)(end - begin);
	t->constraints = ds_xcalloc(t->nconstraints, sizeof *t->constraints);
	for (int r = begin; r < end; r++) {
		tbl_constraint *k = &t->constraints[r - begin];
		k->name = ds_capture_get(res, r, idx[K_NAME]);
		k->definition = ds_capture_get(res, r, idx[K_DEFINITION]);
		k->separate = ds_capture_get_bool(res, r, idx[K_SEPARATE]);
	}
}

static void gather_indexes(tbl_table *t, const PGresult *res, const int *idx)
{
	int begin, end;
	rows_of(res, idx[I_RELID], t->relid, &begin, &end);
	t->nindexes = (size_t)(end - begin);
	t->indexes = ds_xcalloc(t->nindexes, sizeof *t->indexes);
	for (int r = begin; r < end; r++)
		t->indexes[r - begin] = ds_capture_get(res, r, idx[I_DEFINITION]);
}

/* The sequences owned by t's columns, in the (name) order of the list. */
static bool owned_by(const ds_seq *s, const tbl_table *t)
{
	return s->owner_relid == t->relid;
}

static void gather_sequences(tbl_table *t, const ds_seq_list *list)
{
	size_t n = 0;
	for (size_t i = 0; i < list->n; i++)
		n += owned_by(&list->items[i], t);
	t->sequences = ds_xcalloc(n, sizeof *t->sequences);
	for (size_t i = 0; i < list->n; i++)
		if (owned_by(&list->items[i], t))
			t->sequences[t->nsequences++] = &list->items[i];
}

static void catalog_free(tbl_catalog *cat)
{
	for (size_t i = 0; i < cat->ntables; i++) {
		free(cat->tables[i].columns);
		free(cat->tables[i].constraints);
		free(cat->tables[i].indexes);
		free(cat->tables[i].sequences);
	}
	free(cat->tables);
	PQclear(cat->tables_res);
	PQclear(cat->columns_res);
	PQclear(cat->constraints_res);
	PQclear(cat->indexes_res);
	ds_capture_sequence_list_free(&cat->sequences);
}

/* Run one of the table queries and check it has the columns its reader uses. */
static int read_part(ds_capture_ctx *ctx, PGresult **res, const char *sql, const char *what,
		     const char *const *names, size_t n, int *idx)
{
	int rc = ds_capture_query(ctx, res, sql, names, n, idx);
	return rc ? ds_error_wrap(rc, "reading %s", what) : 0;
}

static int gather(ds_capture_ctx *ctx, tbl_catalog *cat)
{
	int tidx[T_NCOLS], cidx[C_NCOLS], kidx[K_NCOLS], iidx[I_NCOLS];
	int rc;

	if ((rc = read_part(ctx, &cat->tables_res, ds_sql_capture_table, "tables", table_columns,
			    T_NCOLS, tidx)) ||
	    (rc = read_part(ctx, &cat->columns_res, ds_sql_capture_table_columns, "columns",
			    column_columns, C_NCOLS, cidx)) ||
	    (rc = read_part(ctx, &cat->constraints_res, ds_sql_capture_table_constraints,
			    "constraints", constraint_columns, K_NCOLS, kidx)) ||
	    (rc = read_part(ctx, &cat->indexes_res, ds_sql_capture_table_indexes, "indexes",
			    index_columns, I_NCOLS, iidx)) ||
	    (rc = ds_capture_sequence_gather(ctx, &cat->sequences)))
		return rc;

	const PGresult *res = cat->tables_res;
	cat->ntables = (size_t)PQntuples(res);
	cat->tables = ds_xcalloc(cat->ntables, sizeof *cat->tables);
	for (int r = 0; r < PQntuples(res); r++) {
		tbl_table *t = &cat->tables[r];
		t->relid = ds_capture_get_oid(res, r, tidx[T_RELID]);
		t->schema = ds_capture_get(res, r, tidx[T_SCHEMA]);
		t->name = ds_capture_get(res, r, tidx[T_NAME]);
		t->qualified = ds_capture_get(res, r, tidx[T_QUALIFIED]);
		t->unlogged = ds_capture_get_bool(res, r, tidx[T_UNLOGGED]);
		t->reloptions = ds_capture_get(res, r, tidx[T_RELOPTIONS]);
		gather_columns(t, cat->columns_res, cidx);
		gather_constraints(t, cat->constraints_res, kidx);
		gather_indexes(t, cat->indexes_res, iidx);
		gather_sequences(t, &cat->sequences);
	}
	return 0;
}

/* Bounds of the integer types a sequence can have. */
static bool type_bounds(const char *type, long long *min, long long *max)
{
	if (strcmp(type, "smallint") == 0) {
		*min = -32768;
		*max = 32767;
	} else if (strcmp(type, "integer") == 0) {
		*min = -2147483647LL - 1;
		*max = 2147483647;
	} else if (strcmp(type, "bigint") == 0) {
		*min = -9223372036854775807LL - 1;
		*max = 9223372036854775807LL;
	} else {
		return false;
	}
	return true;
}

/*
 * The options of an identity column's sequence that differ from what
 * PostgreSQL would choose for "GENERATED ... AS IDENTITY" alone, so the
 * common case stays short and the rare one still round-trips. The defaults
 * are those of CREATE SEQUENCE: an ascending sequence runs from 1 to the
 * type's maximum, a descending one from -1 down to its minimum, and starts
 * at its MINVALUE (ascending) or MAXVALUE (descending).
 */
static int render_identity_options(ds_buf *b, const tbl_column *c)
{
	long long tmin, tmax;
	if (!c->seq_name || !c->seq_type || !c->seq_start || !c->seq_increment || !c->seq_min ||
	    !c->seq_max || !c->seq_cache || !type_bounds(c->seq_type, &tmin, &tmax))
		return ds_error_set("column %s: identity sequence not found", c->name);

	long long start = strtoll(c->seq_start, NULL, 10);
	long long increment = strtoll(c->seq_increment, NULL, 10);
	long long min = strtoll(c->seq_min, NULL, 10);
	long long max = strtoll(c->seq_max, NULL, 10);
	long long cache = strtoll(c->seq_cache, NULL, 10);
	bool ascending = increment > 0;
	ds_buf opts = DS_BUF_INIT;

	if (!c->seq_name_is_default)
		ds_buf_printf(&opts, " SEQUENCE NAME %s", c->seq_name);
	if (start != (ascending ? min : max))
		ds_buf_printf(&opts, " START WITH %s", c->seq_start);
	if (increment != 1)
		ds_buf_printf(&opts, " INCREMENT BY %s", c->seq_increment);
	if (min != (ascending ? 1 : tmin))
		ds_buf_printf(&opts, " MINVALUE %s", c->seq_min);
	if (max != (ascending ? tmax : -1))
		ds_buf_printf(&opts, " MAXVALUE %s", c->seq_max);
	if (cache != 1)
		ds_buf_printf(&opts, " CACHE %s", c->seq_cache);
	if (c->seq_cycle)
		ds_buf_puts(&opts, " CYCLE");
	if (opts.len)
		ds_buf_printf(b, " (%s)", ds_buf_cstr(&opts) + 1);
	ds_buf_free(&opts);
	return 0;
}

static int render_column(ds_buf *b, const tbl_column *c)
{
	ds_buf_printf(b, "    %s %s", c->name, c->type);
	if (c->collation)
		ds_buf_printf(b, " COLLATE %s", c->collation);
	if (c->identity) {
		ds_buf_puts(b, c->identity == 'a' ? " GENERATED ALWAYS AS IDENTITY" :
						    " GENERATED BY DEFAULT AS IDENTITY");
		int rc = render_identity_options(b, c);
		if (rc)
			return rc;
	}
	if (c->generated && c->expr)
		ds_buf_printf(b, " GENERATED ALWAYS AS (%s) STORED", c->expr);
	else if (c->expr)
		ds_buf_printf(b, " DEFAULT %s", c->expr);
	if (c->not_null)
		ds_buf_puts(b, " NOT NULL");
	return 0;
}

static int render(ds_buf *b, const tbl_table *t)
{
	const char *sep = "\n";

	for (size_t i = 0; i < t->nsequences; i++)
		ds_capture_sequence_render(b, t->sequences[i]);

	ds_buf_printf(b, "CREATE %sTABLE %s (", t->unlogged ? "UNLOGGED " : "", t->qualified);
	for (size_t i = 0; i < t->ncolumns; i++) {
		ds_buf_puts(b, sep);
		int rc = render_column(b, &t->columns[i]);
		if (rc)
			return rc;
		sep = ",\n";
	}
	for (size_t i = 0; i < t->nconstraints; i++) {
		const tbl_constraint *k = &t->constraints[i];
		if (k->separate)
			continue;
		ds_buf_printf(b, "%s    CONSTRAINT %s %s", sep, k->name, k->definition);
		sep = ",\n";
	}
	ds_buf_puts(b, "\n)");
	if (t->reloptions)
		ds_buf_printf(b, " WITH (%s)", t->reloptions);
	ds_buf_puts(b, ";\n");

	for (size_t i = 0; i < t->nsequences; i++)
		ds_buf_printf(b, "ALTER SEQUENCE %s OWNED BY %s;\n", t->sequences[i]->qualified,
			      t->sequences[i]->owner_column);
	for (size_t i = 0; i < t->nindexes; i++)
		ds_buf_printf(b, "%s;\n", t->indexes[i]);
	for (size_t i = 0; i < t->nconstraints; i++) {
		const tbl_constraint *k = &t->constraints[i];
		if (k->separate)
			ds_buf_printf(b, "ALTER TABLE %s ADD CONSTRAINT %s %s;\n", t->qualified,
				      k->name, k->definition);
	}
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
		ds_capture_attach(ctx, &b, "pg_class", t->relid);
		ds_capture_add(ctx->out, t->schema, "table", t->name, ds_buf_detach(&b));
	}
	catalog_free(&cat);
	return rc;
}
