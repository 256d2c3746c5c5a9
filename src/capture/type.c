/*
 * type.c - capture enum, composite and range types:
 *
 *   CREATE TYPE s.mood AS ENUM (
 *       'sad',
 *       'happy'
 *   );
 *   CREATE TYPE s.pair AS (
 *       a integer,
 *       b text COLLATE "C"
 *   );
 *   [CREATE TYPE s.r;]
 *   CREATE TYPE s.r AS RANGE (
 *       subtype = integer[,
 *       subtype_opclass = ..., collation = ..., canonical = ...,
 *       subtype_diff = ..., multirange_type_name = ...]
 *   );
 *
 * Enum labels keep their sort order, attributes their position. A range
 * type with a canonical function starts with its shell type: the function
 * takes and returns the range type, so it can only be created between the
 * shell and the range (a checkout runs the statements in dependency order).
 *
 * Not captured (listed as skipped by uncaptured.c): base types, whose
 * input and output functions are C code, and shell types, which are only
 * placeholders. Domains are domain.c's. Comments (of attributes too) and
 * privileges follow the type, from attach.c.
 */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

enum {
	T_OID,
	T_SCHEMA,
	T_NAME,
	T_QUALIFIED,
	T_KIND,
	T_SUBTYPE,
	T_OPCLASS,
	T_COLLATION,
	T_CANONICAL,
	T_SUBTYPE_DIFF,
	T_MULTIRANGE,
	T_NCOLS
};
static const char *const type_columns[T_NCOLS] = {
	"typid",	   "schema_name",	 "type_name",	    "qualified_name",
	"type_kind",	   "range_subtype",	 "range_opclass",   "range_collation",
	"range_canonical", "range_subtype_diff", "multirange_name",
};

enum {
	L_OID,
	L_LABEL,
	L_NCOLS
};
static const char *const label_columns[L_NCOLS] = { "typid", "label" };

enum {
	A_OID,
	A_NAME,
	A_TYPE,
	A_COLLATION,
	A_NCOLS
};
static const char *const attribute_columns[A_NCOLS] = {
	"typid",
	"attribute_name",
	"type_name",
	"collation_name",
};

typedef struct {
	PGresult *types, *labels, *attributes;
	int tidx[T_NCOLS], lidx[L_NCOLS], aidx[A_NCOLS];
} type_catalog;

/*
 * The rows of res (sorted by the typid column) that belong to typid, as
 * [*begin, *end). The label and attribute queries are ordered by typid
 * first so that the rows of one type are found by binary search.
 */
static void rows_of(const PGresult *res, int col, unsigned long typid, int *begin, int *end)
{
	int lo = 0, hi = PQntuples(res);
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ds_capture_get_oid(res, mid, col) < typid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*begin = lo;
	while (lo < PQntuples(res) && ds_capture_get_oid(res, lo, col) == typid)
		lo++;
	*end = lo;
}

static void render_enum(ds_buf *b, const type_catalog *cat, unsigned long typid)
{
	int begin, end;
	rows_of(cat->labels, cat->lidx[L_OID], typid, &begin, &end);
	for (int r = begin; r < end; r++)
		ds_buf_printf(b, "%s    %s", r == begin ? "\n" : ",\n",
			      ds_capture_get(cat->labels, r, cat->lidx[L_LABEL]));
	ds_buf_puts(b, begin < end ? "\n);\n" : ");\n");
}

static void render_composite(ds_buf *b, const type_catalog *cat, unsigned long typid)
{
	const PGresult *res = cat->attributes;
	const int *idx = cat->aidx;
	int begin, end;
	rows_of(res, idx[A_OID], typid, &begin, &end);
	for (int r = begin; r < end; r++) {
		const char *collation = ds_capture_get(res, r, idx[A_COLLATION]);
		ds_buf_printf(b, "%s    %s %s", r == begin ? "\n" : ",\n",
			      ds_capture_get(res, r, idx[A_NAME]),
			      ds_capture_get(res, r, idx[A_TYPE]));
		if (collation)
			ds_buf_printf(b, " COLLATE %s", collation);
	}
	ds_buf_puts(b, begin < end ? "\n);\n" : ");\n");
}

