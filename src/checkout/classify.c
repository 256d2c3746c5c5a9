/*
 * classify.c - the ordering of a checkout: which phase and step a statement
 * belongs to, read from its parse tree (see checkout.h, docs/checkout.md).
 *
 * Two tables drive it. steps[] lists every step in the order they run,
 * each in its phase; pg_dump's order (pg_dump_sort.c) was the model. rules[]
 * maps a parse node (and, for the nodes that several kinds share, one field
 * of it) to a step. ALTER TABLE, whose commands go to very different places,
 * and ALTER SEQUENCE, which only sometimes names a table, have a function
 * each. A statement no rule knows is refused: a snapshot holds DDL of one
 * database, never transactions, data, roles, databases or code to run.
 */
#include <jansson.h>
#include <pg_query.h>
#include <string.h>

#include "checkout_int.h"
#include "ddlsnap/error.h"

enum step {
	/* schemas */
	S_SCHEMA,
	/* extensions */
	S_EXTENSION,
	S_LANGUAGE,
	/* definitions */
	S_COLLATION,
	S_TYPE,
	S_DOMAIN,
	S_FDW,
	S_SERVER,
	S_USER_MAPPING,
	S_FUNCTION,
	S_AGGREGATE,
	S_OPERATOR,
	S_ACCESS_METHOD,
	S_OPCLASS,
	S_CAST,
	S_CONVERSION,
	S_TYPE_ALTER,
	S_DOMAIN_CONSTRAINT,
	S_TEXT_SEARCH,
	S_TEXT_SEARCH_MAPPING,
	S_SEQUENCE,
	S_TABLE,
	S_FOREIGN_TABLE,
	S_TABLE_ALTER,
	S_SEQUENCE_OWNED_BY,
	S_ATTACH_PARTITION,
	S_VIEW,
	S_VIEW_ALTER,
	S_MATVIEW,
	/* post-data */
	S_INDEX,
	S_INDEX_ALTER,
	S_CONSTRAINT,
	S_ATTACH_INDEX,
	S_INDEX_USE,
	S_FOREIGN_KEY,
	S_TRIGGER,
	S_TRIGGER_STATE,
	S_RULE,
	S_RULE_STATE,
	S_POLICY,
	S_ROW_SECURITY,
	S_STATISTICS,
	S_PUBLICATION,
	S_PUBLICATION_MEMBERS,
	/* decorations */
	S_OWNER,
	S_COMMENT,
	S_SECURITY_LABEL,
	S_PRIVILEGES,
	S_DEFAULT_PRIVILEGES,
	/* event triggers */
	S_EVENT_TRIGGER,
	S_EVENT_TRIGGER_STATE,
	S_EVENT_TRIGGER_OWNER,
	S_EVENT_TRIGGER_COMMENT,
	S_COUNT
};

