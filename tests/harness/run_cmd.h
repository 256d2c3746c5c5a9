/*
 * run_cmd.h - for the C tests: run a shell command, keep what it prints.
 * Include after cmocka.h.
 */
#ifndef DDLSNAP_TEST_RUN_CMD_H
#define DDLSNAP_TEST_RUN_CMD_H

#include <stdio.h>
#include <sys/wait.h>

#include "ddlsnap/buf.h"

/* Run cmd with sh; its stdout into out (when not NULL). @return its exit status, -1 if killed */
static inline int run_cmd(const char *cmd, ds_buf *out)
{
	char chunk[4096];
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		if (out)
			ds_buf_put(out, chunk, n);
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#endif
