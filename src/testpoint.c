/* testpoint.c - stop the process at a named point, for tests (see testpoint.h). */
#include "ddlsnap/testpoint.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char point[64];
static long at;
static int sig;

static void parse(void)
{
	const char *spec = getenv("DDLSNAP_TESTPOINT");
	char action[16] = "";
	if (spec && sscanf(spec, "%63[^:]:%ld:%15s", point, &at, action) == 3)
		sig = strcmp(action, "kill") == 0 ? SIGKILL :
		      strcmp(action, "stop") == 0 ? SIGSTOP :
						    0;
}

/* Points are passed by more than one thread (convert.c's writer has its
 * own), each point by one only: the count of hits needs no lock. */
void ds_testpoint(const char *name)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	static long hits;

	pthread_once(&once, parse);
	if (!sig || strcmp(point, name) != 0 || ++hits != at)
		return;
	fflush(NULL);
	kill(getpid(), sig);
}