static const struct {
	ds_checkout_phase phase;
	const char *what;
} steps[S_COUNT] = {
	[S_SCHEMA] = { DS_PHASE_SCHEMAS, "schema" },
	[S_EXTENSION] = { DS_PHASE_EXTENSIONS, "extension" },
	[S_LANGUAGE] = { DS_PHASE_EXTENSIONS, "procedural language" },
	[S_COLLATION] = { DS_PHASE_DEFINITIONS, "collation" },
	[S_TYPE] = { DS_PHASE_DEFINITIONS, "type" },
	[S_DOMAIN] = { DS_PHASE_DEFINITIONS, "domain" },
	[S_FDW] = { DS_PHASE_DEFINITIONS, "foreign-data wrapper" },
	[S_SERVER] = { DS_PHASE_DEFINITIONS, "foreign server" },
	[S_USER_MAPPING] = { DS_PHASE_DEFINITIONS, "user mapping" },
	[S_FUNCTION] = { DS_PHASE_DEFINITIONS, "function" },
	[S_AGGREGATE] = { DS_PHASE_DEFINITIONS, "aggregate" },
	[S_OPERATOR] = { DS_PHASE_DEFINITIONS, "operator" },
	[S_ACCESS_METHOD] = { DS_PHASE_DEFINITIONS, "access method" },
	[S_OPCLASS] = { DS_PHASE_DEFINITIONS, "operator class or family" },
	[S_CAST] = { DS_PHASE_DEFINITIONS, "cast or transform" },
	[S_CONVERSION] = { DS_PHASE_DEFINITIONS, "conversion" },
	[S_TYPE_ALTER] = { DS_PHASE_DEFINITIONS, "type change" },
	[S_DOMAIN_CONSTRAINT] = { DS_PHASE_DEFINITIONS, "domain constraint" },
	[S_TEXT_SEARCH] = { DS_PHASE_DEFINITIONS, "text search object" },
	[S_TEXT_SEARCH_MAPPING] = { DS_PHASE_DEFINITIONS, "text search mapping" },
	[S_SEQUENCE] = { DS_PHASE_DEFINITIONS, "sequence" },
	[S_TABLE] = { DS_PHASE_DEFINITIONS, "table" },
	[S_FOREIGN_TABLE] = { DS_PHASE_DEFINITIONS, "foreign table" },
	[S_TABLE_ALTER] = { DS_PHASE_DEFINITIONS, "table change" },
	[S_SEQUENCE_OWNED_BY] = { DS_PHASE_DEFINITIONS, "sequence owned by" },
	[S_ATTACH_PARTITION] = { DS_PHASE_DEFINITIONS, "partition attached" },
	[S_VIEW] = { DS_PHASE_DEFINITIONS, "view" },
	[S_VIEW_ALTER] = { DS_PHASE_DEFINITIONS, "view change" },
	[S_MATVIEW] = { DS_PHASE_DEFINITIONS, "materialized view" },
	[S_INDEX] = { DS_PHASE_POST_DATA, "index" },
	[S_INDEX_ALTER] = { DS_PHASE_POST_DATA, "index change" },
	[S_CONSTRAINT] = { DS_PHASE_POST_DATA, "constraint" },
	[S_ATTACH_INDEX] = { DS_PHASE_POST_DATA, "index attached" },
	[S_INDEX_USE] = { DS_PHASE_POST_DATA, "replica identity or cluster" },
	[S_FOREIGN_KEY] = { DS_PHASE_POST_DATA, "foreign key" },
	[S_TRIGGER] = { DS_PHASE_POST_DATA, "trigger" },
	[S_TRIGGER_STATE] = { DS_PHASE_POST_DATA, "trigger enabled or disabled" },
	[S_RULE] = { DS_PHASE_POST_DATA, "rule" },
	[S_RULE_STATE] = { DS_PHASE_POST_DATA, "rule enabled or disabled" },
	[S_POLICY] = { DS_PHASE_POST_DATA, "policy" },
	[S_ROW_SECURITY] = { DS_PHASE_POST_DATA, "row level security" },
	[S_STATISTICS] = { DS_PHASE_POST_DATA, "statistics" },
	[S_PUBLICATION] = { DS_PHASE_POST_DATA, "publication" },
	[S_PUBLICATION_MEMBERS] = { DS_PHASE_POST_DATA, "publication members" },
	[S_OWNER] = { DS_PHASE_DECORATIONS, "owner" },
	[S_COMMENT] = { DS_PHASE_DECORATIONS, "comment" },
	[S_SECURITY_LABEL] = { DS_PHASE_DECORATIONS, "security label" },
	[S_PRIVILEGES] = { DS_PHASE_DECORATIONS, "privileges" },
	[S_DEFAULT_PRIVILEGES] = { DS_PHASE_DECORATIONS, "default privileges" },
	[S_EVENT_TRIGGER] = { DS_PHASE_EVENT_TRIGGERS, "event trigger" },
	[S_EVENT_TRIGGER_STATE] = { DS_PHASE_EVENT_TRIGGERS, "event trigger enabled or disabled" },
	[S_EVENT_TRIGGER_OWNER] = { DS_PHASE_EVENT_TRIGGERS, "event trigger owner" },
	[S_EVENT_TRIGGER_COMMENT] = { DS_PHASE_EVENT_TRIGGERS, "event trigger comment" },
};

/*
 * node: the parse node; field/value: when field is not NULL, the rule
 * applies only when the node's field has that value (DefineStmt serves
 * aggregates, operators, base types, collations and text search objects).
 * The first matching rule wins, so a node's specific rules come before its
 * catch-all.
 */
