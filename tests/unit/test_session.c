/* test_session.c: the one sample request (session_request()) for --batch and
 * the screen, --batch's session over a recording (printers get every sample
 * in order), the screen's session over a recording, and the replay keys'
 * words when nothing is replayed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "record/writer.h"
#include "session/session.h"

static struct filter *parse(const char *expr)
{
	char err[256];
	struct filter *f = filter_parse(expr, NULL, err, sizeof(err));

	if (!f)
		fail_msg("'%s': %s", expr, err);
	return f;
}

static struct options batch_options(void)
{
	return (struct options){
		.protos = 1u << PROTO_TCP | 1u << PROTO_UDP,
		.families = SAMPLE_V4 | SAMPLE_V6,
		.listen = LISTEN_EXCLUDE,
		.sections = SECTION_SOCKETS,
		.interval = 1,
	};
}

/* netstat's listing: no tcp_info, no links, no counters; the filter's
 * bytecode and states go to the kernel. */
static void test_batch_listing(void **state)
{
	struct options o = batch_options();
	struct filter *f = parse("tcp and state established and port 443");
	struct session_needs n;
	struct sample_request req;

	session_needs_of_options(&o, f, &n);
	session_request(&n, NULL, &req);
	assert_int_equal(req.protos, SAMPLE_TCP);
	assert_int_equal(req.families, SAMPLE_V4 | SAMPLE_V6);
	assert_int_equal(req.state_mask, ST_MASK(ST_ESTABLISHED));
	assert_false(req.want_info);
	assert_false(req.want_links);
	assert_false(req.want_counters);
	assert_false(req.want_procs);
	assert_non_null(req.bytecode);
	assert_true(req.bytecode_len > 0);
	filter_free(f);
}

/* -l with TCP alone: the kernel skips the established hash; JSON asks for
 * everything it prints; a filter on the owner asks for owners. */
static void test_batch_listeners_json(void **state)
{
	struct options o = batch_options();
	struct filter *f = parse("pid 1");
	struct session_needs n;
	struct sample_request req;

	o.protos = 1u << PROTO_TCP;
	o.listen = LISTEN_ONLY;
	o.json = true;
	session_needs_of_options(&o, f, &n);
	session_request(&n, NULL, &req);
	assert_int_equal(req.state_mask, ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE));
	assert_true(req.want_info);
	assert_true(req.want_links);
	assert_true(req.want_counters);
	assert_true(req.want_procs);
	filter_free(f);
}

/* The flood panes count every TCP socket whatever the filter: no bytecode,
 * every state, every family. */
static void test_screen_every_tcp(void **state)
{
	struct filter *f = parse("udp and port 53");
	struct session_needs n = {
		.protos = 1u << PROTO_UDP, .families = SAMPLE_V4 | SAMPLE_V6, .listen = LISTEN_ALL,
		.filter = f, .info = true, .links = true, .counters = true, .every_tcp = true,
		.procs_budget_ms = 250,
	};
	struct sample_request req;

	session_request(&n, NULL, &req);
	assert_true(req.protos & SAMPLE_TCP);
	assert_int_equal(req.families, SAMPLE_V4 | SAMPLE_V6);
	assert_int_equal(req.state_mask, ST_MASK_ALL);
	assert_null(req.bytecode);
	assert_int_equal(req.procs_budget_ms, 250);
	n.every_tcp = false;
	session_request(&n, NULL, &req);
	assert_int_equal(req.protos, SAMPLE_UDP);
	assert_non_null(req.bytecode);
	filter_free(f);
}

/* While exporting, the screen's dump covers what --batch would export too;
 * the bytecode stays only when both filters are one. */
static void test_screen_widened_for_export(void **state)
{
	struct options o = batch_options();
	struct filter *shown_f = parse("tcp and port 443");
	struct filter *same = parse("tcp and port 443");
	struct filter *other = parse("udp");
	struct session_needs shown = {
		.protos = 1u << PROTO_TCP, .families = SAMPLE_V4, .listen = LISTEN_ALL,
		.filter = shown_f, .info = true,
	}, exported;
	struct sample_request req;

	o.prometheus = "/dev/null";
	session_needs_of_options(&o, other, &exported);
	session_request(&shown, &exported, &req);
	assert_int_equal(req.protos, SAMPLE_TCP | SAMPLE_UDP);
	assert_int_equal(req.families, SAMPLE_V4 | SAMPLE_V6);
	assert_true(req.state_mask & ST_MASK(ST_ESTABLISHED));
	assert_true(req.want_counters);
	assert_null(req.bytecode);
	session_needs_of_options(&o, same, &exported);
	session_request(&shown, &exported, &req);
	assert_non_null(req.bytecode);
	filter_free(shown_f);
	filter_free(same);
	filter_free(other);
}

