/*
 * testpoint.h - named places in a run where a test can stop the process
 * for real, to prove that a crash there loses nothing.
 *
 * DDLSNAP_TESTPOINT="name:N:action" makes the N-th pass through the point
 * `name` send the process SIGKILL (action "kill") or SIGSTOP ("stop", so a
 * test can look at a run in progress from another session and SIGCONT it).
 * Without the variable a test point does nothing. Points: replay (before a
 * change is replayed), git-write (after an object is written to git),
 * batch-commit (a batch written, its transaction not yet committed),
 * git-ref (the batch committed, git's ref not yet moved).
 */
#ifndef DDLSNAP_TESTPOINT_H
#define DDLSNAP_TESTPOINT_H

void ds_testpoint(const char *name);

#endif
