/*
 * plan.h - `ddlsnap plan`, the dry run: what a conversion of a source would
 * do and how long it would take, with nothing written anywhere.
 *
 * Scope (rows, changes, date range, authors), the lossy-history findings
 * (rows missing a field, objects the history alters or drops but never
 * creates, objects created more than once, changes whose text does not
 * parse and would fail), and a runtime estimate measured by converting the
 * first three batches in a scratch shadow, hash-only.
 */
#ifndef DDLSNAP_PLAN_H
#define DDLSNAP_PLAN_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
	const char *source;
	const char *shadow; /* NULL: a scratch database */
	int batch_size;	    /* the batches the estimate replays */
	int replay_dml;	    /* the trial replay runs DML (--replay-dml) */
	int json;
	FILE *out;
} ds_plan_opts;

/**
 * Print the plan. *findings counts what needs a look (lossy history,
 * changes that will fail).
 * @return 0, or an error code (connection, no history)
 */
int ds_plan_run(const ds_plan_opts *opts, size_t *findings);

#endif
