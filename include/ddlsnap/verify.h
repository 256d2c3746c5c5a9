/*
 * verify.h - prove a converted history: the v2 store against itself, the
 * git repository and the v1 history.
 *
 * Checks (each reported on its own, with up to a screenful of findings):
 *   objects   every object re-hashes to its SHA-1
 *   trees     trees are sorted, names valid and unique, entries point at
 *             objects of the right type
 *   commits   commit bodies agree with commit_graph (tree, parents,
 *             generation); parents exist
 *   refs      refs/heads/main and HEAD point at a commit from which every
 *             commit is reachable
 *   coverage  every v1 history row is covered by exactly one commit or one
 *             recorded failure, and nothing else is claimed
 *   git       (with a git dir) the repository holds the same objects and
 *             the same refs/heads/main
 *   meaning   each v1 row's change agrees with its commit's change to the tree
 *   audit     the audit rows are exactly each commit's object changes
 *   drift     the head snapshot against the live source schema
 *   replay    (with replay) the history replayed again gives every commit SHA
 * A run's verdict goes to pggit_audit.compliance_log; a passing run marks the
 * audit rows verified.
 */
#ifndef DDLSNAP_VERIFY_H
#define DDLSNAP_VERIFY_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
	const char *source;  /* conninfo of the v1 history */
	const char *target;  /* conninfo of the v2 store; NULL: the source */
	const char *git_dir; /* NULL: no repository check */
	int json;            /* write the report as JSON */
	int replay;          /* also replay the history and compare every commit SHA */
	int replay_dml;      /* that replay runs DML, as convert --replay-dml did */
	FILE *out;
} ds_verify_opts;

/**
 * Run every check and write the report.
 * @param[out] findings the number of problems found
 * @return 0 when the checks ran (whatever they found), or a fatal error code
 */
int ds_verify_run(const ds_verify_opts *opts, size_t *findings);

#endif
