/*
 * opclass.c - capture operator classes (kind "operator_class"), named
 * "class USING method":
 *
 *   CREATE OPERATOR CLASS s.c [DEFAULT] FOR TYPE t USING btree FAMILY s.f AS
 *       OPERATOR 1 <(integer,integer),
 *       ...
 *       FUNCTION 1 (integer, integer) btint4cmp(integer,integer)[,
 *       STORAGE t2];
 *
 * The family is always named, so the class never creates one: families
 * are captured on their own (opfamily.c), with the members the access
 * method files under the family rather than the class. Comments follow
 * from attach.c.
 */
#include <stdlib.h>

#include "capture_int.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

typedef struct {
	const char *qualified;
	bool is_default;
	const char *input_type;
	const char *access_method;
	const char *family;
	const char *storage; /* NULL: the input type */
	const char *members; /* "OPERATOR 1 ...,\n    FUNCTION 1 ..." or NULL */
} opclass_info;

enum {
	COL_OID,
	COL_SCHEMA,
	COL_NAME,
	COL_QUALIFIED,
	COL_DEFAULT,
	COL_INPUT_TYPE,
	COL_AM,
	COL_FAMILY,
	COL_STORAGE,
	COL_MEMBERS,
	NCOLS
};
static const char *const columns[NCOLS] = {
	"opcid",      "schema_name",   "object_name", "qualified_name", "is_default",
	"input_type", "access_method", "family",      "storage",	"members",
};

static void render(ds_buf *b, const opclass_info *c)
{
	ds_buf_printf(b, "CREATE OPERATOR CLASS %s%s FOR TYPE %s USING %s FAMILY %s AS\n    ",
		      c->qualified, c->is_default ? " DEFAULT" : "", c->input_type,
		      c->access_method, c->family);
	if (c->members)
		ds_buf_puts(b, c->members);
	/* AS needs one item: STORAGE of the input type is the same as none. */
	if (c->storage || !c->members)
		ds_buf_printf(b, "%sSTORAGE %s", c->members ? ",\n    " : "",
			      c->storage ? c->storage : c->input_type);
	ds_buf_puts(b, ";\n");
}

int ds_capture_opclass(ds_capture_ctx *ctx)
{
	PGresult *res = NULL;
	int idx[NCOLS];
	int rc = ds_capture_query(ctx, &res, ds_sql_capture_opclass, columns, NCOLS, idx);
	if (rc)
		return rc;

	for (int i = 0; i < PQntuples(res); i++) {
		opclass_info c = {
			.qualified = ds_capture_get(res, i, idx[COL_QUALIFIED]),
			.is_default = ds_capture_get_bool(res, i, idx[COL_DEFAULT]),
			.input_type = ds_capture_get(res, i, idx[COL_INPUT_TYPE]),
			.access_method = ds_capture_get(res, i, idx[COL_AM]),
			.family = ds_capture_get(res, i, idx[COL_FAMILY]),
			.storage = ds_capture_get(res, i, idx[COL_STORAGE]),
			.members = ds_capture_get(res, i, idx[COL_MEMBERS]),
		};
		ds_buf b = DS_BUF_INIT;
		render(&b, &c);
		ds_capture_object(ctx, &b, "pg_opclass", ds_capture_get_oid(res, i, idx[COL_OID]),
				  ds_capture_get(res, i, idx[COL_SCHEMA]), "operator_class",
				  ds_capture_get(res, i, idx[COL_NAME]));
	}

	PQclear(res);
	return 0;
}
