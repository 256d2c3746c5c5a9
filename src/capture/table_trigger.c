/*
 * table_trigger.c - the triggers and rules of tables and views
 * (sql/capture/table_triggers.sql, table_rules.sql):
 *
 *   CREATE [CONSTRAINT] TRIGGER name ... ON s.t ... EXECUTE FUNCTION ...;
 *   ALTER TABLE ONLY s.t DISABLE | ENABLE REPLICA | ENABLE ALWAYS TRIGGER name;
 *   CREATE RULE name AS ON ... TO s.t DO ...;
 *   ALTER TABLE s.t DISABLE | ENABLE REPLICA | ENABLE ALWAYS RULE name;
 *
 * The definitions are pg_get_triggerdef()'s and pg_get_ruledef()'s; the
 * enable state, which they do not say, follows when it is not the default.
 * A partition's trigger cloned from its parent is only given its state
 * (ALTER TABLE ... ENABLE TRIGGER): the parent's CREATE TRIGGER makes it,
 * in a state that depends on whether the partition was attached before or
 * after (see table_triggers.sql). ONLY, so that a partitioned table's state
 * never reaches the clones, which say their own.
 */
#include <stdlib.h>

#include "ddlsnap_sql.h"
#include "table_int.h"

enum {
	TG_RELID,
	TG_NAME,
	TG_DEFINITION,
	TG_ENABLED,
	TG_NCOLS
};
static const char *const trigger_columns[TG_NCOLS] = {
	"relid",
	"trigger_name",
	"definition",
	"enabled",
};

enum {
	RU_RELID,
	RU_NAME,
	RU_DEFINITION,
	RU_ENABLED,
	RU_NCOLS
};
static const char *const rule_columns[RU_NCOLS] = {
	"relid",
	"rule_name",
	"definition",
	"enabled",
};

int tbl_trigger_read(ds_capture_ctx *ctx, tbl_part *triggers, tbl_part *rules)
{
	int rc = tbl_part_read(ctx, triggers, ds_sql_capture_table_triggers, "triggers",
			       trigger_columns, TG_NCOLS);
	if (!rc)
		rc = tbl_part_read(ctx, rules, ds_sql_capture_table_rules, "rules", rule_columns,
				   RU_NCOLS);
	return rc;
}

size_t tbl_trigger_of(const tbl_part *part, unsigned long relid, tbl_trigger **out)
{
	const int *idx = part->idx;
	int begin, end;
	tbl_rows_of(part->res, idx[TG_RELID], relid, &begin, &end);
	*out = ds_xcalloc((size_t)(end - begin), sizeof **out);
	for (int r = begin; r < end; r++) {
		tbl_trigger *tg = &(*out)[r - begin];
		tg->name = ds_capture_get(part->res, r, idx[TG_NAME]);
		tg->definition = ds_capture_get(part->res, r, idx[TG_DEFINITION]);
		tg->enabled = tbl_char(ds_capture_get(part->res, r, idx[TG_ENABLED]));
	}
	return (size_t)(end - begin);
}

size_t tbl_rule_of(const tbl_part *part, unsigned long relid, tbl_rule **out)
{
	const int *idx = part->idx;
	int begin, end;
	tbl_rows_of(part->res, idx[RU_RELID], relid, &begin, &end);
	*out = ds_xcalloc((size_t)(end - begin), sizeof **out);
	for (int r = begin; r < end; r++) {
		tbl_rule *ru = &(*out)[r - begin];
		ru->name = ds_capture_get(part->res, r, idx[RU_NAME]);
		ru->definition = ds_capture_get(part->res, r, idx[RU_DEFINITION]);
		ru->enabled = tbl_char(ds_capture_get(part->res, r, idx[RU_ENABLED]));
	}
	return (size_t)(end - begin);
}

/*
 * The ALTER TABLE words for an enable state (tgenabled, ev_enabled): 'O'
 * fires in origin and local sessions (the default), 'D' never, 'R' only in
 * replica sessions, 'A' always.
 */
static const char *enable_words(char state)
{
	switch (state) {
	case 'D':
		return "DISABLE";
	case 'R':
		return "ENABLE REPLICA";
	case 'A':
		return "ENABLE ALWAYS";
	default:
		return "ENABLE";
	}
}

void tbl_trigger_render(ds_buf *b, const tbl_trigger *tg, size_t n, const char *table)
{
	for (size_t i = 0; i < n; i++) {
		bool clone = tg[i].definition == NULL;
		if (!clone)
			ds_buf_printf(b, "%s;\n", tg[i].definition);
		if (clone || tg[i].enabled != 'O')
			ds_buf_printf(b, "ALTER TABLE ONLY %s %s TRIGGER %s;\n", table,
				      enable_words(tg[i].enabled), tg[i].name);
	}
}

void tbl_rule_render(ds_buf *b, const tbl_rule *ru, size_t n, const char *table)
{
	for (size_t i = 0; i < n; i++) {
		ds_buf_printf(b, "%s\n", ru[i].definition);
		if (ru[i].enabled != 'O')
			ds_buf_printf(b, "ALTER TABLE %s %s RULE %s;\n", table,
				      enable_words(ru[i].enabled), ru[i].name);
	}
}
