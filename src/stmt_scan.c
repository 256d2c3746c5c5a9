/*
 * stmt_scan.c - cut the CONCURRENTLY keyword out of a statement's text.
 *
 * PostgreSQL's scanner (pg_query_scan) gives every token with its byte
 * range and whether it is a keyword, so a quoted "concurrently", a comment
 * or a string holding the word are never touched. libpg_query returns the
 * tokens as a protobuf ScanResult; its wire format is small enough to read
 * here (field 2: repeated ScanToken {1 start, 2 end, 4 token,
 * 5 keyword_kind}) without protobuf-c's headers.
 */
#include <ctype.h>
#include <pg_query.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/stmt.h"

typedef struct {
	const uint8_t *p, *end;
} pb_reader;

/* @return 0, or -1 at the end of the buffer or on a malformed varint */
static int pb_varint(pb_reader *r, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			return -1;
		uint8_t b = *r->p++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* Skip a field's value of the given wire type. @return 0 or -1 */
static int pb_skip(pb_reader *r, unsigned wire)
{
	uint64_t v;
	switch (wire) {
	case 0:
		return pb_varint(r, &v);
	case 1:
		if (r->end - r->p < 8)
			return -1;
		r->p += 8;
		return 0;
	case 2:
		if (pb_varint(r, &v) || v > (uint64_t)(r->end - r->p))
			return -1;
		r->p += v;
		return 0;
	case 5:
		if (r->end - r->p < 4)
			return -1;
		r->p += 4;
		return 0;
	default:
		return -1;
	}
}

typedef struct {
	uint64_t start, end, keyword_kind;
} scan_token;

static int read_token(pb_reader *r, scan_token *t)
{
	memset(t, 0, sizeof *t);
	while (r->p < r->end) {
		uint64_t tag, v;
		if (pb_varint(r, &tag))
			return -1;
		unsigned field = (unsigned)(tag >> 3), wire = (unsigned)(tag & 7);
		if (wire == 0 && (field == 1 || field == 2 || field == 5)) {
			if (pb_varint(r, &v))
				return -1;
			if (field == 1)
				t->start = v;
			else if (field == 2)
				t->end = v;
			else
				t->keyword_kind = v;
		} else if (pb_skip(r, wire)) {
			return -1;
		}
	}
	return 0;
}

/* Byte range of the first CONCURRENTLY keyword. @return 1 found, 0 not, -1 error */
static int find_keyword(const char *sql, const PgQueryProtobuf *pbuf, size_t *start, size_t *end)
{
	size_t len = strlen(sql);
	pb_reader r = {(const uint8_t *)pbuf->data, (const uint8_t *)pbuf->data + pbuf->len};
	while (r.p < r.end) {
		uint64_t tag, n;
		if (pb_varint(&r, &tag))
			return -1;
		if ((tag >> 3) != 2 || (tag & 7) != 2) {
			if (pb_skip(&r, (unsigned)(tag & 7)))
				return -1;
			continue;
		}
		if (pb_varint(&r, &n) || n > (uint64_t)(r.end - r.p))
			return -1;
		pb_reader tr = {r.p, r.p + n};
		r.p += n;
		scan_token t;
		if (read_token(&tr, &t))
			return -1;
		if (t.keyword_kind == 0 || t.end > len || t.end - t.start != 12 ||
		    strncasecmp(sql + t.start, "concurrently", 12) != 0)
			continue;
		*start = (size_t)t.start;
		*end = (size_t)t.end;
		return 1;
	}
	return 0;
}

char *ds_stmt_cut_concurrently(const char *sql)
{
	PgQueryScanResult scan = pg_query_scan(sql);
	size_t start = 0, end = 0;
	int found = scan.error ? 0 : find_keyword(sql, &scan.pbuf, &start, &end);
	pg_query_free_scan_result(scan);
	if (found != 1)
		return NULL;
	while (sql[end] && isspace((unsigned char)sql[end]))
		end++;
	ds_buf b = DS_BUF_INIT;
	ds_buf_put(&b, sql, start);
	ds_buf_puts(&b, sql + end);
	return ds_buf_detach(&b);
}