static void render_range(ds_buf *b, const PGresult *res, int r, const int *idx)
{
	static const struct {
		int col;
		const char *option;
	} options[] = {
		{ T_OPCLASS, "subtype_opclass" },
		{ T_COLLATION, "collation" },
		{ T_CANONICAL, "canonical" },
		{ T_SUBTYPE_DIFF, "subtype_diff" },
		{ T_MULTIRANGE, "multirange_type_name" },
	};
	ds_buf_printf(b, "\n    subtype = %s", ds_capture_get(res, r, idx[T_SUBTYPE]));
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
		const char *value = ds_capture_get(res, r, idx[options[i].col]);
		if (value)
			ds_buf_printf(b, ",\n    %s = %s", options[i].option, value);
	}
	ds_buf_puts(b, "\n);\n");
}

static int render(ds_buf *b, const type_catalog *cat, int r)
{
	const PGresult *res = cat->types;
	const int *idx = cat->tidx;
	unsigned long typid = ds_capture_get_oid(res, r, idx[T_OID]);
	const char *qualified = ds_capture_get(res, r, idx[T_QUALIFIED]);
	const char *kind = ds_capture_get(res, r, idx[T_KIND]);

	switch (kind ? kind[0] : '?') {
	case 'e':
		ds_buf_printf(b, "CREATE TYPE %s AS ENUM (", qualified);
		render_enum(b, cat, typid);
		return 0;
	case 'c':
		ds_buf_printf(b, "CREATE TYPE %s AS (", qualified);
		render_composite(b, cat, typid);
		return 0;
	case 'r':
		if (!ds_capture_get(res, r, idx[T_SUBTYPE]))
			return ds_error_set("range type %s: no subtype", qualified);
		if (ds_capture_get(res, r, idx[T_CANONICAL]))
			ds_buf_printf(b, "CREATE TYPE %s;\n", qualified);
		ds_buf_printf(b, "CREATE TYPE %s AS RANGE (", qualified);
		render_range(b, res, r, idx);
		return 0;
	default:
		return ds_error_set("type %s: unexpected kind %s", qualified, kind ? kind : "NULL");
	}
}

static int read_part(ds_capture_ctx *ctx, PGresult **res, const char *sql, const char *what,
		     const char *const *names, size_t n, int *idx)
{
	int rc = ds_capture_query(ctx, res, sql, names, n, idx);
	return rc ? ds_error_wrap(rc, "reading %s", what) : 0;
}

int ds_capture_type(ds_capture_ctx *ctx)
{
	type_catalog cat = { 0 };
	int rc = read_part(ctx, &cat.types, ds_sql_capture_type, "types", type_columns, T_NCOLS,
			   cat.tidx);
	if (!rc)
		rc = read_part(ctx, &cat.labels, ds_sql_capture_type_enum_labels, "enum labels",
			       label_columns, L_NCOLS, cat.lidx);
	if (!rc)
		rc = read_part(ctx, &cat.attributes, ds_sql_capture_type_attributes,
			       "composite type attributes", attribute_columns, A_NCOLS, cat.aidx);

	for (int r = 0; !rc && cat.types && r < PQntuples(cat.types); r++) {
		ds_buf b = DS_BUF_INIT;
		rc = render(&b, &cat, r);
		if (rc) {
			ds_buf_free(&b);
			break;
		}
		ds_capture_object(ctx, &b, "pg_type",
				  ds_capture_get_oid(cat.types, r, cat.tidx[T_OID]),
				  ds_capture_get(cat.types, r, cat.tidx[T_SCHEMA]), "type",
				  ds_capture_get(cat.types, r, cat.tidx[T_NAME]));
	}
	PQclear(cat.types);
	PQclear(cat.labels);
	PQclear(cat.attributes);
	return rc;
}
