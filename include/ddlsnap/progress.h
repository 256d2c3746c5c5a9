/*
 * progress.h - what a long conversion shows while it runs: a progress bar
 * with rate and time left on a terminal, a plain line every few seconds
 * when stderr is a file or a pipe, nothing with --quiet.
 */
#ifndef DDLSNAP_PROGRESS_H
#define DDLSNAP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
	DS_PROGRESS_NONE,
	DS_PROGRESS_BAR,   /* redrawn in place, at most a few times a second */
	DS_PROGRESS_LINES, /* one line every 10 seconds */
} ds_progress_mode;

typedef struct {
	FILE *out;
	ds_progress_mode mode;
	int64_t total; /* rows expected; 0 when unknown */
	double start, last;
	int drawn; /* a bar is on screen and needs a newline */
} ds_progress;

void ds_progress_start(ds_progress *p, FILE *out, ds_progress_mode mode, int64_t total);

/** Report rows done so far (throttled: most calls print nothing). */
void ds_progress_update(ds_progress *p, int64_t rows, size_t commits, size_t failed);

/** Leave the terminal on a fresh line. */
void ds_progress_end(ds_progress *p);

/** Seconds on a monotonic clock. */
double ds_progress_now(void);

#endif