static const struct {
	const char *node;
	const char *field;
	const char *value;
	enum step step;
} rules[] = {
	{ "CreateSchemaStmt", NULL, NULL, S_SCHEMA },
	{ "CreateExtensionStmt", NULL, NULL, S_EXTENSION },
	{ "AlterExtensionStmt", NULL, NULL, S_EXTENSION },
	{ "CreatePLangStmt", NULL, NULL, S_LANGUAGE },
	{ "DefineStmt", "kind", "OBJECT_COLLATION", S_COLLATION },
	{ "DefineStmt", "kind", "OBJECT_TYPE", S_TYPE },
	{ "CreateEnumStmt", NULL, NULL, S_TYPE },
	{ "CreateRangeStmt", NULL, NULL, S_TYPE },
	{ "CompositeTypeStmt", NULL, NULL, S_TYPE },
	{ "AlterEnumStmt", NULL, NULL, S_TYPE },
	{ "CreateDomainStmt", NULL, NULL, S_DOMAIN },
	{ "CreateFdwStmt", NULL, NULL, S_FDW },
	{ "AlterFdwStmt", NULL, NULL, S_FDW },
	{ "CreateForeignServerStmt", NULL, NULL, S_SERVER },
	{ "AlterForeignServerStmt", NULL, NULL, S_SERVER },
	{ "CreateUserMappingStmt", NULL, NULL, S_USER_MAPPING },
	{ "CreateFunctionStmt", NULL, NULL, S_FUNCTION },
	{ "AlterFunctionStmt", NULL, NULL, S_FUNCTION },
	{ "DefineStmt", "kind", "OBJECT_AGGREGATE", S_AGGREGATE },
	{ "DefineStmt", "kind", "OBJECT_OPERATOR", S_OPERATOR },
	{ "AlterOperatorStmt", NULL, NULL, S_OPERATOR },
	{ "CreateAmStmt", NULL, NULL, S_ACCESS_METHOD },
	{ "CreateOpFamilyStmt", NULL, NULL, S_OPCLASS },
	{ "CreateOpClassStmt", NULL, NULL, S_OPCLASS },
	{ "AlterOpFamilyStmt", NULL, NULL, S_OPCLASS },
	{ "CreateCastStmt", NULL, NULL, S_CAST },
	{ "CreateTransformStmt", NULL, NULL, S_CAST },
	{ "CreateConversionStmt", NULL, NULL, S_CONVERSION },
	{ "AlterTypeStmt", NULL, NULL, S_TYPE_ALTER },
	{ "AlterDomainStmt", NULL, NULL, S_DOMAIN_CONSTRAINT },
	{ "DefineStmt", "kind", "OBJECT_TSPARSER", S_TEXT_SEARCH },
	{ "DefineStmt", "kind", "OBJECT_TSTEMPLATE", S_TEXT_SEARCH },
	{ "DefineStmt", "kind", "OBJECT_TSDICTIONARY", S_TEXT_SEARCH },
	{ "DefineStmt", "kind", "OBJECT_TSCONFIGURATION", S_TEXT_SEARCH },
	{ "AlterTSDictionaryStmt", NULL, NULL, S_TEXT_SEARCH },
	{ "AlterTSConfigurationStmt", NULL, NULL, S_TEXT_SEARCH_MAPPING },
	{ "CreateSeqStmt", NULL, NULL, S_SEQUENCE },
	/* AlterSeqStmt: see alter_sequence_step() */
	{ "CreateStmt", NULL, NULL, S_TABLE },
	{ "CreateForeignTableStmt", NULL, NULL, S_FOREIGN_TABLE },
	/* AlterTableStmt: see alter_table_step() */
	{ "ViewStmt", NULL, NULL, S_VIEW },
	{ "CreateTableAsStmt", "objtype", "OBJECT_MATVIEW", S_MATVIEW },
	{ "IndexStmt", NULL, NULL, S_INDEX },
	{ "CreateTrigStmt", NULL, NULL, S_TRIGGER },
	{ "RuleStmt", NULL, NULL, S_RULE },
	{ "CreatePolicyStmt", NULL, NULL, S_POLICY },
	{ "AlterPolicyStmt", NULL, NULL, S_POLICY },
	{ "CreateStatsStmt", NULL, NULL, S_STATISTICS },
	{ "AlterStatsStmt", NULL, NULL, S_STATISTICS },
	{ "CreatePublicationStmt", NULL, NULL, S_PUBLICATION },
	{ "AlterPublicationStmt", NULL, NULL, S_PUBLICATION_MEMBERS },
	{ "AlterOwnerStmt", "objectType", "OBJECT_EVENT_TRIGGER", S_EVENT_TRIGGER_OWNER },
	{ "AlterOwnerStmt", NULL, NULL, S_OWNER },
	{ "CommentStmt", "objtype", "OBJECT_EVENT_TRIGGER", S_EVENT_TRIGGER_COMMENT },
	{ "CommentStmt", NULL, NULL, S_COMMENT },
	{ "SecLabelStmt", NULL, NULL, S_SECURITY_LABEL },
	{ "GrantStmt", NULL, NULL, S_PRIVILEGES },
	{ "AlterDefaultPrivilegesStmt", NULL, NULL, S_DEFAULT_PRIVILEGES },
	{ "CreateEventTrigStmt", NULL, NULL, S_EVENT_TRIGGER },
	{ "AlterEventTrigStmt", NULL, NULL, S_EVENT_TRIGGER_STATE },
};

