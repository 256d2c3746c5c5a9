/* progress.c - progress bar and progress lines (see progress.h). */
#include "ddlsnap/progress.h"

#include <time.h>

double ds_progress_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ds_progress_start(ds_progress *p, FILE *out, ds_progress_mode mode, int64_t total)
{
	p->out = out;
	p->mode = mode;
	p->total = total;
	p->start = p->last = ds_progress_now();
	p->drawn = 0;
}

/* "1:02:03" or "2:03" */
static void fmt_duration(char *buf, size_t size, double seconds)
{
	long s = seconds > 0 ? (long)(seconds + 0.5) : 0;
	if (s >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

void ds_progress_update(ds_progress *p, int64_t rows, size_t commits, size_t failed)
{
	if (p->mode == DS_PROGRESS_NONE)
		return;
	double now = ds_progress_now();
	double every = p->mode == DS_PROGRESS_BAR ? 0.2 : 10.0;
	if (now - p->last < every)
		return;
	p->last = now;

	double elapsed = now - p->start;
	double rate = elapsed > 0 ? (double)rows / elapsed : 0;
	char left[32] = "?", took[32];
	if (p->total > 0 && rate > 0 && rows <= p->total)
		fmt_duration(left, sizeof left, (double)(p->total - rows) / rate);
	fmt_duration(took, sizeof took, elapsed);
	double pct = p->total > 0 ? 100.0 * (double)rows / (double)p->total : 0;

	if (p->mode == DS_PROGRESS_BAR) {
		char bar[31];
		int filled = p->total > 0 ? (int)(pct * 30 / 100) : 0;
		for (int i = 0; i < 30; i++)
			bar[i] = i < filled ? '#' : '.';
		bar[30] = '\0';
		fprintf(p->out, "\r[%s] %5.1f%% %lld/%lld rows, %.0f rows/s, %s left, %zu failed ", bar,
			pct, (long long)rows, (long long)p->total, rate, left, failed);
		p->drawn = 1;
	} else {
		fprintf(p->out,
			"progress: %lld of %lld rows (%.1f%%), %zu commits, %zu failed, %.0f rows/s,"
			" %s elapsed, %s left\n",
			(long long)rows, (long long)p->total, pct, commits, failed, rate, took, left);
	}
	fflush(p->out);
}

void ds_progress_end(ds_progress *p)
{
	if (p->drawn)
		fputc('\n', p->out);
	p->drawn = 0;
}
