/* replay_role.c - the unprivileged role that runs history SQL (see replay_role.h). */
#include "ddlsnap/replay_role.h"

#include <jansson.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

struct ds_replay_role {
	char *name;
	char *password; /* NULL for an existing role (--replay-user) */
	int created;
};

static char *existing_user;

void ds_replay_role_use(const char *user)
{
	free(existing_user);
	existing_user = user ? ds_xstrdup(user) : NULL;
}

const char *ds_replay_role_name(const ds_replay_role *role)
{
	return role->name;
}

/* Run every statement that query (one text column) returns, in order. */
static int exec_generated(PGconn *conn, const char *query, int nparams, const char *const *params)
{
	PGresult *res;
	int rc = ds_db_query(conn, &res, query, nparams, params);
	for (int i = 0; rc == 0 && i < PQntuples(res); i++)
		rc = ds_db_exec(conn, PQgetvalue(res, i, 0));
	if (res)
		PQclear(res);
	return rc;
}

static char *random_password(void)
{
	return ds_random_hex(24);
}

int ds_replay_role_setup(ds_replay_role **out, PGconn *admin, const char *dbname)
{
	ds_replay_role *role = ds_xcalloc(1, sizeof *role);
	char *verifier = NULL;
	int rc = 0;

	if (existing_user) {
		role->name = ds_xstrdup(existing_user);
	} else {
		char name[64];
		snprintf(name, sizeof name, "ddlsnap_replay_%ld", (long)getpid());
		role->name = ds_xstrdup(name);
		role->password = random_password();
		if (!role->password) {
			rc = ds_error_setc(DS_ERROR, "cannot make a random password for %s", name);
			goto out;
		}
		/* Only the SCRAM verifier reaches the server (and its log). */
		verifier = PQencryptPasswordConn(admin, role->password, name, "scram-sha-256");
		if (!verifier) {
			rc = ds_db_error(admin, NULL, "encrypting the replay role's password");
			goto out;
		}
		/* A role of this name is a leftover of a killed run with our pid. */
		const char *drop[] = { role->name };
		rc = exec_generated(admin, ds_sql_replay_role_drop, 1, drop);
		if (rc)
			goto out;
	}
	const char *params[] = { role->name, verifier, dbname };
	rc = exec_generated(admin, ds_sql_replay_role_setup, 3, params);
	role->created = rc == 0 && !existing_user;
	if (rc && !existing_user)
		rc = ds_error_wrap(rc,
				   "creating the replay role %s (the source's user must be a "
				   "superuser, or name an existing role with --replay-user)",
				   role->name);
	else if (rc)
		rc = ds_error_wrap(rc, "giving the shadow database %s to --replay-user %s", dbname,
				   role->name);
out:
	if (verifier)
		PQfreemem(verifier);
	if (rc) {
		ds_replay_role_free(role, admin);
		return rc;
	}
	*out = role;
	return 0;
}

int ds_replay_role_connect(ds_replay_role *role, PGconn **out, const char *conninfo,
			   const char *dbname)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo ? conninfo : "", &err);
	if (!opts) {
		int rc = ds_error_setc(DS_EINVALID, "cannot read the connection string: %s",
				       err ? err : "out of memory");
		PQfreemem(err);
		return rc;
	}
	size_t n = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		n++;
	const char **keys = ds_xcalloc(n + 5, sizeof *keys);
	const char **vals = ds_xcalloc(n + 5, sizeof *vals);
	size_t k = 0;
	/* Everything that says where the server is and how to reach it, not who
	 * logs in: the caller's user and password are not the role's. */
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || strcmp(o->keyword, "user") == 0 ||
		    strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "dbname") == 0)
			continue;
		keys[k] = o->keyword;
		vals[k++] = o->val;
	}
	keys[k] = "dbname";
	vals[k++] = dbname;
	keys[k] = "user";
	vals[k++] = role->name;
	if (role->password) {
		keys[k] = "password";
		vals[k++] = role->password;
	}
	keys[k] = "fallback_application_name";
	vals[k++] = "ddlsnap replay";
	PGconn *conn = PQconnectdbParams(keys, vals, 0);
	free(keys);
	free(vals);
	PQconninfoFree(opts);
	if (!conn)
		return ds_error_setc(DS_EDB, "cannot connect: out of memory");
	if (PQstatus(conn) != CONNECTION_OK) {
		char msg[1024];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
		msg[strcspn(msg, "\n")] = '\0';
		PQfinish(conn);
		return ds_error_setc(DS_EDB,
				     "the server refused a login as the replay role %s to %s: %s; "
				     "allow it in pg_hba.conf, or name a role that may log in with "
				     "--replay-user (see docs/security.md)",
				     role->name, dbname, msg);
	}
	*out = conn;
	return 0;
}

int ds_replay_role_release(ds_replay_role *role, PGconn *admin, const char *dbname)
{
	if (!role || !admin)
		return 0;
	const char *params[] = { dbname };
	int rc = exec_generated(admin, ds_sql_replay_role_release, 1, params);
	return rc ? ds_error_wrap(rc, "giving the shadow database %s back before dropping it",
				   dbname) : 0;
}

