/*
 * main.c - the ddlsnap command line: parses arguments, runs a subcommand,
 * prints the summary and maps the outcome to an exit code:
 *   0 all good; 1 finished, but something needs a look (a change failed to
 *   replay, verify found a problem); 2 usage error; 3 fatal error.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/checkout.h"
#include "ddlsnap/convert.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/live.h"
#include "ddlsnap/plan.h"
#include "ddlsnap/refuse.h"
#include "ddlsnap/registry.h"
#include "ddlsnap/replay_role.h"
#include "ddlsnap/verify.h"

enum { EXIT_OK = 0, EXIT_LOOK = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

static const char usage_main[] =
	"ddlsnap " DDLSNAP_VERSION " - turn a pgGit v1 DDL history into git snapshots\n"
	"\n"
	"usage: ddlsnap <command> [options]\n"
	"\n"
	"commands:\n"
	"  plan      the dry run: scope, lossy-history findings, runtime estimate\n"
	"  convert   replay pggit.history in a shadow database and write one snapshot\n"
	"            commit per change to the v2 store (and a git repository)\n"
	"  verify    check a converted history against itself, the repository and v1\n"
	"  snapshot  capture a live database as one commit on main\n"
	"  status    show the conversion runs recorded in the v2 store\n"
	"  checkout  write the snapshot of a commit into an empty database\n"
	"\n"
	"Run 'ddlsnap <command> --help' for a command's options. Connections are libpq\n"
	"conninfo strings or URIs; PG* environment variables and .pgpass apply.\n";

static const char usage_convert[] =
	"usage: ddlsnap convert --source CONN [--target CONN] [--shadow CONN]\n"
	"                       [--git-dir DIR] [--from-id N] [--batch-size N]\n"
	"                       [--stop-on-error] [--replay-dml] [--events FILE] [--paranoid]\n"
	"                       [--baseline FILE]\n"
	"                       [--quiet] [--allow-extension NAME]...\n"
	"                       [--allow-event-trigger NAME]... [--replay-user ROLE]\n"
	"\n"
	"  --source CONN     database holding pggit.history (only read)\n"
	"  --target CONN     where pggit_v2 and pggit_audit are written (default: source)\n"
	"  --shadow CONN     an empty database to replay in (default: a scratch database\n"
	"                    created on the source server and dropped at the end)\n"
	"  --git-dir DIR     also write a bare git repository (created if missing)\n"
	"  --from-id N       start at history id N; the changes before it are replayed\n"
	"                    but not committed again (the target must hold them)\n"
	"  --batch-size N    changes per target transaction (default 100)\n"
	"  --stop-on-error   stop at the first change that fails to replay\n"
	"  --replay-dml      run the history's INSERT/UPDATE/DELETE/MERGE and SELECTs\n"
	"                    (default: skipped and counted; DO, CALL and SELECTs of\n"
	"                    user functions or set_config always run)\n"
	"  --events FILE     append one JSON object per batch and one at the end\n"
	"  --baseline FILE   a schema-only dump (pg_dump --schema-only) of what existed\n"
	"                    before the history: replayed first, as the root commit\n"
	"  --paranoid        after each change, capture the whole shadow and fail on any\n"
	"                    difference from the snapshot kept incrementally (also set\n"
	"                    by DDLSNAP_PARANOID=1, as the test suite does)\n"
	"  --quiet           no progress display; only errors and the summary\n"
	"  --allow-extension NAME      allow CREATE EXTENSION NAME (repeatable)\n"
	"  --allow-event-trigger NAME  allow CREATE EVENT TRIGGER NAME (repeatable)\n"
	"  --replay-user ROLE          run history as this existing role rather than a\n"
	"                              new ddlsnap_replay_<pid> role\n"
	"\n"
	"History SQL runs as an unprivileged role that owns only the shadow; statements\n"
	"that reach beyond it are refused and reported (docs/security.md).\n"
	"A rerun into the same target resumes after the last committed batch: the\n"
	"changes it holds are replayed, not committed again. SIGINT or SIGTERM stop\n"
	"after the current change and roll back the batch in flight.\n";

static const char usage_plan[] =
	"usage: ddlsnap plan --source CONN [--shadow CONN] [--batch-size N] [--replay-dml]\n"
	"                    [--json]\n"
	"\n"
	"  --source CONN     database holding pggit.history (only read)\n"
	"  --shadow CONN     an empty database for the estimate's replay (default: a\n"
	"                    scratch database, dropped at the end)\n"
	"  --batch-size N    the estimate replays three batches of N changes (default 100)\n"
	"  --replay-dml      the estimate's replay runs DML, as convert --replay-dml\n"
	"  --json            machine-readable output on stdout\n"
	"\n"
	"Reports the scope (rows, changes, dates, authors), what the history lost (rows\n"
	"missing a field, objects altered or dropped but never created, objects created\n"
	"more than once, change texts that do not parse) and an estimate of the\n"
	"conversion's time with its formula. Nothing is written. Exit 1 with findings.\n";

static const char usage_status[] =
	"usage: ddlsnap status --source CONN [--target CONN] [--json]\n"
	"\n"
	"  --source CONN     database holding pggit.history\n"
	"  --target CONN     database holding the v2 store (default: source)\n"
	"  --json            machine-readable output on stdout\n"
	"\n"
	"Prints the latest conversion runs from pggit_v2.v_backfill_status: status,\n"
	"rows processed and expected, percent complete, elapsed and estimated time left.\n";

static const char usage_verify[] =
	"usage: ddlsnap verify --source CONN [--target CONN] [--git-dir DIR] [--replay]\n"
	"                      [--replay-dml] [--json]\n"
	"\n"
	"  --source CONN     database holding pggit.history\n"
	"  --target CONN     database holding the v2 store (default: source)\n"
	"  --git-dir DIR     also compare with this git repository\n"
	"  --replay          also replay the whole history in a scratch shadow and check\n"
	"                    that every commit SHA is reproduced\n"
	"  --replay-dml      that replay runs DML, as convert --replay-dml\n"
	"  --json            machine-readable report on stdout\n"
	"  --quiet           accepted for symmetry; the report is the output\n";

static const char usage_snapshot[] =
	"usage: ddlsnap snapshot --source CONN (--git-dir DIR | --target CONN) [--message TEXT]\n"
	"                        [--with-owners] [--quiet]\n"
	"\n"
	"  --source CONN     the database to capture (only read)\n"
	"  --git-dir DIR     bare git repository to commit to (created if missing)\n"
	"  --target CONN     v2 store to commit to (pggit_v2, created if missing)\n"
	"  --message TEXT    commit message (default: \"Snapshot of database NAME\")\n"
	"  --with-owners     capture owners (ALTER ... OWNER TO) and the owners' own\n"
	"                    privileges; by default a snapshot does not name who owns what\n"
	"  --quiet           no warnings about objects not captured; only the summary\n"
	"\n"
	"The commit goes on main, with main's commit as parent; when main already holds\n"
	"this schema nothing is written. Prints the commit SHA on stdout.\n";

static const char usage_checkout[] =
	"usage: ddlsnap checkout (--git-dir DIR | --target CONN) --commit REV --into CONN\n"
	"                        [--quiet]\n"
	"\n"
	"  --git-dir DIR     read the commit from this bare git repository, or\n"
	"  --target CONN     from the v2 store (pggit_v2) of this database\n"
	"  --commit REV      a commit SHA, a unique prefix of one, or a branch (main);\n"
	"                    with --git-dir anything git rev-parse takes (main~2)\n"
	"  --into CONN       the empty database to write (created from template0; an\n"
	"                    untouched schema public is expected)\n"
	"  --quiet           no progress lines; only errors and the summary\n"
	"\n"
	"Everything is written in one transaction: the whole snapshot or nothing.\n"
	"Exit status: 0 written; 1 the snapshot does not apply (each failing statement\n"
	"is listed); 2 usage error, unknown REV or a target that is not empty;\n"
	"3 connection or I/O error.\n";

enum {
	OPT_SOURCE = 256,
	OPT_TARGET,
	OPT_SHADOW,
	OPT_GIT_DIR,
	OPT_BATCH,
	OPT_STOP,
	OPT_JSON,
	OPT_REPLAY,
	OPT_MESSAGE,
	OPT_WITH_OWNERS,
	OPT_FROM_ID,
	OPT_EVENTS,
	OPT_COMMIT,
	OPT_INTO,
	OPT_REPLAY_DML,
	OPT_PARANOID,
	OPT_BASELINE,
	OPT_ALLOW_EXTENSION,
	OPT_ALLOW_EVENT_TRIGGER,
	OPT_REPLAY_USER,
};

/* Options of every command that replays history (docs/security.md). */
#define REPLAY_SECURITY_OPTIONS                                                    \
	{"allow-extension", required_argument, NULL, OPT_ALLOW_EXTENSION},          \
	{"allow-event-trigger", required_argument, NULL, OPT_ALLOW_EVENT_TRIGGER},  \
	{"replay-user", required_argument, NULL, OPT_REPLAY_USER}