/*
 * ALTER TABLE commands (ALTER INDEX, VIEW, SEQUENCE, TYPE... share the
 * node): the step of each subtype when the command is on a table. A
 * statement with several commands goes to the latest step among them.
 * Subtypes missing here (DROP, DETACH...) are refused: a snapshot only
 * builds.
 */
static const struct {
	const char *subtype;
	enum step step;
} alter_table_cmds[] = {
	{ "AT_AddColumn", S_TABLE_ALTER },
	{ "AT_ColumnDefault", S_TABLE_ALTER },
	{ "AT_SetNotNull", S_TABLE_ALTER },
	{ "AT_DropNotNull", S_TABLE_ALTER },
	{ "AT_SetStatistics", S_TABLE_ALTER },
	{ "AT_SetOptions", S_TABLE_ALTER },
	{ "AT_ResetOptions", S_TABLE_ALTER },
	{ "AT_SetStorage", S_TABLE_ALTER },
	{ "AT_SetCompression", S_TABLE_ALTER },
	{ "AT_AlterColumnType", S_TABLE_ALTER },
	{ "AT_AlterColumnGenericOptions", S_TABLE_ALTER },
	{ "AT_SetLogged", S_TABLE_ALTER },
	{ "AT_SetUnLogged", S_TABLE_ALTER },
	{ "AT_SetAccessMethod", S_TABLE_ALTER },
	{ "AT_SetTableSpace", S_TABLE_ALTER },
	{ "AT_SetRelOptions", S_TABLE_ALTER },
	{ "AT_ResetRelOptions", S_TABLE_ALTER },
	{ "AT_ReplaceRelOptions", S_TABLE_ALTER },
	{ "AT_AddInherit", S_TABLE_ALTER },
	{ "AT_AddOf", S_TABLE_ALTER },
	{ "AT_GenericOptions", S_TABLE_ALTER },
	{ "AT_AddIdentity", S_TABLE_ALTER },
	{ "AT_SetIdentity", S_TABLE_ALTER },
	{ "AT_AttachPartition", S_ATTACH_PARTITION },
	{ "AT_AddConstraint", S_CONSTRAINT }, /* S_FOREIGN_KEY for a foreign key */
	{ "AT_AddIndexConstraint", S_CONSTRAINT },
	{ "AT_ValidateConstraint", S_FOREIGN_KEY },
	{ "AT_ReplicaIdentity", S_INDEX_USE },
	{ "AT_ClusterOn", S_INDEX_USE },
	{ "AT_EnableTrig", S_TRIGGER_STATE },
	{ "AT_EnableAlwaysTrig", S_TRIGGER_STATE },
	{ "AT_EnableReplicaTrig", S_TRIGGER_STATE },
	{ "AT_DisableTrig", S_TRIGGER_STATE },
	{ "AT_EnableTrigAll", S_TRIGGER_STATE },
	{ "AT_DisableTrigAll", S_TRIGGER_STATE },
	{ "AT_EnableTrigUser", S_TRIGGER_STATE },
	{ "AT_DisableTrigUser", S_TRIGGER_STATE },
	{ "AT_EnableRule", S_RULE_STATE },
	{ "AT_EnableAlwaysRule", S_RULE_STATE },
	{ "AT_EnableReplicaRule", S_RULE_STATE },
	{ "AT_DisableRule", S_RULE_STATE },
	{ "AT_EnableRowSecurity", S_ROW_SECURITY },
	{ "AT_DisableRowSecurity", S_ROW_SECURITY },
	{ "AT_ForceRowSecurity", S_ROW_SECURITY },
	{ "AT_NoForceRowSecurity", S_ROW_SECURITY },
	{ "AT_ChangeOwner", S_OWNER },
};

