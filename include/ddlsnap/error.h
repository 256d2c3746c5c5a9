/*
 * error.h - the one error model of ddlsnap.
 *
 * Every library function returns an int: 0 on success or a negative DS_E*
 * code. The function that finds a failure sets the error text once with
 * ds_error_set(); callers that only pass the failure up leave it alone, and
 * the CLI reads it with ds_error_last() to decide what to print and which
 * exit code to use. Nothing in the library calls exit().
 */
#ifndef DDLSNAP_ERROR_H
#define DDLSNAP_ERROR_H

#include <stdarg.h>

enum {
	DS_OK = 0,
	DS_ERROR = -1,    /* generic failure; the message says what */
	DS_EINVALID = -2, /* bad input: malformed value, unknown name */
	DS_ENOTFOUND = -3,
	DS_EDB = -4, /* database error (query failed, connection lost) */
	DS_EIO = -5, /* file system or git repository error */
};

/** Set the error text (printf-style). @return DS_ERROR for convenience. */
int ds_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Same as ds_error_set, returning the given code. */
int ds_error_setc(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Prepend context to the current error text ("while X: <old text>"), so a
 * caller can name the object or history id a lower layer did not know.
 * @return code unchanged
 */
int ds_error_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** The last error text, "" when none was set. */
const char *ds_error_last(void);

/** Forget the last error. */
void ds_error_clear(void);

#endif
