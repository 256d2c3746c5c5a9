/*
 * test_gitobj.c - blob, tree and commit encoding checked against git itself.
 *
 * Apart from the two well-known constants (empty blob, empty tree), every
 * expected object id is computed at test time by the git binary in a
 * throwaway bare repository, and everything written there must pass
 * `git fsck --strict`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"

#define EMPTY_BLOB "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
#define EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

/* ---- a throwaway git repository ---------------------------------------- */

typedef struct {
	char dir[64];     /* temp dir holding the repo and the I/O files */
	char gitdir[128]; /* the bare repository */
} repo;

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void read_stream(ds_buf *out, FILE *f)
{
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ds_buf_put(out, chunk, n);
}

/* What git wrote to stderr in its last run. */
static void git_stderr(repo *r, ds_buf *out)
{
	char errpath[160];
	FILE *f;

	snprintf(errpath, sizeof errpath, "%s/stderr", r->dir);
	f = fopen(errpath, "rb");
	assert_non_null(f);
	read_stream(out, f);
	fclose(f);
}

/*
 * Run "git <args>" on the repository with input on stdin; stdout goes to out
 * (when given), stderr to a file git_stderr reads. Returns git's exit status.
 */
static int git_run(repo *r, const char *args, const void *in, size_t inlen, ds_buf *out)
{
	char cmd[2048], inpath[160];
	ds_buf ignored = DS_BUF_INIT;
	FILE *p;
	int status;

	snprintf(inpath, sizeof inpath, "%s/stdin", r->dir);
	write_file(inpath, in, inlen);
	snprintf(cmd, sizeof cmd, "GIT_DIR='%s' git %s <'%s' 2>'%s/stderr'", r->gitdir, args, inpath,
		 r->dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	read_stream(out ? out : &ignored, p);
	status = pclose(p);
	ds_buf_free(&ignored);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Run git, which must succeed and print an object id first. */
static void git_oid(repo *r, ds_oid *out, const char *args, const void *in, size_t inlen)
{
	ds_buf buf = DS_BUF_INIT, err = DS_BUF_INIT;

	if (git_run(r, args, in, inlen, &buf) != 0 || buf.len < DS_OID_HEXSZ) {
		git_stderr(r, &err);
		fail_msg("git %s: %s", args, ds_buf_cstr(&err));
	}
	buf.ptr[DS_OID_HEXSZ] = '\0';
	assert_int_equal(ds_oid_parse(out, buf.ptr), 0);
	ds_buf_free(&buf);
}

static void assert_oid_equal(const ds_oid *got, const ds_oid *want)
{
	char g[DS_OID_HEXSZ + 1], w[DS_OID_HEXSZ + 1];

	ds_oid_fmt(g, got);
	ds_oid_fmt(w, want);
	assert_string_equal(g, w);
}

static void assert_fsck_clean(repo *r)
{
	ds_buf err = DS_BUF_INIT;
	int status = git_run(r, "fsck --strict --no-dangling --no-progress", "", 0, NULL);

	git_stderr(r, &err);
	/* A bare repository without refs earns "notice:" lines, nothing worse. */
	if (status != 0 || strstr(ds_buf_cstr(&err), "error") ||
	    strstr(ds_buf_cstr(&err), "warning"))
		fail_msg("git fsck --strict: %s", ds_buf_cstr(&err));
	ds_buf_free(&err);
}

static int repo_setup(void **state)
{
	repo *r = ds_xcalloc(1, sizeof *r);
	char cmd[256];

	strcpy(r->dir, "/tmp/ddlsnap-test-gitobj-XXXXXX");
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->gitdir, sizeof r->gitdir, "%s/repo.git", r->dir);
	snprintf(cmd, sizeof cmd, "git init -q --bare '%s'", r->gitdir);
	if (system(cmd) != 0)
		return -1;
	*state = r;
	return 0;
}

static int repo_teardown(void **state)
{
	repo *r = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", r->dir);
	if (system(cmd) != 0)
		return -1;
	free(r);
	return 0;
}

/* ---- object names ------------------------------------------------------ */

static void test_empty_objects(void **state)
{
	ds_buf body = DS_BUF_INIT;
	ds_oid oid, want;

	(void)state;
	ds_oid_hash(&oid, DS_OBJ_BLOB, "", 0);
	assert_int_equal(ds_oid_parse(&want, EMPTY_BLOB), 0);
	assert_oid_equal(&oid, &want);

	assert_int_equal(ds_tree_encode(&body, NULL, 0), 0);
	assert_int_equal(body.len, 0);
	ds_oid_hash(&oid, DS_OBJ_TREE, body.ptr, body.len);
	assert_int_equal(ds_oid_parse(&want, EMPTY_TREE), 0);
	assert_oid_equal(&oid, &want);
	ds_buf_free(&body);
}

static void test_oid_text(void **state)
{
	const char *hex = "0123456789abcdef0123456789abcdef01234567";
	char out[DS_OID_HEXSZ + 1];
	ds_oid a, b;

	(void)state;
	assert_int_equal(ds_oid_parse(&a, hex), 0);
	ds_oid_fmt(out, &a);
	assert_string_equal(out, hex);
	assert_int_equal(a.id[0], 0x01);
	assert_int_equal(a.id[19], 0x67);

	assert_int_equal(ds_oid_parse(&b, "0123456789ABCDEF0123456789ABCDEF01234567"), 0);
	assert_int_equal(ds_oid_cmp(&a, &b), 0);

	assert_int_equal(ds_oid_parse(&b, "0123456789abcdef0123456789abcdef0123456"), DS_EINVALID);
	assert_int_equal(ds_oid_parse(&b, "0123456789abcdef0123456789abcdef012345678"),
			 DS_EINVALID);
	assert_int_equal(ds_oid_parse(&b, "0123456789abcdef0123456789abcdef0123456g"),
			 DS_EINVALID);
	assert_int_equal(ds_oid_parse(&b, ""), DS_EINVALID);

	memset(&b, 0, sizeof b);
	assert_true(ds_oid_is_zero(&b));
	assert_false(ds_oid_is_zero(&a));
	assert_true(ds_oid_cmp(&b, &a) < 0);
	assert_true(ds_oid_cmp(&a, &b) > 0);
}

static void test_objtype(void **state)
{
	ds_objtype t;

	(void)state;
	assert_string_equal(ds_objtype_name(DS_OBJ_BLOB), "blob");
	assert_string_equal(ds_objtype_name(DS_OBJ_TREE), "tree");
	assert_string_equal(ds_objtype_name(DS_OBJ_COMMIT), "commit");
	assert_int_equal(ds_objtype_parse(&t, "tree"), 0);
	assert_int_equal(t, DS_OBJ_TREE);
	assert_int_equal(ds_objtype_parse(&t, "commit"), 0);
	assert_int_equal(t, DS_OBJ_COMMIT);
	assert_int_equal(ds_objtype_parse(&t, "blob"), 0);
	assert_int_equal(t, DS_OBJ_BLOB);
	assert_int_equal(ds_objtype_parse(&t, "tag"), DS_EINVALID);
	assert_int_equal(ds_objtype_parse(&t, "Blob"), DS_EINVALID);
}

static void test_blobs_match_git(void **state)
{
	static const char nul_bytes[] = "a\0b\0\0c\n";
	static const char backslashes[] = "C:\\tmp\\x\\n \\\\ '\\'\n";
	static const char utf8[] = "CREATE TABLE \"caf\xc3\xa9\" (\xc3\xbc int); -- \xe2\x82\xac\n";
	struct {
		const char *data;
		size_t len;
	} blobs[] = {
		{"", 0},
		{"hello\n", 6},
		{nul_bytes, sizeof nul_bytes - 1},
		{backslashes, sizeof backslashes - 1},
		{utf8, sizeof utf8 - 1},
	};
	repo *r = *state;
	size_t biglen = 100000;
	char *big = ds_xmalloc(biglen);

	for (size_t i = 0; i < sizeof blobs / sizeof blobs[0]; i++) {
		ds_oid ours, theirs;

		ds_oid_hash(&ours, DS_OBJ_BLOB, blobs[i].data, blobs[i].len);
		git_oid(r, &theirs, "hash-object --stdin", blobs[i].data, blobs[i].len);
		assert_oid_equal(&ours, &theirs);
	}

	/* A length of six digits, and every byte value. */
	for (size_t i = 0; i < biglen; i++)
		big[i] = (char)(i * 7 % 256);
	{
		ds_oid ours, theirs;

		ds_oid_hash(&ours, DS_OBJ_BLOB, big, biglen);
		git_oid(r, &theirs, "hash-object --stdin", big, biglen);
		assert_oid_equal(&ours, &theirs);
	}
	free(big);
}

/* ---- trees ------------------------------------------------------------- */

static ds_oid fake_oid(unsigned char seed)
{
	ds_oid oid;

	for (size_t i = 0; i < DS_OID_RAWSZ; i++)
		oid.id[i] = (unsigned char)(seed + i);
	return oid;
}

static void test_tree_entry_cmp(void **state)
{
	ds_tree_entry blob_a = {"a", DS_MODE_BLOB, fake_oid(1)};
	ds_tree_entry tree_a = {"a", DS_MODE_TREE, fake_oid(1)};
	ds_tree_entry a_sql = {"a.sql", DS_MODE_BLOB, fake_oid(1)};
	ds_tree_entry a_b = {"a-b", DS_MODE_BLOB, fake_oid(1)};
	ds_tree_entry a0 = {"a0", DS_MODE_BLOB, fake_oid(1)};
	ds_tree_entry high = {"\xc3\xa9", DS_MODE_BLOB, fake_oid(1)};

	(void)state;
	/* A blob sorts by its name, a tree as if it ended in '/'. */
	assert_true(ds_tree_entry_cmp(&blob_a, &a_sql) < 0);
	assert_true(ds_tree_entry_cmp(&tree_a, &a_sql) > 0);
	assert_true(ds_tree_entry_cmp(&tree_a, &a_b) > 0);
	assert_true(ds_tree_entry_cmp(&tree_a, &a0) < 0);
	assert_true(ds_tree_entry_cmp(&a0, &tree_a) > 0);
	assert_true(ds_tree_entry_cmp(&blob_a, &tree_a) < 0);
	assert_int_equal(ds_tree_entry_cmp(&a_sql, &a_sql), 0);
	/* Bytes compare unsigned: UTF-8 after ASCII. */
	assert_true(ds_tree_entry_cmp(&a0, &high) < 0);
}

static void test_tree_order_matches_git(void **state)
{
	repo *r = *state;
	ds_oid blob1, blob2, blob3, empty_tree, ours, theirs;
	ds_buf body = DS_BUF_INIT, lines = DS_BUF_INIT, gitbody = DS_BUF_INIT;
	char hex[DS_OID_HEXSZ + 1], args[128];

	git_oid(r, &blob1, "hash-object -w --stdin", "one\n", 4);
	git_oid(r, &blob2, "hash-object -w --stdin", "two\n", 4);
	git_oid(r, &blob3, "hash-object -w --stdin", "three\n", 6);
	git_oid(r, &empty_tree, "mktree", "", 0);

	ds_tree_entry entries[] = {
		{"a.sql", DS_MODE_BLOB, blob1},
		{"a", DS_MODE_TREE, empty_tree},
		{"a-b", DS_MODE_BLOB, blob2},
		{"a0", DS_MODE_BLOB, blob3},
	};
	size_t n = sizeof entries / sizeof entries[0];

	/* git mktree sorts its input itself: hand it the unsorted list. */
	for (size_t i = 0; i < n; i++) {
		ds_oid_fmt(hex, &entries[i].oid);
		ds_buf_printf(&lines, "%s %s %s\t%s\n",
			      entries[i].mode == DS_MODE_TREE ? "040000" : "100644",
			      entries[i].mode == DS_MODE_TREE ? "tree" : "blob", hex,
			      entries[i].name);
	}
	git_oid(r, &theirs, "mktree", lines.ptr, lines.len);

	ds_tree_sort(entries, n);
	assert_string_equal(entries[0].name, "a-b");
	assert_string_equal(entries[1].name, "a.sql");
	assert_string_equal(entries[2].name, "a");
	assert_string_equal(entries[3].name, "a0");

	assert_int_equal(ds_tree_encode(&body, entries, n), 0);
	ds_oid_hash(&ours, DS_OBJ_TREE, body.ptr, body.len);
	assert_oid_equal(&ours, &theirs);

	/* Byte for byte what git stored, and git accepts our body as written. */
	ds_oid_fmt(hex, &theirs);
	snprintf(args, sizeof args, "cat-file tree %s", hex);
	assert_int_equal(git_run(r, args, "", 0, &gitbody), 0);
	assert_int_equal(gitbody.len, body.len);
	assert_memory_equal(gitbody.ptr, body.ptr, body.len);

	git_oid(r, &theirs, "hash-object -t tree -w --stdin", body.ptr, body.len);
	assert_oid_equal(&ours, &theirs);
	assert_fsck_clean(r);

	ds_buf_free(&body);
	ds_buf_free(&lines);
	ds_buf_free(&gitbody);
}

static void expect_tree_rejected(const ds_tree_entry *entries, size_t n, const char *why)
{
	ds_buf out = DS_BUF_INIT;

	ds_buf_puts(&out, "keep");
	ds_error_clear();
	if (ds_tree_encode(&out, entries, n) != DS_EINVALID)
		fail_msg("tree accepted: %s", why);
	assert_string_equal(out.ptr, "keep");
	assert_true(strlen(ds_error_last()) > 0);
	ds_buf_free(&out);
}

static void test_tree_encode_rejects(void **state)
{
	ds_oid oid = fake_oid(7), zero;
	const char *bad_names[] = {
		"", ".", "..", ".git", "a/b", "/", ".GIT", ".Git", "git~1", "GIT~1",
		".git.", ".git ", "git~1 .", ".git:stream", "\xe2\x80\x8c.git",
		".g\xe2\x80\x8dit", "\xef\xbb\xbf.GIT\xe2\x80\x8e",
	};

	(void)state;
	memset(&zero, 0, sizeof zero);
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		ds_tree_entry e = {bad_names[i], DS_MODE_BLOB, oid};

		expect_tree_rejected(&e, 1, bad_names[i]);
		e.mode = DS_MODE_TREE;
		expect_tree_rejected(&e, 1, bad_names[i]);
	}

	{
		ds_tree_entry unsorted[] = {{"b", DS_MODE_BLOB, oid}, {"a", DS_MODE_BLOB, oid}};
		ds_tree_entry dup[] = {{"a", DS_MODE_BLOB, oid}, {"a", DS_MODE_BLOB, oid}};
		ds_tree_entry dup_modes[] = {{"a", DS_MODE_BLOB, oid}, {"a", DS_MODE_TREE, oid}};
		/* Sorted, yet "a" twice: the blob hides two entries before the tree. */
		ds_tree_entry dup_far[] = {
			{"a", DS_MODE_BLOB, oid},
			{"a-b", DS_MODE_BLOB, oid},
			{"a.b", DS_MODE_BLOB, oid},
			{"a", DS_MODE_TREE, oid},
		};
		ds_tree_entry tree_first[] = {{"a", DS_MODE_TREE, oid}, {"a.sql", DS_MODE_BLOB, oid}};
		ds_tree_entry zero_oid[] = {{"a", DS_MODE_BLOB, zero}};
		ds_tree_entry exec_mode[] = {{"a", 0100755, oid}};

		expect_tree_rejected(unsorted, 2, "unsorted");
		expect_tree_rejected(dup, 2, "duplicate");
		expect_tree_rejected(dup_modes, 2, "duplicate blob and tree");
		expect_tree_rejected(dup_far, 4, "non-adjacent duplicate");
		expect_tree_rejected(tree_first, 2, "tree sorted as plain name");
		expect_tree_rejected(zero_oid, 1, "null object id");
		expect_tree_rejected(exec_mode, 1, "mode 100755");
	}

	{
		/* Look-alikes that are fine: they only start like ".git". */
		ds_tree_entry ok[] = {
			{"%2Egit", DS_MODE_BLOB, oid},
			{".gitx", DS_MODE_BLOB, oid},
			{"a", DS_MODE_BLOB, oid},
			{"a.b", DS_MODE_BLOB, oid},
			{"a", DS_MODE_TREE, oid},
			{"a0", DS_MODE_TREE, oid},
			{"git~10", DS_MODE_BLOB, oid},
		};
		ds_buf out = DS_BUF_INIT;

		expect_tree_rejected(ok, 5, "blob a hides behind a.b");
		ok[2].name = "a-";
		assert_int_equal(ds_tree_encode(&out, ok, sizeof ok / sizeof ok[0]), 0);
		ds_buf_free(&out);
	}
}

