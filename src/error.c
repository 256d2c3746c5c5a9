/* error.c - storage of the last error text (see error.h). */
#include "ddlsnap/error.h"

#include <stdio.h>
#include <string.h>

#define DS_ERROR_MAX 4096

static char last_error[DS_ERROR_MAX];

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
	char prefix[DS_ERROR_MAX];
	char old[DS_ERROR_MAX];
	va_list ap;

	memcpy(old, last_error, sizeof old);
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	snprintf(last_error, sizeof last_error, "%s: %s", prefix, old);
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
