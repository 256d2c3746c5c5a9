/*
 * refuse.c - the refusal list (see refuse.h and docs/security.md).
 *
 * Top-level node types that reach beyond the shadow database are refused
 * by name; then the whole tree is walked for function calls, which can hide
 * anywhere (a column default, a view's query, a DO block's argument list).
 * Reasons are static strings, or interned ones when they name something
 * (a function, an extension), so a ds_stmt can point at them for as long as
 * the process lives.
 */
#include "ddlsnap/refuse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"

const char ds_refuse_owner_change[] =
	"owner change (owners are not converted; the replay role cannot give objects away)";

/* Trusted or harmless in a database that holds no data and makes no
 * connections; none of them reads or writes server files or opens a
 * connection. */
const char *const ds_refuse_default_extensions[] = {
	"plpgsql",
	"pgcrypto",
	"uuid-ossp",
	"hstore",
	"citext",
	"pg_trgm",
	"btree_gin",
	"btree_gist",
	"ltree",
	"intarray",
	"cube",
	"earthdistance",
	"fuzzystrmatch",
	"unaccent",
	"tablefunc",
	"tsm_system_rows",
	"tsm_system_time",
	"pg_stat_statements",
	"isn",
	"seg",
	"lo",
	"dict_int",
	"dict_xsyn",
	"intagg",
	"bloom",
	"moddatetime",
	"autoinc",
	"insert_username",
	"refint",
	"tcn",
	NULL,
};

typedef struct {
	char **items;
	size_t n, cap;
} name_list;

static name_list extra_extensions, event_triggers, interned;

static void list_add(name_list *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = ds_xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->n++] = ds_xstrdup(s);
}