/* The oracle agrees with the refusals: git fsck --strict rejects such trees. */
static void test_git_rejects_what_we_reject(void **state)
{
	repo *r = *state;
	ds_oid blob, tree;
	ds_buf body = DS_BUF_INIT;
	ds_tree_entry e;

	git_oid(r, &blob, "hash-object -w --stdin", "x\n", 2);
	e.name = "GIT~1";
	e.mode = DS_MODE_BLOB;
	e.oid = blob;
	expect_tree_rejected(&e, 1, e.name);

	/* Write by hand what the encoder refused. */
	ds_buf_printf(&body, "100644 %s", e.name);
	ds_buf_putc(&body, '\0');
	ds_buf_put(&body, blob.id, DS_OID_RAWSZ);
	git_oid(r, &tree, "hash-object --literally -t tree -w --stdin", body.ptr, body.len);
	assert_int_not_equal(git_run(r, "fsck --strict --no-dangling --no-progress", "", 0, NULL),
			     0);
	ds_buf_free(&body);
}

typedef struct {
	ds_tree_entry entries[8];
	char names[8][64];
	size_t n;
	int stop_at;
} collected;

static int collect_entry(const ds_tree_entry *entry, void *payload)
{
	collected *c = payload;

	if (c->stop_at >= 0 && (size_t)c->stop_at == c->n)
		return 42;
	assert_true(c->n < 8);
	c->entries[c->n] = *entry;
	snprintf(c->names[c->n], sizeof c->names[0], "%s", entry->name);
	c->entries[c->n].name = c->names[c->n];
	c->n++;
	return 0;
}

