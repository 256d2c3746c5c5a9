/* commitmsg.c - commit messages and authors from v1 rows (see commitmsg.h). */
#include "ddlsnap/commitmsg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/gitobj.h"

#define SUBJECT_MAX 72

/* One line of text: control characters (newlines included) become spaces. */
static void put_line(ds_buf *b, const char *s, size_t max)
{
	size_t n = 0;
	while (*s && isspace((unsigned char)*s))
		s++;
	for (; *s && n < max; s++, n++)
		ds_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
	while (b->len && b->ptr[b->len - 1] == ' ')
		b->ptr[--b->len] = '\0';
}

static int seen_before(const ds_group *g, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (g->descriptions[k] && strcmp(g->descriptions[k], g->descriptions[i]) == 0)
			return 1;
	return 0;
}

char *ds_commitmsg_message(const ds_group *g)
{
	ds_buf b = DS_BUF_INIT;
	size_t first = g->nids;
	for (size_t i = 0; i < g->nids; i++)
		if (g->descriptions[i] && *g->descriptions[i]) {
			first = i;
			break;
		}

	if (first < g->nids)
		put_line(&b, g->descriptions[first], SUBJECT_MAX);
	else if (g->sql && *g->sql) {
		const char *sql = g->sql + strspn(g->sql, " \t\r\n");
		put_line(&b, sql, strcspn(sql, "\n") < SUBJECT_MAX ? strcspn(sql, "\n") : SUBJECT_MAX);
	}
	if (b.len == 0)
		ds_buf_printf(&b, "History %lld", g->nids ? (long long)g->ids[0] : 0LL);
	ds_buf_putc(&b, '\n');

	int body = 0;
	for (size_t i = first + 1; i < g->nids; i++) {
		if (!g->descriptions[i] || !*g->descriptions[i] || seen_before(g, i))
			continue;
		if (!body++)
			ds_buf_putc(&b, '\n');
		ds_buf_puts(&b, "- ");
		put_line(&b, g->descriptions[i], 200);
		ds_buf_putc(&b, '\n');
	}

	ds_buf_putc(&b, '\n');
	for (size_t i = 0; i < g->nids; i++)
		ds_buf_printf(&b, "History-Id: %lld\n", (long long)g->ids[i]);
	return ds_buf_detach(&b);
}

char *ds_commitmsg_author(const ds_group *g)
{
	return ds_signature_clean(g->created_by, "unknown");
}
