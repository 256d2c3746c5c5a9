/*
 * history.h - read a pgGit v1 history as change groups.
 *
 * Rows come from pggit.history (and pggit.history_archive when present) in
 * (created_at, id) order, through a cursor in one read-only snapshot of the
 * source. Consecutive rows with the same sql_executed, created_by and
 * created_at form one group: they are what one statement or one migration
 * string did, and the group is replayed once. Nothing in the source is
 * written.
 */
#ifndef DDLSNAP_HISTORY_H
#define DDLSNAP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

typedef struct {
	int64_t *ids; /* history ids, in order */
	size_t nids;
	char **descriptions; /* change_description per row (NULL when missing) */
	char *sql;           /* sql_executed; NULL when the row has none */
	char *created_by;    /* NULL when missing */
	char *created_at;    /* as text; NULL when missing */
	int64_t epoch;       /* created_at in seconds since the epoch (UTC) */
	int has_epoch;
} ds_group;

typedef struct ds_history ds_history;

/**
 * Check that the source holds a v1 history and whether it has archived rows.
 * @param[out] has_archive 1 when pggit.history_archive exists
 * @return 0, DS_ENOTFOUND when the source has no pggit.history, or DS_EDB
 */
int ds_history_probe(PGconn *source, int *has_archive);

/**
 * A query over the v1 rows: sql with each "pggit_history_rows" replaced by
 * pggit.history or, with has_archive, by pggit.history and
 * pggit.history_archive together (rows pgGit's cleanup moved there are
 * part of the history). The sql/ files that read the history use that name.
 * @return the query, to free
 */
char *ds_history_sql(const char *sql, int has_archive);

/**
 * Open the history of a source database (a transaction and a cursor on conn).
 * @return 0, DS_ENOTFOUND when the source has no pggit.history, or DS_EDB
 */
int ds_history_open(ds_history **out, PGconn *source);

/**
 * Read the next group.
 * @return 1 when a group was read, 0 at the end, or a negative error code
 */
int ds_history_next(ds_history *h, ds_group *out);

/** How many rows the read covers (in the read's snapshot). */
int ds_history_count(ds_history *h, int64_t *rows);

/** Whether history_archive rows are part of the read. */
int ds_history_has_archive(const ds_history *h);

void ds_history_close(ds_history *h);

void ds_group_free(ds_group *g);

/** "17", or "17-19" for a run of ids, or "17, 20 and 3 more" (malloc'd). */
char *ds_group_ids_text(const ds_group *g);

#endif
