/*
 * table_int.h - the parts of a table's (or a view's) text, shared by
 * table.c, view.c and the files that read and render one part each:
 *
 *   table_column.c       columns                    table_columns.sql
 *   table_constraint.c   constraints                table_constraints.sql
 *   table_index.c        indexes                    table_indexes.sql
 *   table_trigger.c      triggers and rules         table_triggers.sql, table_rules.sql
 *   table_policy.c       row level security policies table_policies.sql
 *
 * Each part is read for the whole database in one query ordered by the
 * relation's OID first; tbl_<part>_of() then copies out the rows of one
 * relation (the strings still point into the query result), and the render
 * functions turn them into statements. Private to src/capture/.
 */
#ifndef DDLSNAP_TABLE_INT_H
#define DDLSNAP_TABLE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "capture_int.h"
#include "ddlsnap/buf.h"

/**
 * The rows of res that belong to relid, as [*begin, *end). res must be
 * ordered by its relid column (column number col) first.
 */
void tbl_rows_of(const PGresult *res, int col, unsigned long relid, int *begin, int *end);

/** One query of a part, run for the whole database, and its column numbers. */
typedef struct {
	PGresult *res;
	int idx[32];
} tbl_part;

/**
 * Run a part's query (see ds_capture_query) into part; what names the part
 * in an error message ("constraints").
 */
int tbl_part_read(ds_capture_ctx *ctx, tbl_part *part, const char *sql, const char *what,
		  const char *const *names, size_t n);

/** pg's "char" columns (identity, enable states...): '\0' for NULL or "". */
static inline char tbl_char(const char *s)
{
	return s ? s[0] : '\0';
}

/*
 * Columns (table_column.c), in attnum order. A column a table has only from
 * its inheritance parents is not written in its CREATE TABLE (INHERITS
 * makes it); what differs from what it inherits is said by ALTER TABLE.
 */
