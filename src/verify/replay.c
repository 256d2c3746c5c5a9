/*
 * replay.c - verify --replay: the whole v1 history is replayed again, into a
 * fresh scratch shadow, with nothing written anywhere, and every commit SHA
 * must come out as the store has it. Since a commit's SHA covers its tree,
 * its parent and its v1 metadata, equal SHAs mean the store holds exactly
 * what the history gives today. The first divergence is named; every later
 * commit differs through its parent and is only counted.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ddlsnap/convert.h"
#include "ddlsnap/error.h"
#include "verify/verify_int.h"

typedef struct {
	ds_oid *items;
	size_t n;
} oid_list;

static void collect(void *payload, const ds_oid *commit)
{
	oid_list *l = payload;
	l->items = ds_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
	l->items[l->n++] = *commit;
}

int ds_verify_replay(ds_verifier *v)
{
	if (!v->opts->replay)
		return 0;
	ds_check *check = ds_verify_new_check(v, "replay");
	oid_list made = {0};
	ds_convert_stats stats;
	/* the replay's own messages (failed changes, warnings) are the
	 * conversion's business, already recorded; verify reports SHAs */
	FILE *log = tmpfile();
	ds_convert_opts o = {
		.source = v->opts->source,
		.batch_size = 1000,
		.quiet = 1,
		.log = log ? log : stderr,
		.hash_only = 1,
		.replay_dml = v->opts->replay_dml,
		.on_commit = collect,
		.payload = &made,
	};
	int rc = ds_convert_run(&o, &stats);
	if (log)
		fclose(log);
	if (rc) {
		free(made.items);
		return ds_error_wrap(rc, "replaying the history");
	}

	size_t diverged = 0;
	for (size_t k = 0; k < made.n || k < v->nchain; k++) {
		char want[DS_OID_HEXSZ + 1], got[DS_OID_HEXSZ + 1];
		if (k < v->nchain)
			ds_oid_fmt(want, &v->commits[v->chain[k]].oid);
		if (k < made.n)
			ds_oid_fmt(got, &made.items[k]);
		if (k >= made.n) {
			ds_verify_finding(check, "commit %zu (%.12s) was not reproduced", k + 1, want);
		} else if (k >= v->nchain) {
			ds_verify_finding(check, "the replay made commit %zu (%.12s), the store has no such",
					  k + 1, got);
		} else if (ds_oid_cmp(&made.items[k], &v->commits[v->chain[k]].oid) != 0) {
			if (diverged++ == 0)
				ds_verify_finding(check,
						  "commit %zu: the replay gives %.12s, the store has %.12s",
						  k + 1, got, want);
			continue;
		} else {
			check->checked++;
		}
	}
	if (diverged > 1)
		ds_verify_finding(check, "%zu later commits differ through their parents",
				  diverged - 1);
	ds_buf_printf(&check->summary, "%zu of %zu commits reproduced by replaying the history",
		      check->checked, v->nchain);
	free(made.items);
	return 0;
}
