/*
 * worker.h - one job at a time in a thread of its own, so the caller goes on
 * while it runs (convert.c writes a batch to the sinks while it replays the
 * next).
 *
 * A job is a function and its argument. Starting one waits for the one in
 * flight first, so jobs run one after the other, in the order started. A
 * job's result and error text (error.h keeps one per thread) come back to
 * the caller from ds_worker_wait or from the next ds_worker_start.
 */
#ifndef DDLSNAP_WORKER_H
#define DDLSNAP_WORKER_H

typedef struct ds_worker ds_worker;

ds_worker *ds_worker_new(void);

/**
 * Wait for the job in flight, if any.
 * @return its result; when not 0, this thread's error text is the job's
 */
int ds_worker_wait(ds_worker *w);

/** Whether a job is in flight and has not returned yet (it never waits). */
int ds_worker_busy(const ds_worker *w);

/**
 * Start fn(arg) in a thread, after the job in flight; fn's result and error
 * text are kept for the wait after it.
 * @return 0, the result of the job in flight when it failed (fn is then not
 * started), or DS_ERROR when no thread could be made
 */
int ds_worker_start(ds_worker *w, int (*fn)(void *arg), void *arg);

/** Wait for the job in flight (its result is lost) and free w. */
void ds_worker_free(ds_worker *w);

#endif