static int list_has(const name_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

/* A reason that names something, kept for the life of the process. */
static const char *intern(const char *fmt, const char *name)
{
	ds_buf b = DS_BUF_INIT;
	ds_buf_printf(&b, fmt, name);
	for (size_t i = 0; i < interned.n; i++)
		if (strcmp(interned.items[i], ds_buf_cstr(&b)) == 0) {
			ds_buf_free(&b);
			return interned.items[i];
		}
	list_add(&interned, ds_buf_cstr(&b));
	ds_buf_free(&b);
	return interned.items[interned.n - 1];
}

void ds_refuse_allow_extension(const char *name)
{
	if (!list_has(&extra_extensions, name))
		list_add(&extra_extensions, name);
}

void ds_refuse_allow_event_trigger(const char *name)
{
	if (!list_has(&event_triggers, name))
		list_add(&event_triggers, name);
}

int ds_refuse_extension_allowed(const char *name)
{
	for (const char *const *e = ds_refuse_default_extensions; *e; e++)
		if (strcmp(*e, name) == 0)
			return 1;
	return list_has(&extra_extensions, name);
}

/* ---- reading the tree */

static const char *str_member(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* The text of a {"String": {"sval": ...}} node. */
static const char *string_node(const json_t *node)
{
	return str_member(json_object_get(node, "String"), "sval");
}

/* The text of an A_Const string, NULL for anything else. */
static const char *const_string(const json_t *node)
{
	json_t *c = json_object_get(node, "A_Const");
	return str_member(json_object_get(c, "sval"), "sval");
}

/* The last element of a qualified name list ([schema, name] or [name]). */
static const char *last_name(const json_t *list)
{
	size_t n = json_array_size(list);
	return n ? string_node(json_array_get(list, n - 1)) : NULL;
}

/* The value of a DefElem named defname in an options list (string args only). */
static const char *defelem(const json_t *options, const char *defname)
{
	size_t i;
	json_t *item;
	json_array_foreach(options, i, item)
	{
		json_t *d = json_object_get(item, "DefElem");
		if (d &&
		    strcmp(str_member(d, "defname") ? str_member(d, "defname") : "", defname) == 0)
			return string_node(json_object_get(d, "arg"));
	}
	return NULL;
}

static int has_defelem(const json_t *options, const char *defname)
{
	size_t i;
	json_t *item;
	json_array_foreach(options, i, item)
	{
		const char *n = str_member(json_object_get(item, "DefElem"), "defname");
		if (n && strcmp(n, defname) == 0)
			return 1;
	}
	return 0;
}

static int in(const char *s, const char *const *names)
{
	for (; s && *names; names++)
		if (strcmp(s, *names) == 0)
			return 1;
	return 0;
}

/* ---- the rules */

/* Settings only a superuser may change, that change what the server does
 * beyond this session's statements, or that turn safety checks off. */
static int superuser_setting(const char *name)
{
	static const char *const names[] = {
		"session_replication_role",
		"allow_system_table_mods",
		"ignore_system_indexes",
		"zero_damaged_pages",
		"ignore_checksum_failure",
		"ignore_invalid_pages",
		"lc_messages",
		"dynamic_library_path",
		"jit_provider",
		"session_preload_libraries",
		"local_preload_libraries",
		"lo_compat_privileges",
		"temp_file_limit",
		"max_stack_depth",
		"commit_delay",
		"wal_compression",
		"wal_consistency_checking",
		"compute_query_id",
		"update_process_title",
		"track_activities",
		"track_counts",
		"track_io_timing",
		"track_wal_io_timing",
		"track_functions",
		"role",
		"session_authorization",
		"data_sync_retry",
		"backtrace_functions",
		NULL,
	};
	if (!name)
		return 1; /* not a constant: cannot tell */
	return in(name, names) || strncmp(name, "log_", 4) == 0 ||
	       strncmp(name, "debug_", 6) == 0 || strncmp(name, "trace_", 6) == 0;
}

static const char *check_function(const json_t *call)
{
	static const char *const files[] = {
		"pg_read_file",
		"pg_read_binary_file",
		"pg_ls_dir",
		"pg_stat_file",
		"pg_ls_logdir",
		"pg_ls_waldir",
		"pg_ls_tmpdir",
		"pg_ls_archive_statusdir",
		"pg_ls_logicalsnapdir",
		"pg_ls_logicalmapdir",
		"pg_ls_replslotdir",
		"pg_file_write",
		"pg_file_rename",
		"pg_file_unlink",
		"pg_file_sync",
		"pg_logdir_ls",
		"lo_import",
		"lo_export",
		NULL,
	};
	static const char *const server[] = {
		"pg_terminate_backend",
		"pg_cancel_backend",
		"pg_reload_conf",
		"pg_rotate_logfile",
		"pg_promote",
		"pg_switch_wal",
		"pg_create_restore_point",
		"pg_backup_start",
		"pg_backup_stop",
		"pg_start_backup",
		"pg_stop_backup",
		"pg_create_physical_replication_slot",
		"pg_create_logical_replication_slot",
		"pg_drop_replication_slot",
		"pg_copy_physical_replication_slot",
		"pg_copy_logical_replication_slot",
		"pg_replication_origin_create",
		"pg_replication_origin_drop",
		"pg_log_backend_memory_contexts",
		"pg_wal_replay_pause",
		"pg_wal_replay_resume",
		"pg_signal_backend",
		NULL,
	};
	static const char *const connections[] = {
		"postgres_fdw_disconnect",
		"postgres_fdw_disconnect_all",
		"postgres_fdw_get_connections",
		NULL,
	};
	const char *name = last_name(json_object_get(call, "funcname"));
	if (!name)
		return NULL;
	if (in(name, files))
		return intern("function %s reads or writes files of the server", name);
	if (in(name, server))
		return intern("function %s acts on the server, not on the shadow database", name);
	if (strncmp(name, "dblink", 6) == 0 || in(name, connections))
		return intern("function %s connects to another database", name);
	if (strcmp(name, "set_config") == 0) {
		const char *setting =
			const_string(json_array_get(json_object_get(call, "args"), 0));
		if (superuser_setting(setting))
			return setting ?
				       intern("set_config of %s, a setting history may not change",
					      setting) :
				       "set_config of a setting not named by a constant";
	}
	return NULL;
}

/* Every function call anywhere in the tree. */
static const char *walk(const json_t *node)
{
	const char *why = NULL;
	if (json_is_array(node)) {
		size_t i;
		json_t *item;
		json_array_foreach(node, i, item)
		{
			if ((why = walk(item)))
				return why;
		}
	} else if (json_is_object(node)) {
		const char *key;
		json_t *value;
		json_object_foreach((json_t *)node, key, value)
		{
			if (strcmp(key, "FuncCall") == 0 && (why = check_function(value)))
				return why;
			if ((why = walk(value)))
				return why;
		}
	}
	return NULL;
}

static int untrusted_language(const char *lang)
{
	static const char *const trusted[] = { "sql", "plpgsql", "plperl", "pltcl", "plv8", NULL };
	return lang && !in(lang, trusted);
}

/* ALTER TABLE/VIEW/SEQUENCE... whose only subcommands are OWNER TO. */
static int only_owner_change(const json_t *alter)
{
	json_t *cmds = json_object_get(alter, "cmds");
	size_t i;
	json_t *cmd;
	if (json_array_size(cmds) == 0)
		return 0;
	json_array_foreach(cmds, i, cmd)
	{
		const char *sub = str_member(json_object_get(cmd, "AlterTableCmd"), "subtype");
		if (!sub || strcmp(sub, "AT_ChangeOwner") != 0)
			return 0;
	}
	return 1;
}

static const char *check_object_type(const char *type)
{
	if (!type)
		return NULL;
	if (strcmp(type, "OBJECT_ROLE") == 0)
		return "statement on a role (roles are shared by every database of the server)";
	if (strcmp(type, "OBJECT_DATABASE") == 0)
		return "statement on a database (only the shadow database is replayed into)";
	if (strcmp(type, "OBJECT_TABLESPACE") == 0)
		return "statement on a tablespace (tablespaces are directories of the server)";
	if (strcmp(type, "OBJECT_PARAMETER_ACL") == 0)
		return "privilege on a server setting";
	if (strcmp(type, "OBJECT_SUBSCRIPTION") == 0)
		return "subscription (connects to another server)";
	return NULL;
}

static const char *check_event_trigger(const char *name)
{
	if (name && list_has(&event_triggers, name))
		return NULL;
	return intern("event trigger %s is not on the allow-list (--allow-event-trigger)",
		      name ? name : "?");
}

/* The top-level statement, by node type. */
static const char *check_node(const char *type, const json_t *n)
{
	static const char *const roles[] = {
		"CreateRoleStmt", "AlterRoleStmt",     "AlterRoleSetStmt", "DropRoleStmt",
		"GrantRoleStmt",  "ReassignOwnedStmt", "DropOwnedStmt",	   NULL,
	};
	static const char *const databases[] = {
		"CreatedbStmt",		"AlterDatabaseStmt",
		"AlterDatabaseSetStmt", "AlterDatabaseRefreshCollStmt",
		"DropdbStmt",		NULL,
	};
	static const char *const tablespaces[] = {
		"CreateTableSpaceStmt",
		"DropTableSpaceStmt",
		"AlterTableSpaceOptionsStmt",
		"AlterTableMoveAllStmt",
		NULL,
	};
	static const char *const subscriptions[] = {
		"CreateSubscriptionStmt",
		"AlterSubscriptionStmt",
		"DropSubscriptionStmt",
		NULL,
	};

	if (in(type, roles))
		return "role statement (roles are shared by every database of the server)";
	if (in(type, databases))
		return "database statement (only the shadow database is replayed into)";
	if (in(type, tablespaces))
		return "tablespace statement (tablespaces are directories of the server)";
	if (in(type, subscriptions))
		return "subscription (connects to another server)";
	if (strcmp(type, "AlterSystemStmt") == 0)
		return "ALTER SYSTEM (writes the server's configuration)";
	if (strcmp(type, "LoadStmt") == 0)
		return "LOAD (loads a shared library into the server)";
	if (strcmp(type, "CreatePLangStmt") == 0)
		return "CREATE LANGUAGE (languages run code in the server)";
	if (strcmp(type, "ImportForeignSchemaStmt") == 0)
		return "IMPORT FOREIGN SCHEMA (connects to another server)";
	if (strcmp(type, "CheckPointStmt") == 0)
		return "CHECKPOINT (acts on the server)";
	if (strcmp(type, "CopyStmt") == 0) {
		if (json_is_true(json_object_get(n, "is_program")))
			return "COPY TO/FROM PROGRAM (runs a program on the server)";
		if (str_member(n, "filename"))
			return "COPY TO/FROM a server file";
		return NULL;
	}
	if (strcmp(type, "CreateExtensionStmt") == 0) {
		const char *ext = str_member(n, "extname");
		if (ext && ds_refuse_extension_allowed(ext))
			return NULL;
		return intern("extension %s is not on the allow-list (--allow-extension)",
			      ext ? ext : "?");
	}
	if (strcmp(type, "CreateEventTrigStmt") == 0 || strcmp(type, "AlterEventTrigStmt") == 0)
		return check_event_trigger(str_member(n, "trigname"));
	if (strcmp(type, "CreateUserMappingStmt") == 0 ||
	    strcmp(type, "AlterUserMappingStmt") == 0) {
		if (has_defelem(json_object_get(n, "options"), "password"))
			return "user mapping with a password (credentials for another server)";
		return NULL;
	}
	if (strcmp(type, "CreateFdwStmt") == 0 || strcmp(type, "AlterFdwStmt") == 0) {
		if (has_defelem(json_object_get(n, "func_options"), "handler"))
			return "foreign-data wrapper with a handler (the handler makes connections)";
		return NULL;
	}
	if (strcmp(type, "CreateFunctionStmt") == 0 || strcmp(type, "DoStmt") == 0) {
		const char *lang = defelem(json_object_get(n, type[0] == 'D' ? "args" : "options"),
					   "language");
		if (untrusted_language(lang))
			return intern(
				"language %s is not trusted (it can reach the server's files)",
				lang);
		return NULL;
	}
	if (strcmp(type, "VariableSetStmt") == 0) {
		const char *name = str_member(n, "name");
		const char *kind = str_member(n, "kind");
		const char *value = const_string(json_array_get(json_object_get(n, "args"), 0));
		if (!name || !kind || strcmp(kind, "VAR_SET_VALUE") != 0)
			return NULL; /* RESET, SET ... TO DEFAULT */
		if (strcmp(name, "role") == 0 || strcmp(name, "session_authorization") == 0)
			return value && strcmp(value, "none") == 0 ?
				       NULL :
				       "SET ROLE / SET SESSION AUTHORIZATION to another role";
		if (superuser_setting(name))
			return intern("SET %s, a setting history may not change", name);
		return NULL;
	}
	if (strcmp(type, "RenameStmt") == 0)
		return check_object_type(str_member(n, "renameType"));
	if (strcmp(type, "CommentStmt") == 0 || strcmp(type, "SecLabelStmt") == 0)
		return check_object_type(str_member(n, "objtype"));
	if (strcmp(type, "GrantStmt") == 0)
		return check_object_type(str_member(n, "objtype"));
	if (strcmp(type, "AlterOwnerStmt") == 0) {
		const char *why = check_object_type(str_member(n, "objectType"));
		const char *ot = str_member(n, "objectType");
		if (!why && ot && strcmp(ot, "OBJECT_EVENT_TRIGGER") == 0)
			why = check_event_trigger(string_node(json_object_get(n, "object")));
		return why ? why : ds_refuse_owner_change;
	}
	if (strcmp(type, "AlterTableStmt") == 0 && only_owner_change(n))
		return ds_refuse_owner_change;
	if (strcmp(type, "DropStmt") == 0) {
		const char *rt = str_member(n, "removeType");
		if (rt && strcmp(rt, "OBJECT_EVENT_TRIGGER") == 0) {
			json_t *objects = json_object_get(n, "objects");
			size_t i;
			json_t *o;
			json_array_foreach(objects, i, o)
			{
				const char *why = check_event_trigger(string_node(o));
				if (why)
					return why;
			}
		}
		return NULL;
	}
	return NULL;
}

const char *ds_refuse_check(const json_t *stmt)
{
	if (!json_is_object(stmt) || json_object_size(stmt) != 1)
		return NULL;
	void *it = json_object_iter((json_t *)stmt);
	const char *type = json_object_iter_key(it);
	const json_t *node = json_object_iter_value(it);
	const char *why = check_node(type, node);
	/* An owner change is not worth a look for function calls; anything
	 * else refused by its type is reported as such. */
	if (why)
		return why;
	return walk(node);
}
