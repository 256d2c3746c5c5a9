/* error.c - storage of the last error text (see error.h). */
#include "ddlsnap/error.h"

#include <stdio.h>
#include <string.h>

#define DS_ERROR_MAX 4096

/* One per thread: a worker's job reports its own (see worker.h). */
static _Thread_local char last_error[DS_ERROR_MAX];

static void vset(const char *fmt, va_list ap)
{
	vsnprintf(last_error, sizeof last_error, fmt, ap);
}

int ds_error_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return DS_ERROR;
}

int ds_error_setc(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return code;
}

int ds_error_wrap(int code, const char *fmt, ...)
{
	char old[DS_ERROR_MAX];
	va_list ap;
	int n;

	memcpy(old, last_error, sizeof old);
	va_start(ap, fmt);
	n = vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof last_error) {
		size_t used = (size_t)n;
		size_t room = sizeof last_error - used;
		/* "prefix: old", silently cut at the buffer's end */
		strncat(last_error + used, ": ", room - 1);
		used = strlen(last_error);
		strncat(last_error + used, old, sizeof last_error - used - 1);
	}
	return code;
}

const char *ds_error_last(void)
{
	return last_error;
}

void ds_error_clear(void)
{
	last_error[0] = '\0';
}
