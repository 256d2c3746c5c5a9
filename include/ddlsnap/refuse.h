/*
 * refuse.h - the statements of a history that are never executed.
 *
 * History SQL is untrusted input: whoever could write a row of
 * pggit.history (or the DDL it recorded) must not be able to use ddlsnap to
 * reach beyond the shadow database. A statement is judged on its parse tree
 * (libpg_query's JSON, walked to every nested node, so a function call inside
 * a column default, a view's query or a SELECT is seen as well as a
 * top-level one). A refused statement is reported and skipped; the other
 * statements of its change run. docs/security.md gives the list and why.
 *
 * The unprivileged replay role (replay_role.h) is the barrier for what the
 * text does not show (a plpgsql body's EXECUTE); this list makes what the
 * text does show fail loudly, also when a named shadow's user is privileged.
 *
 * Owner changes (ALTER ... OWNER TO) are judged here too, with the reason
 * ds_refuse_owner_change: convert does not capture owners, and the replay
 * role cannot give objects away, so they are skipped and counted, not warned.
 */
#ifndef DDLSNAP_REFUSE_H
#define DDLSNAP_REFUSE_H

#include <jansson.h>

/** The reason given to ALTER ... OWNER TO (compare the pointer). */
extern const char ds_refuse_owner_change[];

/**
 * Why one statement must not run.
 * @param stmt the statement's node as libpg_query gives it, e.g.
 *        {"CreateRoleStmt": {...}} (the "stmt" member of a RawStmt)
 * @return NULL when it may run, else the reason (static storage, valid for
 *         the life of the process)
 */
const char *ds_refuse_check(const json_t *stmt);

/** Add an extension to the allow-list of CREATE EXTENSION (--allow-extension). */
void ds_refuse_allow_extension(const char *name);

/** Allow CREATE/ALTER/DROP EVENT TRIGGER of this name (--allow-event-trigger). */
void ds_refuse_allow_event_trigger(const char *name);

/** 1 when CREATE EXTENSION name is allowed (built-in list or added). */
int ds_refuse_extension_allowed(const char *name);

/** The built-in extension allow-list, NULL-terminated. */
extern const char *const ds_refuse_default_extensions[];

#endif