int ds_replay_role_free(ds_replay_role *role, PGconn *admin)
{
	int rc = 0;
	if (!role)
		return 0;
	if (role->created && admin) {
		const char *params[] = { role->name };
		rc = exec_generated(admin, ds_sql_replay_role_drop, 1, params);
		if (rc)
			ds_error_wrap(rc, "dropping the replay role %s", role->name);
	}
	free(role->name);
	free(role->password);
	free(role);
	return rc;
}

/* Whether the connection's user is a superuser; -1 on error. */
static int is_superuser(PGconn *conn, char **user)
{
	PGresult *res;
	if (ds_db_query(conn, &res, ds_sql_replay_role_info, 0, NULL) != 0)
		return -1;
	int super = PQntuples(res) == 1 && PQgetvalue(res, 0, 1)[0] == 't';
	if (user)
		*user = ds_xstrdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?");
	PQclear(res);
	return super;
}

char *ds_replay_role_check_named(PGconn *replay)
{
	char *user = NULL;
	char *warning = NULL;
	if (is_superuser(replay, &user) == 1) {
		ds_buf b = DS_BUF_INIT;
		ds_buf_printf(
			&b,
			"the named shadow's user %s is a superuser: history SQL runs with its "
			"rights (only the refusal list stands between it and the server; see "
			"docs/security.md)",
			user);
		warning = ds_buf_detach(&b);
	}
	free(user);
	return warning;
}

/* The one statement of text as libpg_query's JSON node ({"CreateExtensionStmt": {...}}). */
static json_t *parse_one(const char *text)
{
	PgQueryParseResult parsed = pg_query_parse(text);
	json_t *root = parsed.error ? NULL : json_loads(parsed.parse_tree, 0, NULL);
	pg_query_free_parse_result(parsed);
	json_t *stmt = json_object_get(json_array_get(json_object_get(root, "stmts"), 0), "stmt");
	json_incref(stmt);
	json_decref(root);
	return stmt;
}

static const char *option_string(const json_t *options, const char *defname)
{
	size_t i;
	json_t *item;
	json_array_foreach(options, i, item)
	{
		json_t *d = json_object_get(item, "DefElem");
		const char *n = json_string_value(json_object_get(d, "defname"));
		if (n && strcmp(n, defname) == 0)
			return json_string_value(json_object_get(
				json_object_get(json_object_get(d, "arg"), "String"), "sval"));
	}
	return NULL;
}

static char *undo_statement(PGconn *admin, const char *kind, const char *name)
{
	PGresult *res;
	const char *params[] = { kind, name };
	if (ds_db_query(admin, &res, ds_sql_replay_privileged_undo, 2, params) != 0)
		return NULL;
	char *undo = ds_xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return undo;
}

int ds_replay_role_may_need_privilege(const ds_stmt *s)
{
	return s->cls == DS_STMT_RUN && (strcmp(s->node, "CreateExtensionStmt") == 0 ||
					 strcmp(s->node, "CreateEventTrigStmt") == 0);
}

int ds_replay_role_needs_privilege(PGconn *replay, PGconn *admin, const ds_stmt *s, char **undo)
{
	if (!ds_replay_role_may_need_privilege(s))
		return 0;
	int ext = strcmp(s->node, "CreateExtensionStmt") == 0;
	int super = is_superuser(replay, NULL);
	if (super != 0)
		return super < 0 ? DS_EDB : 0;

	json_t *stmt = parse_one(s->sql);
	int rc = 0;
	if (ext) {
		json_t *n = json_object_get(stmt, "CreateExtensionStmt");
		const char *name = json_string_value(json_object_get(n, "extname"));
		const char *version = option_string(json_object_get(n, "options"), "new_version");
		const char *params[] = { name, version };
		PGresult *res;
		if (name && (rc = ds_db_query(admin, &res, ds_sql_replay_extension_needs_superuser,
					      2, params)) == 0) {
			if (PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't')
				rc = (*undo = undo_statement(admin, "extension", name)) ? 1 :
											  DS_EDB;
			PQclear(res);
		}
	} else {
		json_t *n = json_object_get(stmt, "CreateEventTrigStmt");
		const char *name = json_string_value(json_object_get(n, "trigname"));
		if (name)
			rc = (*undo = undo_statement(admin, "event trigger", name)) ? 1 : DS_EDB;
	}
	json_decref(stmt);
	return rc;
}

int ds_replay_role_run_privileged(PGconn *replay, PGconn *admin, const ds_stmt *s)
{
	/* The statement runs where history's own SET search_path points. */
	PGresult *res;
	int rc = ds_db_query(replay, &res, ds_sql_replay_search_path, 0, NULL);
	if (rc)
		return rc;
	char *path = ds_xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	const char *params[] = { path };
	rc = ds_db_exec(admin, "BEGIN; SET LOCAL lock_timeout = '10s'");
	if (rc == 0)
		rc = ds_db_query(admin, NULL, ds_sql_replay_set_search_path, 1, params);
	if (rc == 0) {
		PGresult *pr = PQexecParams(admin, s->sql, 0, NULL, NULL, NULL, NULL, 0);
		if (PQresultStatus(pr) != PGRES_COMMAND_OK && PQresultStatus(pr) != PGRES_TUPLES_OK)
			rc = ds_db_error(admin, pr, "as the caller");
		PQclear(pr);
	}
	rc = rc == 0 ? ds_db_exec(admin, "COMMIT") : (PQclear(PQexec(admin, "ROLLBACK")), rc);
	free(path);
	return rc;
}