static char path[64];

static int recording_make(void **state)
{
	char err[256];
	struct record_writer *w;
	struct snapshot *prev = NULL;
	int fd, status;

	snprintf(path, sizeof(path), "/tmp/nettop-test-session-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_non_null(w = record_writer_open(path, err, sizeof(err), &status));
	for (int i = 0; i < 4; i++) {
		struct snapshot *s = snapshot_new(0);

		s->wall = s->mono = (struct timespec){ .tv_sec = 1000 + i };
		TCP4(s, ST_ESTABLISHED, "127.0.0.1", 443, "127.0.0.2", 40000);
		s->socks[0].recv_q = (uint32_t)i;
		assert_int_equal(record_writer_write(w, s, prev), 0);
		snapshot_free(prev);
		prev = s;
	}
	snapshot_free(prev);
	record_writer_close(w);
	return 0;
}

static int recording_remove(void **state)
{
	unlink(path);
	return 0;
}

struct printed {
	int n;
	uint32_t seen[8];
	bool first[8];
	int stop_after;
};

static int print_note(void *arg, const struct snapshot *snap, bool first)
{
	struct printed *p = arg;

	p->seen[p->n] = snap->socks[0].recv_q;
	p->first[p->n] = first;
	return ++p->n == p->stop_after ? -1 : 0;
}

/* --batch --replay: every recorded sample to the printer in order, the
 * first marked; --count stops early; a printer that fails ends it (1). */
static void test_run_replay(void **state)
{
	struct options o = batch_options();
	struct printed seen = { 0 };
	struct session_printer p = { print_note, &seen };
	struct out_options none = { 0 };
	volatile sig_atomic_t stop = 0;

	o.replay = path;
	assert_int_equal(session_run(&o, NULL, &none, &p, &stop), 0);
	assert_int_equal(seen.n, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(seen.seen[i], i);
		assert_int_equal(seen.first[i], i == 0);
	}
	seen = (struct printed){ 0 };
	o.count = 2;
	assert_int_equal(session_run(&o, NULL, &none, &p, &stop), 0);
	assert_int_equal(seen.n, 2);
	seen = (struct printed){ .stop_after = 1 };
	o.count = 0;
	assert_int_equal(session_run(&o, NULL, &none, &p, &stop), 1);
	assert_int_equal(seen.n, 1);
	o.replay = "/etc/passwd";
	assert_int_equal(session_run(&o, NULL, &none, &p, &stop), 2);
}

/* The screen's session over a recording: the replay's controls, no
 * requests, nothing closed. */
static void test_screen_replay(void **state)
{
	struct options o = batch_options();
	struct session_setup setup = { .opts = &o, .netns_fd = -1, .record = true };
	const char *note;
	char msg[256];
	int err;
	bool usage;
	struct session *s;
	struct destroy_result r;

	o.replay = path;
	o.record = "/nonexistent/never-written";	/* a replay records nothing */
	assert_non_null(s = session_start(&setup, &note, msg, sizeof(msg), &err, &usage));
	assert_non_null(session_replay(s));
	assert_null(note);
	assert_true(session_fd(s) >= 0);
	assert_false(session_dumping(s));
	assert_int_equal(session_destroy(s, NULL, 0), -EOPNOTSUPP);
	assert_false(session_destroy_result(s, &r));
	assert_int_equal(session_record_error(s), 0);
	session_stop(s);
	o.replay = "/etc/passwd";
	assert_null(session_start(&setup, &note, msg, sizeof(msg), &err, &usage));
	assert_true(usage);
	assert_non_null(strstr(msg, "not a nettop recording"));
}

/* The replay keys on a live screen say what they are for. */
static void test_keys_live(void **state)
{
	char buf[64];
	bool paused = false;

	assert_non_null(strstr(replay_key_step(NULL, 1, &paused), "--replay"));
	assert_false(paused);
	assert_non_null(strstr(replay_key_speed(NULL, 1, buf, sizeof(buf)), "--replay"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_listing),
		cmocka_unit_test(test_batch_listeners_json),
		cmocka_unit_test(test_screen_every_tcp),
		cmocka_unit_test(test_screen_widened_for_export),
		cmocka_unit_test(test_run_replay),
		cmocka_unit_test(test_screen_replay),
		cmocka_unit_test(test_keys_live),
	};

	return cmocka_run_group_tests(tests, recording_make, recording_remove);
}
