/*
 * commitmsg.h - the deterministic commit text of one replayed change.
 *
 * Author and committer are the v1 row's created_by (cleaned so git accepts
 * it; "unknown" when NULL) with the same text as the email, at created_at
 * read as UTC. The message is a subject (the first v1 change_description,
 * else the first line of the SQL), the other distinct descriptions, and one
 * "History-Id: N" trailer per v1 row the commit replays. Nothing in it
 * depends on the machine, the clock or the run.
 */
#ifndef DDLSNAP_COMMITMSG_H
#define DDLSNAP_COMMITMSG_H

#include "ddlsnap/history.h"

/** The commit message of a group (malloc'd, ends with a newline). */
char *ds_commitmsg_message(const ds_group *g);

/** The author name of a group (malloc'd). */
char *ds_commitmsg_author(const ds_group *g);

#endif