/* Nodes refused with a reason of their own (the rest: "not DDL a snapshot holds"). */
static const struct {
	const char *node;
	const char *why;
} refused[] = {
	{ "TransactionStmt", "transaction control (the checkout owns the transaction)" },
	{ "InsertStmt", "data, not schema" },
	{ "UpdateStmt", "data, not schema" },
	{ "DeleteStmt", "data, not schema" },
	{ "MergeStmt", "data, not schema" },
	{ "CopyStmt", "data, not schema" },
	{ "VariableSetStmt", "a session setting (the checkout fixes the session)" },
	{ "DoStmt", "code to run, not schema" },
	{ "CreateRoleStmt", "roles are cluster-wide, not part of a database" },
	{ "AlterRoleStmt", "roles are cluster-wide, not part of a database" },
	{ "GrantRoleStmt", "roles are cluster-wide, not part of a database" },
	{ "CreatedbStmt", "databases are not part of a snapshot" },
	{ "CreateTableSpaceStmt", "tablespaces are cluster-wide" },
	{ "DropStmt", "a snapshot creates objects, it never drops them" },
};

static const char *const phase_names[DS_PHASE_COUNT] = {
	[DS_PHASE_SCHEMAS] = "schemas",		[DS_PHASE_EXTENSIONS] = "extensions",
	[DS_PHASE_DEFINITIONS] = "definitions", [DS_PHASE_POST_DATA] = "post-data",
	[DS_PHASE_DECORATIONS] = "decorations", [DS_PHASE_EVENT_TRIGGERS] = "event triggers",
};

const char *ds_checkout_phase_name(ds_checkout_phase phase)
{
	return (unsigned)phase < DS_PHASE_COUNT ? phase_names[phase] : "?";
}

static const char *str_field(json_t *obj, const char *field)
{
	return json_string_value(json_object_get(obj, field));
}

/* The step of one ALTER TABLE command on a relation of kind objtype, or -1. */
static int alter_table_cmd_step(json_t *cmd, const char *objtype)
{
	const char *subtype = str_field(cmd, "subtype");
	int step = -1;
	if (!subtype)
		return -1;
	for (size_t i = 0; i < sizeof alter_table_cmds / sizeof alter_table_cmds[0]; i++)
		if (strcmp(subtype, alter_table_cmds[i].subtype) == 0)
			step = (int)alter_table_cmds[i].step;
	if (step < 0)
		return -1;
	if (strcmp(subtype, "AT_AddConstraint") == 0) {
		json_t *con = json_object_get(json_object_get(cmd, "def"), "Constraint");
		const char *contype = str_field(con, "contype");
		if (contype && strcmp(contype, "CONSTR_FOREIGN") == 0)
			step = S_FOREIGN_KEY;
	}
	if (step == S_OWNER || step == S_ROW_SECURITY || step == S_CONSTRAINT ||
	    step == S_FOREIGN_KEY || step == S_INDEX_USE)
		return step;
	/* Changes of relations other than tables follow their own creation. */
	if (strcmp(objtype, "OBJECT_INDEX") == 0)
		return step == S_ATTACH_PARTITION ? S_ATTACH_INDEX : S_INDEX_ALTER;
	if (strcmp(objtype, "OBJECT_VIEW") == 0 || strcmp(objtype, "OBJECT_MATVIEW") == 0)
		return S_VIEW_ALTER;
	if (strcmp(objtype, "OBJECT_SEQUENCE") == 0)
		return S_SEQUENCE;
	if (strcmp(objtype, "OBJECT_TYPE") == 0)
		return S_TYPE_ALTER;
	return step;
}

