/*
 * bench_common.h - shared by the benchmark's baselines (bench/raw_replay.c,
 * bench/naive.c): the clock and the final report line bench/run.sh reads.
 */
#ifndef DDLSNAP_BENCH_COMMON_H
#define DDLSNAP_BENCH_COMMON_H

#include <stdio.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "<name>: N changes (F failed) in S s, R changes/s" on stdout. */
static inline void bench_report(const char *name, long changes, long failed, double seconds)
{
	printf("%s: %ld changes (%ld failed) in %.2f s, %.1f changes/s\n", name, changes, failed,
	       seconds, seconds > 0 ? (double)changes / seconds : 0.0);
}

#endif
