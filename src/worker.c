/* worker.c - one job at a time in a thread of its own (see worker.h). */
#include "ddlsnap/worker.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/error.h"

struct ds_worker {
	pthread_t thread;
	int running;
	int (*fn)(void *arg);
	void *arg;
	int finished;	/* the job has returned (read and written atomically) */
	int rc;		/* the job's result */
	char *error;	/* its error text, when rc != 0 */
};

static void *run(void *p)
{
	ds_worker *w = p;
	ds_error_clear();
	w->rc = w->fn(w->arg);
	w->error = w->rc ? ds_xstrdup(ds_error_last()) : NULL;
	__atomic_store_n(&w->finished, 1, __ATOMIC_RELEASE);
	return NULL;
}

ds_worker *ds_worker_new(void)
{
	return ds_xcalloc(1, sizeof(ds_worker));
}

int ds_worker_wait(ds_worker *w)
{
	if (!w || !w->running)
		return 0;
	pthread_join(w->thread, NULL);
	w->running = 0;
	int rc = w->rc;
	if (rc)
		ds_error_setc(rc, "%s", w->error);
	free(w->error);
	w->error = NULL;
	return rc;
}

int ds_worker_busy(const ds_worker *w)
{
	return w && w->running && !__atomic_load_n(&w->finished, __ATOMIC_ACQUIRE);
}

int ds_worker_start(ds_worker *w, int (*fn)(void *arg), void *arg)
{
	int rc = ds_worker_wait(w);
	if (rc)
		return rc;
	w->fn = fn;
	w->arg = arg;
	w->finished = 0;
	/* Signals go to the caller's thread (convert's stop flag): the job's
	 * system calls (fsync, socket writes) are not interrupted. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int err = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return ds_error_set("cannot start a thread: %s", strerror(err));
	w->running = 1;
	return 0;
}

void ds_worker_free(ds_worker *w)
{
	if (!w)
		return;
	if (w->running) {
		pthread_join(w->thread, NULL);
		free(w->error);
	}
	free(w);
}