static void test_tree_parse_roundtrip(void **state)
{
	repo *r = *state;
	ds_tree_entry entries[] = {
		{"%2Egit", DS_MODE_BLOB, fake_oid(1)},
		{"a", DS_MODE_TREE, fake_oid(2)},
		{"caf\xc3\xa9.sql", DS_MODE_BLOB, fake_oid(3)},
		{"z", DS_MODE_TREE, fake_oid(4)},
	};
	size_t n = sizeof entries / sizeof entries[0];
	ds_buf body = DS_BUF_INIT, gitbody = DS_BUF_INIT, lines = DS_BUF_INIT;
	collected c = {.stop_at = -1};
	ds_oid blob, sub, tree;
	char hex[DS_OID_HEXSZ + 1], args[128];

	assert_int_equal(ds_tree_encode(&body, entries, n), 0);
	assert_int_equal(ds_tree_parse(body.ptr, body.len, collect_entry, &c), 0);
	assert_int_equal(c.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(c.names[i], entries[i].name);
		assert_int_equal(c.entries[i].mode, entries[i].mode);
		assert_oid_equal(&c.entries[i].oid, &entries[i].oid);
	}

	memset(&c, 0, sizeof c);
	c.stop_at = 2;
	assert_int_equal(ds_tree_parse(body.ptr, body.len, collect_entry, &c), 42);
	assert_int_equal(c.n, 2);

	/* A tree git wrote, with a mode ddlsnap never writes. */
	git_oid(r, &blob, "hash-object -w --stdin", "y\n", 2);
	git_oid(r, &sub, "mktree", "", 0);
	ds_oid_fmt(hex, &blob);
	ds_buf_printf(&lines, "100755 blob %s\trun.sh\n100644 blob %s\tb.sql\n", hex, hex);
	ds_oid_fmt(hex, &sub);
	ds_buf_printf(&lines, "040000 tree %s\tb\n", hex);
	git_oid(r, &tree, "mktree", lines.ptr, lines.len);
	ds_oid_fmt(hex, &tree);
	snprintf(args, sizeof args, "cat-file tree %s", hex);
	assert_int_equal(git_run(r, args, "", 0, &gitbody), 0);
	memset(&c, 0, sizeof c);
	c.stop_at = -1;
	assert_int_equal(ds_tree_parse(gitbody.ptr, gitbody.len, collect_entry, &c), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.names[0], "b.sql");
	assert_int_equal(c.entries[0].mode, DS_MODE_BLOB);
	assert_oid_equal(&c.entries[0].oid, &blob);
	assert_string_equal(c.names[1], "b");
	assert_int_equal(c.entries[1].mode, DS_MODE_TREE);
	assert_oid_equal(&c.entries[1].oid, &sub);
	assert_string_equal(c.names[2], "run.sh");
	assert_int_equal(c.entries[2].mode, 0100755);

	ds_buf_free(&body);
	ds_buf_free(&gitbody);
	ds_buf_free(&lines);
}