static int alter_table_step(json_t *stmt, const char **bad)
{
	const char *objtype = str_field(stmt, "objtype");
	json_t *cmds = json_object_get(stmt, "cmds");
	int step = -1;
	size_t i;
	json_t *item;
	if (!objtype || !json_is_array(cmds) || json_array_size(cmds) == 0)
		return -1;
	json_array_foreach(cmds, i, item)
	{
		json_t *cmd = json_object_get(item, "AlterTableCmd");
		int s = alter_table_cmd_step(cmd, objtype);
		if (s < 0) {
			*bad = str_field(cmd, "subtype");
			return -1;
		}
		if (s > step)
			step = s;
	}
	return step;
}

/* ALTER SEQUENCE ... OWNED BY names a column, so it waits for the table. */
static int alter_sequence_step(json_t *stmt)
{
	size_t i;
	json_t *opt;
	json_array_foreach(json_object_get(stmt, "options"), i, opt)
	{
		const char *name = str_field(json_object_get(opt, "DefElem"), "defname");
		if (name && strcmp(name, "owned_by") == 0)
			return S_SEQUENCE_OWNED_BY;
	}
	return S_SEQUENCE;
}

static int rule_step(const char *node, json_t *stmt)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (strcmp(node, rules[i].node) != 0)
			continue;
		if (rules[i].field) {
			const char *v = str_field(stmt, rules[i].field);
			if (!v || strcmp(v, rules[i].value) != 0)
				continue;
		}
		return (int)rules[i].step;
	}
	return -1;
}

static int refuse(const char *node, const char *detail)
{
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (strcmp(node, refused[i].node) == 0)
			return ds_error_setc(DS_EINVALID,
					     "%s is not something a snapshot holds: %s", node,
					     refused[i].why);
	if (detail)
		return ds_error_setc(DS_EINVALID, "%s with %s is not something a snapshot holds",
				     node, detail);
	return ds_error_setc(DS_EINVALID,
			     "%s is not something a snapshot holds (no phase of the checkout"
			     " takes it)",
			     node);
}

static int classify_node(const char *node, json_t *stmt, ds_checkout_class *out)
{
	const char *bad = NULL;
	int step;
	memset(out, 0, sizeof *out);
	if (strcmp(node, "AlterTableStmt") == 0)
		step = alter_table_step(stmt, &bad);
	else if (strcmp(node, "AlterSeqStmt") == 0)
		step = alter_sequence_step(stmt);
	else
		step = rule_step(node, stmt);
	if (step < 0)
		return refuse(node, bad);
	out->step = step;
	out->phase = steps[step].phase;
	out->what = steps[step].what;
	if (step == S_SCHEMA) {
		const char *name = str_field(stmt, "schemaname");
		out->creates_public = name && strcmp(name, "public") == 0;
	}
	return 0;
}

int ds_checkout_classify(const char *sql, ds_checkout_class *out)
{
	PgQueryParseResult parsed = pg_query_parse(sql);
	if (parsed.error) {
		int rc = ds_error_setc(DS_EINVALID, "cannot parse: %s", parsed.error->message);
		pg_query_free_parse_result(parsed);
		return rc;
	}
	json_error_t jerr;
	json_t *root = json_loads(parsed.parse_tree, 0, &jerr);
	pg_query_free_parse_result(parsed);
	if (!root)
		return ds_error_setc(DS_EINVALID, "cannot read libpg_query output: %s", jerr.text);

	int rc;
	json_t *stmts = json_object_get(root, "stmts");
	json_t *stmt = json_object_get(json_array_get(stmts, 0), "stmt");
	if (!json_is_array(stmts) || json_array_size(stmts) != 1 || !json_is_object(stmt) ||
	    json_object_size(stmt) != 1) {
		rc = ds_error_setc(DS_EINVALID, "expected exactly one statement, got %zu",
				   json_is_array(stmts) ? json_array_size(stmts) : 0);
	} else {
		void *it = json_object_iter(stmt);
		rc = classify_node(json_object_iter_key(it), json_object_iter_value(it), out);
	}
	json_decref(root);
	return rc;
}
