/* testpoint.c - stop the process at a named point, for tests (see testpoint.h). */
#include "ddlsnap/testpoint.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ds_testpoint(const char *name)
{
	static int parsed;
	static char point[64];
	static long at;
	static int sig;
	static long hits;

	if (!parsed) {
		parsed = 1;
		const char *spec = getenv("DDLSNAP_TESTPOINT");
		char action[16] = "";
		if (spec && sscanf(spec, "%63[^:]:%ld:%15s", point, &at, action) == 3)
			sig = strcmp(action, "kill") == 0 ? SIGKILL :
			      strcmp(action, "stop") == 0 ? SIGSTOP :
							    0;
	}
	if (!sig || strcmp(point, name) != 0 || ++hits != at)
		return;
	fflush(NULL);
	kill(getpid(), sig);
}