static const struct option convert_opts[] = {
	{"source", required_argument, NULL, OPT_SOURCE},
	{"target", required_argument, NULL, OPT_TARGET},
	{"shadow", required_argument, NULL, OPT_SHADOW},
	{"git-dir", required_argument, NULL, OPT_GIT_DIR},
	{"batch-size", required_argument, NULL, OPT_BATCH},
	{"stop-on-error", no_argument, NULL, OPT_STOP},
	{"replay-dml", no_argument, NULL, OPT_REPLAY_DML},
	{"from-id", required_argument, NULL, OPT_FROM_ID},
	{"events", required_argument, NULL, OPT_EVENTS},
	{"paranoid", no_argument, NULL, OPT_PARANOID},
	{"baseline", required_argument, NULL, OPT_BASELINE},
	REPLAY_SECURITY_OPTIONS,
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const struct option verify_opts[] = {
	{"source", required_argument, NULL, OPT_SOURCE},
	{"target", required_argument, NULL, OPT_TARGET},
	{"git-dir", required_argument, NULL, OPT_GIT_DIR},
	{"json", no_argument, NULL, OPT_JSON},
	{"replay", no_argument, NULL, OPT_REPLAY},
	{"replay-dml", no_argument, NULL, OPT_REPLAY_DML},
	REPLAY_SECURITY_OPTIONS,
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const struct option plan_opts[] = {
	{"source", required_argument, NULL, OPT_SOURCE},
	{"shadow", required_argument, NULL, OPT_SHADOW},
	{"batch-size", required_argument, NULL, OPT_BATCH},
	{"replay-dml", no_argument, NULL, OPT_REPLAY_DML},
	{"json", no_argument, NULL, OPT_JSON},
	REPLAY_SECURITY_OPTIONS,
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const struct option status_opts[] = {
	{"source", required_argument, NULL, OPT_SOURCE},
	{"target", required_argument, NULL, OPT_TARGET},
	{"json", no_argument, NULL, OPT_JSON},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const struct option snapshot_opts[] = {
	{"source", required_argument, NULL, OPT_SOURCE},
	{"target", required_argument, NULL, OPT_TARGET},
	{"git-dir", required_argument, NULL, OPT_GIT_DIR},
	{"message", required_argument, NULL, OPT_MESSAGE},
	{"with-owners", no_argument, NULL, OPT_WITH_OWNERS},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const struct option checkout_opts[] = {
	{"git-dir", required_argument, NULL, OPT_GIT_DIR},
	{"target", required_argument, NULL, OPT_TARGET},
	{"commit", required_argument, NULL, OPT_COMMIT},
	{"into", required_argument, NULL, OPT_INTO},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fputs("ddlsnap: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n\n", stderr);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

static int parse_count(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 1000000)
		return -1;
	*out = (int)v;
	return 0;
}

/* What every subcommand's arguments have in common. */
typedef struct {
	const char *source;
	const char *target;
	const char *git_dir;
	int quiet;
} common_args;

typedef struct {
	const char *name;
	const char *usage;
	const struct option *options; /* the options this command accepts */
	/* Apply a command-specific option to opts.
	 * @return -1 to go on, or the exit code to stop with */
	int (*apply)(int opt, const char *arg, void *opts);
	int no_source; /* the command takes no --source (checkout) */
} command;

/*
 * Parse a subcommand's arguments: the options every command shares go to
 * args, the others to cmd->apply. Help, unknown options, stray arguments
 * and a missing --source are handled here, the same way for every command.
 * @return -1 to run the command, or the exit code to stop with
 */
static int parse_args(const command *cmd, int argc, char **argv, common_args *args, void *opts)
{
	int c, rc;
	while ((c = getopt_long(argc, argv, "qh", cmd->options, NULL)) != -1) {
		switch (c) {
		case OPT_SOURCE:
			args->source = optarg;
			break;
		case OPT_TARGET:
			args->target = optarg;
			break;
		case OPT_GIT_DIR:
			args->git_dir = optarg;
			break;
		case 'q':
			args->quiet = 1;
			break;
		case OPT_ALLOW_EXTENSION:
			ds_refuse_allow_extension(optarg);
			break;
		case OPT_ALLOW_EVENT_TRIGGER:
			ds_refuse_allow_event_trigger(optarg);
			break;
		case OPT_REPLAY_USER:
			ds_replay_role_use(optarg);
			break;
		case 'h':
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		case '?':
			fputc('\n', stderr);
			fputs(cmd->usage, stderr);
			return EXIT_USAGE;
		default:
			rc = cmd->apply(c, optarg, opts);
			if (rc >= 0)
				return rc;
		}
	}
	if (optind < argc)
		return usage_error(cmd->usage, "unexpected argument '%s'", argv[optind]);
	if (!args->source && !cmd->no_source)
		return usage_error(cmd->usage, "%s needs --source", cmd->name);
	return -1;
}

/* convert's options beyond ds_convert_opts: where events go, the baseline's file */
typedef struct {
	ds_convert_opts o;
	const char *events_path;
	const char *baseline_path;
} convert_args;

/* The whole of a file, NUL-terminated; NULL with errno set on failure. */
static char *read_whole_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	ds_buf b = DS_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ds_buf_put(&b, chunk, n);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		ds_buf_free(&b);
		return NULL;
	}
	return ds_buf_detach(&b);
}

static int apply_convert(int opt, const char *arg, void *opts)
{
	convert_args *ca = opts;
	ds_convert_opts *o = &ca->o;
	char *end;
	switch (opt) {
	case OPT_FROM_ID:
		o->from_id = strtoll(arg, &end, 10);
		if (!*arg || *end || o->from_id < 1)
			return usage_error(usage_convert, "--from-id wants a history id, not '%s'",
					   arg);
		break;
	case OPT_EVENTS:
		ca->events_path = arg;
		break;
	case OPT_SHADOW:
		o->shadow = arg;
		break;
	case OPT_BATCH:
		if (parse_count(arg, &o->batch_size))
			return usage_error(usage_convert,
					   "--batch-size wants a number from 1 to 1000000, not '%s'",
					   arg);
		break;
	case OPT_STOP:
		o->stop_on_error = 1;
		break;
	case OPT_REPLAY_DML:
		o->replay_dml = 1;
		break;
	case OPT_PARANOID:
		o->paranoid = 1;
		break;
	case OPT_BASELINE:
		ca->baseline_path = arg;
		break;
	}
	return -1;
}

static const command convert_cmd = {"convert", usage_convert, convert_opts, apply_convert};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/*
 * The command line as the registry records it: connection strings without
 * their passwords.
 */
static char *recorded_arguments(int argc, char **argv)
{
	static const char *const conn_opts[] = {"--source", "--target", "--shadow"};
	ds_buf b = DS_BUF_INIT;
	ds_buf_puts(&b, argv[0]);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int is_conn = 0;
		for (size_t k = 0; k < sizeof conn_opts / sizeof conn_opts[0]; k++) {
			size_t n = strlen(conn_opts[k]);
			if (strncmp(arg, conn_opts[k], n) == 0 && arg[n] == '=') {
				char *r = ds_db_conninfo_redact(arg + n + 1);
				ds_buf_printf(&b, " %s='%s'", conn_opts[k], r);
				free(r);
				is_conn = 2;
			} else if (strcmp(arg, conn_opts[k]) == 0 && i + 1 < argc) {
				char *r = ds_db_conninfo_redact(argv[++i]);
				ds_buf_printf(&b, " %s '%s'", conn_opts[k], r);
				free(r);
				is_conn = 1;
			}
			if (is_conn)
				break;
		}
		if (!is_conn)
			ds_buf_printf(&b, " %s", arg);
	}
	return ds_buf_detach(&b);
}

static int cmd_convert(int argc, char **argv)
{
	convert_args ca = {.o = {.batch_size = 100, .log = stderr}};
	ds_convert_opts *o = &ca.o;
	const char *paranoid = getenv("DDLSNAP_PARANOID");
	o->paranoid = paranoid && strcmp(paranoid, "1") == 0;
	common_args args = {0};
	int stop = parse_args(&convert_cmd, argc, argv, &args, &ca);
	if (stop >= 0)
		return stop;
	o->source = args.source;
	o->target = args.target;
	o->git_dir = args.git_dir;
	o->quiet = args.quiet;
	o->progress_bar = isatty(STDERR_FILENO);
	o->stop = &stop_requested;
	if (ca.events_path) {
		o->events = fopen(ca.events_path, "a");
		if (!o->events) {
			fprintf(stderr, "ddlsnap: cannot open %s for the events: %m\n", ca.events_path);
			return EXIT_FATAL;
		}
	}
	char *baseline = NULL;
	if (ca.baseline_path) {
		baseline = read_whole_file(ca.baseline_path);
		if (!baseline) {
			fprintf(stderr, "ddlsnap: cannot read the baseline %s: %m\n", ca.baseline_path);
			if (o->events)
				fclose(o->events);
			return EXIT_FATAL;
		}
		o->baseline_sql = baseline;
		o->baseline_name = ca.baseline_path;
	}
	char *arguments = recorded_arguments(argc, argv);
	o->arguments = arguments;

	/* finish the current change, then stop cleanly */
	struct sigaction sa = {.sa_handler = on_stop_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ds_convert_stats st;
	int rc = ds_convert_run(o, &st);
	free(arguments);
	free(baseline);
	if (o->events)
		fclose(o->events);
	if (rc) {
		fprintf(stderr, "ddlsnap: convert failed: %s\n", ds_error_last());
		fprintf(stderr, "ddlsnap: the batch in flight was rolled back; %zu commits were written\n",
			st.commits);
		return EXIT_FATAL;
	}
	if (st.interrupted)
		fprintf(stderr,
			"convert: interrupted; the batch in flight was rolled back. Run the same"
			" command again to resume.\n");
	char head[DS_OID_HEXSZ + 1] = "(none)";
	if (st.has_head)
		ds_oid_fmt(head, &st.head);
	fprintf(stderr,
		"convert: %zu history rows in %zu changes: %zu replayed, %zu failed\n"
		"convert: %zu commits, head %s\n"
		"convert: %zu objects in the head snapshot, %zu git objects written, %zu audit rows\n"
		"convert: %zu warnings (objects of kinds not captured yet), %zu transaction-control "
		"and %zu DML statements not executed\n"
		"convert: %zu queries and %zu maintenance statements not executed, %zu run without"
		" CONCURRENTLY, %zu changes replayed in steps\n"
		"convert: %zu statements refused, %zu owner changes not executed\n"
		"convert: %zu rows in %zu changes were already in the target (replayed only)\n"
		"convert: %zu changes captured incrementally in %zu captures (%zu run again),"
		" %zu whole%s\n"
		"convert: %zu captures ran while the next changes replayed, %zu read again after"
		" giving up on a lock, %zu changes run again after failing on a lock beside one\n"
		"convert: %.3f s replaying changes: %.3f s running them, %.3f s taking their scope"
		" before they commit, %.3f s capturing before a change ran again; %.3f s waiting"
		" for the capture thread, which read for %.3f s\n"
		"convert: %.2f s, run %lld\n",
		st.rows, st.groups, st.replayed, st.failed, st.commits, head, st.head_objects,
		st.objects_written, st.audit_rows, st.warnings, st.skipped_transaction,
		st.skipped_dml, st.skipped_query, st.skipped_maintenance, st.concurrently,
		st.stepped, st.refused, st.skipped_owner, st.resumed_rows, st.resumed_changes,
		st.scoped_captures, st.span_captures, st.sent_back, st.whole_captures,
		ca.o.paranoid ? ", each change checked against a full capture" : "",
		st.captures_behind, st.captures_retried, st.contended, st.replay_seconds,
		st.replay_seconds - st.gate_seconds - st.again_seconds, st.gate_seconds,
		st.again_seconds, st.wait_seconds, st.thread_seconds, st.seconds,
		(long long)st.run_id);
	return st.failed || st.interrupted ? EXIT_LOOK : EXIT_OK;
}

static int apply_verify(int opt, const char *arg, void *opts)
{
	ds_verify_opts *o = opts;
	(void)arg;
	switch (opt) {
	case OPT_JSON:
		o->json = 1;
		break;
	case OPT_REPLAY:
		o->replay = 1;
		break;
	case OPT_REPLAY_DML:
		o->replay_dml = 1;
		break;
	}
	return -1;
}

static const command verify_cmd = {"verify", usage_verify, verify_opts, apply_verify};

static int cmd_verify(int argc, char **argv)
{
	ds_verify_opts o = {.out = stdout};
	common_args args = {0};
	int stop = parse_args(&verify_cmd, argc, argv, &args, &o);
	if (stop >= 0)
		return stop;
	/* --quiet is accepted for symmetry: the report is verify's output */
	o.source = args.source;
	o.target = args.target;
	o.git_dir = args.git_dir;

	size_t findings = 0;
	if (ds_verify_run(&o, &findings) != 0) {
		fprintf(stderr, "ddlsnap: verify failed: %s\n", ds_error_last());
		return EXIT_FATAL;
	}
	return findings ? EXIT_LOOK : EXIT_OK;
}

static int apply_plan(int opt, const char *arg, void *opts)
{
	ds_plan_opts *o = opts;
	switch (opt) {
	case OPT_SHADOW:
		o->shadow = arg;
		break;
	case OPT_BATCH:
		if (parse_count(arg, &o->batch_size))
			return usage_error(usage_plan,
					   "--batch-size wants a number from 1 to 1000000, not '%s'",
					   arg);
		break;
	case OPT_JSON:
		o->json = 1;
		break;
	case OPT_REPLAY_DML:
		o->replay_dml = 1;
		break;
	}
	return -1;
}

static const command plan_cmd = {"plan", usage_plan, plan_opts, apply_plan};

static int cmd_plan(int argc, char **argv)
{
	ds_plan_opts o = {.batch_size = 100, .out = stdout};
	common_args args = {0};
	int stop = parse_args(&plan_cmd, argc, argv, &args, &o);
	if (stop >= 0)
		return stop;
	o.source = args.source;
	size_t findings = 0;
	if (ds_plan_run(&o, &findings) != 0) {
		fprintf(stderr, "ddlsnap: plan failed: %s\n", ds_error_last());
		return EXIT_FATAL;
	}
	return findings ? EXIT_LOOK : EXIT_OK;
}

static int apply_status(int opt, const char *arg, void *opts)
{
	(void)arg;
	if (opt == OPT_JSON)
		*(int *)opts = 1;
	return -1;
}

static const command status_cmd = {"status", usage_status, status_opts, apply_status};

static int cmd_status(int argc, char **argv)
{
	int json = 0;
	common_args args = {0};
	int stop = parse_args(&status_cmd, argc, argv, &args, &json);
	if (stop >= 0)
		return stop;
	PGconn *conn = NULL;
	int rc = ds_db_connect(&conn, args.target ? args.target : args.source, NULL);
	if (rc == 0)
		rc = ds_registry_print(conn, stdout, json, 10);
	if (conn)
		PQfinish(conn);
	if (rc == DS_ENOTFOUND) {
		fprintf(stderr, "ddlsnap: %s\n", ds_error_last());
		return EXIT_LOOK;
	}
	if (rc) {
		fprintf(stderr, "ddlsnap: status failed: %s\n", ds_error_last());
		return EXIT_FATAL;
	}
	return EXIT_OK;
}

static int apply_snapshot(int opt, const char *arg, void *opts)
{
	ds_live_opts *o = opts;
	switch (opt) {
	case OPT_MESSAGE:
		o->message = arg;
		break;
	case OPT_WITH_OWNERS:
		o->with_owners = true;
		break;
	}
	return -1;
}

static const command snapshot_cmd = {"snapshot", usage_snapshot, snapshot_opts, apply_snapshot};

static int cmd_snapshot(int argc, char **argv)
{
	ds_live_opts o = {.log = stderr};
	common_args args = {0};
	int stop = parse_args(&snapshot_cmd, argc, argv, &args, &o);
	if (stop >= 0)
		return stop;
	if (!args.git_dir && !args.target)
		return usage_error(usage_snapshot, "%s needs --git-dir or --target", "snapshot");
	o.source = args.source;
	o.target = args.target;
	o.git_dir = args.git_dir;
	o.quiet = args.quiet;

	ds_live_result r;
	if (ds_live_snapshot(&o, &r) != 0) {
		fprintf(stderr, "ddlsnap: snapshot failed: %s\n", ds_error_last());
		return EXIT_FATAL;
	}
	char commit[DS_OID_HEXSZ + 1];
	ds_oid_fmt(commit, &r.commit);
	if (r.unchanged)
		fprintf(stderr, "snapshot: main already holds this schema; nothing written\n");
	else
		fprintf(stderr, "snapshot: %zu objects, %zu changed since %s\n", r.objects,
			r.changes, r.has_parent ? "main's last commit" : "nothing (first commit)");
	if (r.warnings)
		fprintf(stderr, "snapshot: %zu objects of kinds not captured yet (warnings above)\n",
			r.warnings);
	puts(commit);
	return EXIT_OK;
}

static int apply_checkout(int opt, const char *arg, void *opts)
{
	ds_checkout_opts *o = opts;
	switch (opt) {
	case OPT_COMMIT:
		o->rev = arg;
		break;
	case OPT_INTO:
		o->into = arg;
		break;
	}
	return -1;
}

static const command checkout_cmd = {"checkout", usage_checkout, checkout_opts, apply_checkout, 1};

static int cmd_checkout(int argc, char **argv)
{
	ds_checkout_opts o = {.log = stderr};
	common_args args = {0};
	int stop = parse_args(&checkout_cmd, argc, argv, &args, &o);
	if (stop >= 0)
		return stop;
	if (!args.git_dir == !args.target)
		return usage_error(usage_checkout, "%s",
				   "checkout needs exactly one of --git-dir and --target");
	if (!o.rev)
		return usage_error(usage_checkout, "%s", "checkout needs --commit");
	if (!o.into)
		return usage_error(usage_checkout, "%s", "checkout needs --into");
	o.git_dir = args.git_dir;
	o.store = args.target;
	o.quiet = args.quiet;

	ds_checkout_stats st;
	if (ds_checkout_run(&o, &st) != 0) {
		fprintf(stderr, "ddlsnap: checkout failed: %s\n", ds_error_last());
		switch (st.outcome) {
		case DS_CHECKOUT_BAD_REQUEST:
			return EXIT_USAGE;
		case DS_CHECKOUT_NOT_APPLIED:
			return EXIT_LOOK;
		default:
			return EXIT_FATAL;
		}
	}
	char commit[DS_OID_HEXSZ + 1];
	ds_oid_fmt(commit, &st.commit);
	fprintf(stderr,
		"checkout: commit %s: %zu objects, %zu statements applied (%zu retried)%s"
		" in %.2f s\n",
		commit, st.objects, st.statements, st.retried,
		st.public_dropped ? "; schema public dropped (not in the snapshot)" : "",
		st.seconds);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(usage_main, "%s", "no command given");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		puts("ddlsnap " DDLSNAP_VERSION);
		return EXIT_OK;
	}
	/* getopt_long sees the subcommand as argv[0] */
	if (!strcmp(cmd, "convert"))
		return cmd_convert(argc - 1, argv + 1);
	if (!strcmp(cmd, "verify"))
		return cmd_verify(argc - 1, argv + 1);
	if (!strcmp(cmd, "plan"))
		return cmd_plan(argc - 1, argv + 1);
	if (!strcmp(cmd, "status"))
		return cmd_status(argc - 1, argv + 1);
	if (!strcmp(cmd, "snapshot"))
		return cmd_snapshot(argc - 1, argv + 1);
	if (!strcmp(cmd, "checkout"))
		return cmd_checkout(argc - 1, argv + 1);
	return usage_error(usage_main, "unknown command '%s'", cmd);
}
