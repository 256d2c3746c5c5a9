/* oidset.c - open-addressing hash set of object ids (see oidset.h). */
#include "ddlsnap/oidset.h"

#include <stdlib.h>
#include <string.h>

/* SHA-1 bytes are already uniformly spread: the first eight are the hash. */
static size_t slot_of(const ds_oid *oid, size_t cap)
{
	size_t h;
	memcpy(&h, oid->id, sizeof h);
	return h & (cap - 1);
}

static void grow(ds_oidset *set)
{
	ds_oidset bigger = {0};
	bigger.cap = set->cap ? set->cap * 2 : 1024;
	bigger.slots = ds_xcalloc(bigger.cap, sizeof *bigger.slots);
	bigger.used = ds_xcalloc(bigger.cap, 1);
	for (size_t i = 0; i < set->cap; i++)
		if (set->used[i])
			ds_oidset_add(&bigger, &set->slots[i]);
	ds_oidset_free(set);
	*set = bigger;
}

int ds_oidset_has(const ds_oidset *set, const ds_oid *oid)
{
	if (!set->cap)
		return 0;
	for (size_t i = slot_of(oid, set->cap);; i = (i + 1) & (set->cap - 1)) {
		if (!set->used[i])
			return 0;
		if (ds_oid_cmp(&set->slots[i], oid) == 0)
			return 1;
	}
}

int ds_oidset_add(ds_oidset *set, const ds_oid *oid)
{
	if ((set->n + 1) * 2 > set->cap)
		grow(set);
	for (size_t i = slot_of(oid, set->cap);; i = (i + 1) & (set->cap - 1)) {
		if (!set->used[i]) {
			set->used[i] = 1;
			set->slots[i] = *oid;
			set->n++;
			return 1;
		}
		if (ds_oid_cmp(&set->slots[i], oid) == 0)
			return 0;
	}
}

void ds_oidset_free(ds_oidset *set)
{
	free(set->slots);
	free(set->used);
	memset(set, 0, sizeof *set);
}
