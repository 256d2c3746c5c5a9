/*
 * replay_role.h - the unprivileged role that runs history SQL.
 *
 * For a scratch shadow, a role ddlsnap_replay_<pid> is created (NOSUPERUSER
 * NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS, LOGIN with a random
 * password sent only as a SCRAM verifier), made the owner of the scratch
 * database, and the replay connection logs in as it: not SET ROLE, which
 * history could undo with RESET ROLE. The role owns the shadow and nothing
 * else; it is dropped when the replayer closes. With --replay-user NAME an
 * existing role is used instead (for servers whose pg_hba.conf does not let
 * a new role log in); it is made the owner of the scratch database and is
 * not dropped. With a named shadow nothing is created: the user of the
 * shadow's conninfo runs history, and a superuser there is warned about.
 *
 * Statements that the role may not run but that are allowed (CREATE
 * EXTENSION of an allow-listed extension that is not trusted, CREATE EVENT
 * TRIGGER on the allow-list) run on the caller's connection instead; see
 * docs/security.md for what that means for atomicity.
 */
#ifndef DDLSNAP_REPLAY_ROLE_H
#define DDLSNAP_REPLAY_ROLE_H

#include <libpq-fe.h>

#include "ddlsnap/stmt.h"

typedef struct ds_replay_role ds_replay_role;

/** Use an existing role instead of creating one (--replay-user; NULL: create). */
void ds_replay_role_use(const char *user);

/**
 * Create (or take) the role and give it the scratch database.
 * @param admin the caller's connection to the server
 * @param dbname the scratch database
 * @return 0, or DS_EDB (the caller may not create roles...)
 */
int ds_replay_role_setup(ds_replay_role **out, PGconn *admin, const char *dbname);

/**
 * Connect to dbname on the server of conninfo as the role (the rest of
 * conninfo, host, port, sslmode..., is kept; the caller's password is not).
 * @return 0, or DS_EDB naming pg_hba.conf and --replay-user when the server
 *         refuses the login
 */
int ds_replay_role_connect(ds_replay_role *role, PGconn **out, const char *conninfo,
			   const char *dbname);

/** The role's name. */
const char *ds_replay_role_name(const ds_replay_role *role);

/**
 * Give the scratch database dbname back to the caller (admin's user), so
 * that it can be dropped with what the role made in it; then
 * ds_replay_role_free() drops a created role. Nothing is locked per object.
 */
int ds_replay_role_release(ds_replay_role *role, PGconn *admin, const char *dbname);
int ds_replay_role_free(ds_replay_role *role, PGconn *admin);

/**
 * A warning for a named shadow whose user is a superuser (malloc'd), or NULL.
 */
char *ds_replay_role_check_named(PGconn *replay);

/** Whether ds_replay_role_needs_privilege may say yes (it looks at nothing else). */
int ds_replay_role_may_need_privilege(const ds_stmt *s);

/**
 * Whether a statement must run on the caller's connection: an allowed CREATE
 * EXTENSION that needs a superuser, an allowed CREATE EVENT TRIGGER, when
 * the replay connection's user is not a superuser.
 * @param[out] undo the statement that undoes it when the change rolls back
 *             (malloc'd), set when the answer is 1
 * @return 1 yes, 0 no, or DS_EDB
 */
int ds_replay_role_needs_privilege(PGconn *replay, PGconn *admin, const ds_stmt *s, char **undo);

/** Run s on the caller's connection admin, in its own transaction. @return 0 or DS_EDB */
int ds_replay_role_run_privileged(PGconn *replay, PGconn *admin, const ds_stmt *s);

#endif