typedef struct {
	const char *name; /* quoted where needed */
	const char *type; /* format_type() */
	const char *collation; /* NULL when the type's default */
	char identity; /* 'a' ALWAYS, 'd' BY DEFAULT, '\0' none */
	char generated; /* 's' stored generated column, '\0' none */
	const char *expr; /* the default or the generation expression */
	bool not_null;
	bool written; /* in the CREATE TABLE: local, or of a partition */
	const char *storage; /* SET STORAGE to write, or NULL */
	const char *compression; /* SET COMPRESSION to write, or NULL */
	const char *stat_target; /* SET STATISTICS to write, or NULL */
	const char *options; /* "n_distinct='5'", or NULL */
	bool drop_default; /* none, where CREATE TABLE ... INHERITS may copy one */
	const char *not_null_alter; /* "SET NOT NULL", "DROP NOT NULL" or NULL */
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

int tbl_column_read(ds_capture_ctx *ctx, tbl_part *part);
size_t tbl_column_of(const tbl_part *part, unsigned long relid, tbl_column **out);

/**
 * The column's line in CREATE TABLE (after the indentation), or for a typed
 * table (CREATE TABLE ... OF type) its options only.
 * @return 0, or DS_ERROR when an identity column's sequence is missing
 */
int tbl_column_render(ds_buf *b, const tbl_column *c, bool typed);

/** The ALTER TABLE ONLY ... ALTER COLUMN statements of the columns. */
int tbl_column_render_alters(ds_buf *b, const tbl_column *c, size_t n, const char *table);

/*
 * Constraints (table_constraint.c). A table's CHECK, PRIMARY KEY, UNIQUE
 * and EXCLUDE constraints are written inside its CREATE TABLE; NOT VALID
 * ones and foreign keys after it, and some inherited ones are validated.
 */
typedef enum {
	TBL_INLINE, /* CONSTRAINT ... inside CREATE TABLE */
	TBL_SEPARATE, /* ALTER TABLE ... ADD CONSTRAINT ... NOT VALID */
	TBL_FOREIGN_KEY, /* ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY */
	TBL_VALIDATE, /* ALTER TABLE ... VALIDATE CONSTRAINT, of an inherited one */
} tbl_placement;

typedef struct {
	const char *name; /* quoted where needed */
	const char *definition;
	tbl_placement placement;
} tbl_constraint;

int tbl_constraint_read(ds_capture_ctx *ctx, tbl_part *part);
size_t tbl_constraint_of(const tbl_part *part, unsigned long relid, tbl_constraint **out);

/** The "CONSTRAINT name definition" lines of a CREATE TABLE, each after *sep. */
void tbl_constraint_render_inline(ds_buf *b, const tbl_constraint *k, size_t n, const char **sep);

/** The ALTER TABLE statements of the constraints placed so. */
void tbl_constraint_render(ds_buf *b, const tbl_constraint *k, size_t n, const char *table,
			   tbl_placement placement);

/*
 * Indexes (table_index.c), those backing a constraint included: their
 * clustering, replica identity and attachment are said by ALTER.
 */
typedef struct {
	const char *name; /* unqualified, quoted where needed */
	const char *qualified;
	const char *definition;
	const char *attached_to; /* qualified partitioned index, or NULL */
	const char *column_statistics; /* "attnum target,..." or NULL */
	bool is_constraint;
	bool clustered;
	bool replica_identity;
} tbl_index;

int tbl_index_read(ds_capture_ctx *ctx, tbl_part *part);
size_t tbl_index_of(const tbl_part *part, unsigned long relid, tbl_index **out);

/** CREATE INDEX (not for constraint indexes) and ALTER INDEX ... SET STATISTICS. */
void tbl_index_render_create(ds_buf *b, const tbl_index *ix, size_t n);

/** ALTER INDEX parent ATTACH PARTITION ix, for a partition's indexes. */
void tbl_index_render_attach(ds_buf *b, const tbl_index *ix, size_t n);

/** ALTER TABLE ... CLUSTER ON and REPLICA IDENTITY USING INDEX. */
void tbl_index_render_settings(ds_buf *b, const tbl_index *ix, size_t n, const char *table);

/*
 * Triggers and rules (table_trigger.c), of tables and views. A trigger a
 * partition has from its partitioned parent is made by the parent's CREATE
 * TRIGGER; it is listed only when its enable state differs.
 */
typedef struct {
	const char *name; /* quoted where needed */
	const char *definition; /* CREATE TRIGGER ...; NULL for a cloned trigger */
	char enabled; /* pg_trigger.tgenabled */
} tbl_trigger;

typedef struct {
	const char *name; /* quoted where needed */
	const char *definition; /* CREATE RULE ...; (pg_get_ruledef) */
	char enabled; /* pg_rewrite.ev_enabled */
} tbl_rule;

int tbl_trigger_read(ds_capture_ctx *ctx, tbl_part *triggers, tbl_part *rules);
size_t tbl_trigger_of(const tbl_part *part, unsigned long relid, tbl_trigger **out);
size_t tbl_rule_of(const tbl_part *part, unsigned long relid, tbl_rule **out);
void tbl_trigger_render(ds_buf *b, const tbl_trigger *tg, size_t n, const char *table);
void tbl_rule_render(ds_buf *b, const tbl_rule *ru, size_t n, const char *table);

/* Row level security policies (table_policy.c). */
typedef struct {
	const char *name; /* quoted where needed */
	bool permissive;
	const char *command; /* SELECT, INSERT, UPDATE, DELETE or NULL (ALL) */
	const char *roles; /* "a, b" or NULL for PUBLIC alone */
	const char *using_expr;
	const char *check_expr;
} tbl_policy;

int tbl_policy_read(ds_capture_ctx *ctx, tbl_part *part);
size_t tbl_policy_of(const tbl_part *part, unsigned long relid, tbl_policy **out);
void tbl_policy_render(ds_buf *b, const tbl_policy *po, size_t n, const char *table);

#endif