static void expect_tree_malformed(const char *body, size_t len)
{
	collected c = {.stop_at = -1};

	assert_int_equal(ds_tree_parse(body, len, collect_entry, &c), DS_EINVALID);
}

static void test_tree_parse_rejects(void **state)
{
	static const char twenty[] = "01234567890123456789";
	ds_buf b = DS_BUF_INIT;

	(void)state;
	expect_tree_malformed("100644 a", 8);               /* no NUL */
	expect_tree_malformed("100644 a\0short", 14);       /* truncated id */
	expect_tree_malformed("100644a\0", 8);              /* no space */
	expect_tree_malformed(" a\0", 3);                   /* no mode */
	expect_tree_malformed("1006x4 a\0", 9);             /* not octal */
	expect_tree_malformed("100648 a\0", 9);             /* not octal */

	ds_buf_puts(&b, "0100644 a");                       /* zero-padded mode */
	ds_buf_put(&b, "\0", 1);
	ds_buf_put(&b, twenty, 20);
	expect_tree_malformed(b.ptr, b.len);

	ds_buf_clear(&b);
	ds_buf_puts(&b, "100644 ");                         /* empty name */
	ds_buf_put(&b, "\0", 1);
	ds_buf_put(&b, twenty, 20);
	expect_tree_malformed(b.ptr, b.len);

	ds_buf_clear(&b);
	ds_buf_puts(&b, "100644 ok");                       /* good, then junk */
	ds_buf_put(&b, "\0", 1);
	ds_buf_put(&b, twenty, 20);
	ds_buf_puts(&b, "4");
	expect_tree_malformed(b.ptr, b.len);
	ds_buf_free(&b);
}

