/*
 * snapshot_apply.c - ddlsnap's own cost of one change in a snapshot, without
 * PostgreSQL: ds_snapshot_apply() of a one-object capture on a snapshot of
 * the small history's size and on one of the large history's size
 * (1,000 tenant schemas), measured in the same run.
 *
 *   usage: snapshot_apply [CHANGES]
 *
 * Each change gives one object a new text (its OID in the replaced set, as
 * incremental capture does); every tenth change drops an object and every
 * tenth creates one, so folders gain and lose entries. The emit callback
 * copies each body, as a sink's buffer would. Prints microseconds per
 * change for each size and their ratio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "ddlsnap/buf.h"
#include "ddlsnap/capture.h"
#include "ddlsnap/error.h"
#include "ddlsnap/snapshot.h"

static const char *const kinds[] = { "table", "index", "view", "function", "sequence" };
#define NKINDS (sizeof kinds / sizeof *kinds)

static size_t emitted_bytes;

static int copy_emit(void *payload, ds_objtype type, const ds_oid *oid, const char *body,
		     size_t len)
{
	(void)payload;
	(void)type;
	(void)oid;
	char *copy = malloc(len);
	memcpy(copy, body, len);
	emitted_bytes += len;
	free(copy);
	return 0;
}

static char *ddl_text(const char *schema, const char *kind, const char *name, int version)
{
	ds_buf b = DS_BUF_INIT;
	ds_buf_printf(&b, "CREATE %s %s.%s (\n", kind, schema, name);
	for (int c = 0; c < 8; c++)
		ds_buf_printf(&b, "    column_%d integer NOT NULL DEFAULT %d,\n", c, version);
	ds_buf_puts(&b, ");\n");
	return ds_buf_detach(&b);
}

static void add(ds_capture *cap, unsigned int oid, const char *schema, const char *kind,
		const char *name, int version)
{
	ds_capture_add(cap, oid, schema, kind, name, ddl_text(schema, kind, name, version));
}

/* Object number k of a database with nschemas schemas and per objects each. */
static void object_at(unsigned int k, size_t nschemas, char *schema, char *name,
		      const char **kind)
{
	snprintf(schema, 32, nschemas == 1 ? "public" : "tenant_%04u",
		 (unsigned)(k % nschemas));
	*kind = kinds[(k / nschemas) % NKINDS];
	snprintf(name, 32, "object_%u", k);
}

static double measure(size_t nschemas, size_t nobjects, long changes)
{
	ds_capture cap = { 0 };
	char schema[32], name[32];
	const char *kind;
	for (unsigned int k = 0; k < nobjects; k++) {
		object_at(k, nschemas, schema, name, &kind);
		add(&cap, 100000 + k, schema, kind, name, 0);
	}
	ds_snapshot s = { 0 };
	if (ds_snapshot_build(&s, &cap, copy_emit, NULL)) {
		fprintf(stderr, "snapshot_apply: %s\n", ds_error_last());
		exit(1);
	}
	ds_capture_free(&cap);

	unsigned int next = (unsigned int)nobjects, seed = 7;
	double start = bench_now();
	for (long i = 0; i < changes; i++) {
		ds_capture one = { 0 };
		seed = seed * 1103515245u + 12345u;
		unsigned int k = (seed >> 8) % next;
		unsigned int oid = 100000 + k;
		if (i % 10 == 3) /* a new object */
			k = next++, oid = 100000 + k;
		object_at(k, nschemas, schema, name, &kind);
		if (i % 10 != 7) /* 7: k is dropped (or was already) */
			add(&one, oid, schema, kind, name, (int)i + 1);
		if (ds_snapshot_apply(&s, &oid, 1, &one, copy_emit, NULL, NULL, NULL)) {
			fprintf(stderr, "snapshot_apply: %s\n", ds_error_last());
			exit(1);
		}
		ds_capture_free(&one);
	}
	double us = (bench_now() - start) * 1e6 / (double)changes;
	printf("%zu objects in %zu schemas: %.1f us per change (%zu entries at the end)\n",
	       nobjects, nschemas, us, s.n);
	ds_snapshot_free(&s);
	return us;
}

int main(int argc, char **argv)
{
	long changes = argc > 1 ? atol(argv[1]) : 2000;
	double small = measure(1, 300, changes);
	double large = measure(1000, 22000, changes);
	printf("large/small: %.2f\n", small > 0 ? large / small : 0.0);
	return 0;
}
