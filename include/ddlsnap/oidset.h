/*
 * oidset.h - a set of object ids, to write each object to a sink once.
 */
#ifndef DDLSNAP_OIDSET_H
#define DDLSNAP_OIDSET_H

#include <stddef.h>

#include "ddlsnap/gitobj.h"

typedef struct {
	ds_oid *slots;
	unsigned char *used;
	size_t cap, n;
} ds_oidset;

/** Add oid. @return 1 when it was new, 0 when it was already there */
int ds_oidset_add(ds_oidset *set, const ds_oid *oid);
int ds_oidset_has(const ds_oidset *set, const ds_oid *oid);
void ds_oidset_free(ds_oidset *set);

#endif