/* ---- commits ----------------------------------------------------------- */

static const char *const commit_env[] = {
	"GIT_AUTHOR_NAME", "J\xc3\xb6rg Author",
	"GIT_AUTHOR_EMAIL", "author@example.com",
	"GIT_AUTHOR_DATE", "1700000000 +0530",
	"GIT_COMMITTER_NAME", "ddlsnap",
	"GIT_COMMITTER_EMAIL", "ddlsnap@localhost",
	"GIT_COMMITTER_DATE", "1700000100 -0130",
};

static ds_commit sample_commit(const ds_oid *tree, const ds_oid *parents, size_t nparents,
			       const char *message)
{
	ds_commit c = {
		.tree = *tree,
		.parents = parents,
		.nparents = nparents,
		.author = {"J\xc3\xb6rg Author", "author@example.com", 1700000000, 330},
		.committer = {"ddlsnap", "ddlsnap@localhost", 1700000100, -90},
		.message = message,
	};

	return c;
}

static void test_commits_match_git(void **state)
{
	repo *r = *state;
	const char *messages[] = {
		"Initial snapshot\n",
		"Create table public.users\n\nHistory-Id: 17\n",
		"Merge\n\nHistory-Id: 18\nHistory-Id: 19\n",
	};
	ds_oid tree, commits[3];
	char hex[DS_OID_HEXSZ + 1], args[256];

	for (size_t i = 0; i < sizeof commit_env / sizeof commit_env[0]; i += 2)
		assert_int_equal(setenv(commit_env[i], commit_env[i + 1], 1), 0);

	git_oid(r, &tree, "mktree", "", 0);
	for (size_t n = 0; n < 3; n++) {
		ds_commit c = sample_commit(&tree, commits, n, messages[n]);
		ds_buf body = DS_BUF_INIT, gitbody = DS_BUF_INIT;
		size_t len;
		ds_oid ours, theirs;

		/* n parents: commit k has commits 0..k-1 as parents. */
		ds_oid_fmt(hex, &tree);
		len = (size_t)snprintf(args, sizeof args, "commit-tree %s", hex);
		for (size_t p = 0; p < n; p++) {
			ds_oid_fmt(hex, &commits[p]);
			len += (size_t)snprintf(args + len, sizeof args - len, " -p %s", hex);
		}
		git_oid(r, &theirs, args, messages[n], strlen(messages[n]));

		assert_int_equal(ds_commit_encode(&body, &c), 0);
		ds_oid_hash(&ours, DS_OBJ_COMMIT, body.ptr, body.len);
		assert_oid_equal(&ours, &theirs);

		ds_oid_fmt(hex, &theirs);
		snprintf(args, sizeof args, "cat-file commit %s", hex);
		assert_int_equal(git_run(r, args, "", 0, &gitbody), 0);
		assert_string_equal(gitbody.ptr, body.ptr);

		git_oid(r, &theirs, "hash-object -t commit -w --stdin", body.ptr, body.len);
		assert_oid_equal(&ours, &theirs);
		commits[n] = ours;
		ds_buf_free(&body);
		ds_buf_free(&gitbody);
	}
	assert_fsck_clean(r);

	for (size_t i = 0; i < sizeof commit_env / sizeof commit_env[0]; i += 2)
		unsetenv(commit_env[i]);
}

