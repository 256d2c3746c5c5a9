/*
 * plan.c - a snapshot's blobs as one list of statements in the order of
 * the first pass: step (which fixes the phase), then object path, then
 * position in the blob. Path order makes a checkout deterministic: the
 * same snapshot always runs the same statements in the same order.
 */
#include <stdlib.h>
#include <string.h>

#include "checkout_int.h"
#include "ddlsnap/buf.h"
#include "ddlsnap/error.h"
#include "ddlsnap/stmt.h"

void ds_co_snapshot_add(ds_co_snapshot *s, const char *path, const char *text, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->blobs = ds_xrealloc(s->blobs, s->cap * sizeof *s->blobs);
	}
	s->blobs[s->n].path = ds_xstrdup(path);
	s->blobs[s->n].text = ds_xstrndup(text, len);
	s->n++;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const ds_co_blob *)a)->path, ((const ds_co_blob *)b)->path);
}

void ds_co_snapshot_sort(ds_co_snapshot *s)
{
	if (s->n > 1)
		qsort(s->blobs, s->n, sizeof *s->blobs, by_path);
}

void ds_co_snapshot_free(ds_co_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->blobs[i].path);
		free(s->blobs[i].text);
	}
	free(s->blobs);
	memset(s, 0, sizeof *s);
}

static int first_pass_order(const void *a, const void *b)
{
	const ds_co_stmt *x = a, *y = b;
	if (x->cls.step != y->cls.step)
		return x->cls.step < y->cls.step ? -1 : 1;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return (x->number > y->number) - (x->number < y->number);
}

static int add_blob(ds_co_plan *out, size_t *cap, const ds_co_blob *blob)
{
	ds_stmt_list list;
	int rc = ds_stmt_split(&list, blob->text);
	if (rc)
		return ds_error_wrap(rc, "%s", blob->path);
	for (size_t i = 0; i < list.n && rc == 0; i++) {
		ds_checkout_class cls;
		rc = ds_checkout_classify(list.items[i].sql, &cls);
		if (rc) {
			ds_error_wrap(rc, "%s, statement %zu", blob->path, i + 1);
			break;
		}
		if (out->n == *cap) {
			*cap = *cap ? 2 * *cap : 128;
			out->items = ds_xrealloc(out->items, *cap * sizeof *out->items);
		}
		ds_co_stmt *s = &out->items[out->n++];
		memset(s, 0, sizeof *s);
		s->path = blob->path;
		s->number = (int)i + 1;
		s->sql = list.items[i].sql;
		list.items[i].sql = NULL; /* taken */
		s->cls = cls;
		if (cls.creates_public)
			out->has_public = 1;
	}
	ds_stmt_list_free(&list);
	return rc;
}

int ds_co_plan_build(ds_co_plan *out, const ds_co_snapshot *snap)
{
	size_t cap = 0;
	int rc = 0;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < snap->n && rc == 0; i++)
		rc = add_blob(out, &cap, &snap->blobs[i]);
	if (rc) {
		ds_co_plan_free(out);
		return rc;
	}
	if (out->n > 1)
		qsort(out->items, out->n, sizeof *out->items, first_pass_order);
	return 0;
}

void ds_co_plan_free(ds_co_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		free(plan->items[i].sql);
		free(plan->items[i].error);
	}
	free(plan->items);
	memset(plan, 0, sizeof *plan);
}