static void test_commit_parse_roundtrip(void **state)
{
	ds_oid tree = fake_oid(10), parents[2] = {fake_oid(20), fake_oid(30)};
	const char *message = "Alter view\n\nHistory-Id: 3\n";

	(void)state;
	for (size_t n = 0; n <= 2; n++) {
		ds_commit c = sample_commit(&tree, parents, n, message);
		ds_buf body = DS_BUF_INIT;
		ds_commit_info info;

		assert_int_equal(ds_commit_encode(&body, &c), 0);
		assert_int_equal(ds_commit_parse(&info, body.ptr, body.len), 0);
		assert_oid_equal(&info.tree, &tree);
		assert_int_equal(info.nparents, n);
		for (size_t p = 0; p < n; p++)
			assert_oid_equal(&info.parents[p], &parents[p]);
		assert_ptr_equal(info.message + strlen(message), body.ptr + body.len);
		assert_string_equal(info.message, message);
		ds_commit_info_free(&info);
		assert_null(info.parents);
		ds_buf_free(&body);
	}

	{
		/* Without the blank line git still takes it: empty message. */
		const char *bare = "tree 0a0b0c0d0e0f101112131415161718191a1b1c1d\n"
				   "author a <b> 1 +0000\ncommitter a <b> 1 +0000\n";
		ds_commit_info info;

		assert_int_equal(ds_commit_parse(&info, bare, strlen(bare)), 0);
		assert_int_equal(info.nparents, 0);
		assert_string_equal(info.message, "");
		ds_commit_info_free(&info);
	}
}

static void test_commit_parse_rejects(void **state)
{
	const char *tree = "tree 0a0b0c0d0e0f101112131415161718191a1b1c1d\n";
	const char *bad[] = {
		"",
		"parent 0a0b0c0d0e0f101112131415161718191a1b1c1d\n\nmsg\n",
		"tree 0a0b0c0d0e0f101112131415161718191a1b1c1\n\nmsg\n",
		"tree 0a0b0c0d0e0f101112131415161718191a1b1c1dd\n\nmsg\n",
		"tree 0a0b0c0d0e0f101112131415161718191a1b1c1x\n\nmsg\n",
		"tree  0a0b0c0d0e0f101112131415161718191a1b1c1d\n\nmsg\n",
		"tree 0a0b0c0d0e0f101112131415161718191a1b1c1d",
		"tree 0a0b0c0d0e0f101112131415161718191a1b1c1d\nparent 0a0b\n\nmsg\n",
		"tree 0a0b0c0d0e0f101112131415161718191a1b1c1d\nauthor a <b> 1 +0000",
	};
	ds_buf b = DS_BUF_INIT;
	ds_commit_info info;

	(void)state;
	/* The base every bad case spoils is fine on its own. */
	ds_buf_puts(&b, tree);
	ds_buf_puts(&b, "parent 0a0b0c0d0e0f101112131415161718191a1b1c1d\n\nmsg\n");
	assert_int_equal(ds_commit_parse(&info, b.ptr, b.len), 0);
	assert_int_equal(info.nparents, 1);
	assert_string_equal(info.message, "msg\n");
	ds_commit_info_free(&info);
	ds_buf_clear(&b);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (ds_commit_parse(&info, bad[i], strlen(bad[i])) != DS_EINVALID)
			fail_msg("accepted commit %zu: %s", i, bad[i]);
		assert_null(info.parents);
	}

	/* A NUL among the headers. */
	ds_buf_puts(&b, tree);
	ds_buf_put(&b, "author a\0 <b> 1 +0000\n\nmsg\n", 27);
	assert_int_equal(ds_commit_parse(&info, b.ptr, b.len), DS_EINVALID);
	ds_buf_free(&b);
}

static void expect_commit_rejected(const ds_commit *c, const char *why)
{
	ds_buf out = DS_BUF_INIT;

	ds_buf_puts(&out, "keep");
	if (ds_commit_encode(&out, c) != DS_EINVALID)
		fail_msg("commit accepted: %s", why);
	assert_string_equal(out.ptr, "keep");
	ds_buf_free(&out);
}

static void test_commit_encode_rejects(void **state)
{
	ds_oid tree = fake_oid(1);
	const char *bad[] = {"a<b", "a>b", "a\nb", "<", ">", "\n"};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ds_commit c = sample_commit(&tree, NULL, 0, "m\n");

		c.author.name = bad[i];
		expect_commit_rejected(&c, "author name");
		c = sample_commit(&tree, NULL, 0, "m\n");
		c.author.email = bad[i];
		expect_commit_rejected(&c, "author email");
		c = sample_commit(&tree, NULL, 0, "m\n");
		c.committer.name = bad[i];
		expect_commit_rejected(&c, "committer name");
		c = sample_commit(&tree, NULL, 0, "m\n");
		c.committer.email = bad[i];
		expect_commit_rejected(&c, "committer email");
	}

	{
		ds_commit c = sample_commit(&tree, NULL, 0, "m\n");

		c.committer.when = -1;
		expect_commit_rejected(&c, "time before 1970");
		c = sample_commit(&tree, NULL, 0, "m\n");
		c.author.tz_offset = 100 * 60;
		expect_commit_rejected(&c, "zone +10000");
		c = sample_commit(&tree, NULL, 0, "m\n");
		c.author.name = NULL;
		expect_commit_rejected(&c, "no name");
	}
}

static void test_commit_timezones(void **state)
{
	static const struct {
		int offset;
		const char *text;
	} zones[] = {
		{0, " +0000\n"},    {-90, " -0130\n"},  {-30, " -0030\n"}, {330, " +0530\n"},
		{345, " +0545\n"},  {-720, " -1200\n"}, {840, " +1400\n"}, {5999, " +9959\n"},
		{-5999, " -9959\n"},
	};
	ds_oid tree = fake_oid(1);

	(void)state;
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		ds_commit c = sample_commit(&tree, NULL, 0, "m\n");
		ds_buf body = DS_BUF_INIT, want = DS_BUF_INIT;

		c.author.tz_offset = zones[i].offset;
		c.committer.tz_offset = zones[i].offset;
		c.author.when = 0;
		assert_int_equal(ds_commit_encode(&body, &c), 0);
		ds_buf_printf(&want, "author J\xc3\xb6rg Author <author@example.com> 0%s",
			      zones[i].text);
		assert_non_null(strstr(body.ptr, want.ptr));
		ds_buf_clear(&want);
		ds_buf_printf(&want, "committer ddlsnap <ddlsnap@localhost> 1700000100%s",
			      zones[i].text);
		assert_non_null(strstr(body.ptr, want.ptr));
		ds_buf_free(&body);
		ds_buf_free(&want);
	}
}

/* Zones and dates git must agree with, written into a repo fsck then checks. */
static void test_commit_zones_pass_fsck(void **state)
{
	repo *r = *state;
	static const int offsets[] = {-90, -5999, 0, 345, 5999};
	ds_oid tree;

	git_oid(r, &tree, "mktree", "", 0);
	for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
		ds_commit c = sample_commit(&tree, NULL, 0, "zone\n");
		ds_buf body = DS_BUF_INIT;
		ds_oid ours, theirs;

		c.author.tz_offset = offsets[i];
		c.author.when = 0;
		assert_int_equal(ds_commit_encode(&body, &c), 0);
		ds_oid_hash(&ours, DS_OBJ_COMMIT, body.ptr, body.len);
		git_oid(r, &theirs, "hash-object -t commit -w --stdin", body.ptr, body.len);
		assert_oid_equal(&ours, &theirs);
		ds_buf_free(&body);
	}
	assert_fsck_clean(r);
}

static void expect_clean(const char *in, const char *fallback, const char *want)
{
	char *got = ds_signature_clean(in, fallback);

	assert_string_equal(got, want);
	free(got);
}

static void test_signature_clean(void **state)
{
	(void)state;
	expect_clean("Alice", "x", "Alice");
	expect_clean("  Alice Smith  ", "x", "Alice Smith");
	expect_clean("Bob <bob@example.com>", "x", "Bob ?bob@example.com?");
	expect_clean("a\nb\tc\x7f" "d\x01", "x", "a?b?c?d?");
	/* Control bytes are replaced, not trimmed: only spaces are. */
	expect_clean(" \tname\n ", "x", "?name?");
	expect_clean("J\xc3\xb6rg", "x", "J\xc3\xb6rg");
	expect_clean("", "unknown", "unknown");
	expect_clean("    ", "unknown", "unknown");
	expect_clean(NULL, "unknown", "unknown");
	expect_clean("", NULL, "");
	expect_clean("<>", "x", "??");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_objects),
		cmocka_unit_test(test_oid_text),
		cmocka_unit_test(test_objtype),
		cmocka_unit_test_setup_teardown(test_blobs_match_git, repo_setup, repo_teardown),
		cmocka_unit_test(test_tree_entry_cmp),
		cmocka_unit_test_setup_teardown(test_tree_order_matches_git, repo_setup,
						repo_teardown),
		cmocka_unit_test(test_tree_encode_rejects),
		cmocka_unit_test_setup_teardown(test_git_rejects_what_we_reject, repo_setup,
						repo_teardown),
		cmocka_unit_test_setup_teardown(test_tree_parse_roundtrip, repo_setup,
						repo_teardown),
		cmocka_unit_test(test_tree_parse_rejects),
		cmocka_unit_test_setup_teardown(test_commits_match_git, repo_setup, repo_teardown),
		cmocka_unit_test(test_commit_parse_roundtrip),
		cmocka_unit_test(test_commit_parse_rejects),
		cmocka_unit_test(test_commit_encode_rejects),
		cmocka_unit_test(test_commit_timezones),
		cmocka_unit_test_setup_teardown(test_commit_zones_pass_fsck, repo_setup,
						repo_teardown),
		cmocka_unit_test(test_signature_clean),
	};

	/* Only git's defaults: no user or system config may change what it writes. */
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
