/* test_bpf_filter.c: the inet_diag bytecode the filter compiles is what the
 * BPF iterators can run (src/sample/bpf/bpf_sampler.c checks it as the
 * kernel's inet_diag_bc_audit() would); anything else is left to userspace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <linux/inet_diag.h>
#include <string.h>

#include "build.h"
#include "lookup.h"
#include "sample/bpf/bc_bounds.h"
#include "sample/bpf/bpf_sampler.h"
#include "view/filter.h"

static void assert_runnable(const char *expr)
{
	char err[256] = "";
	struct filter *f = filter_parse(expr, lookup_filter_names(), err, sizeof(err));
	const void *bc;
	size_t len;

	if (!f)
		fail_msg("'%s' refused: %s", expr, err);
	bc = filter_bytecode(f, 4, &len);
	if (!bc)
		fail_msg("'%s' compiled to no bytecode", expr);
	if (!bpf_bytecode_runnable(bc, len))
		fail_msg("'%s': its %zu bytes of bytecode do not run in the BPF program", expr, len);
	filter_free(f);
}

static void test_compiled_runs(void **state)
{
	(void)state;
	assert_runnable("sport = :80");
	assert_runnable("dport != :80");
	assert_runnable("sport < :8000 and dport >= :9090");
	assert_runnable("src 127.0.0.0/8");
	assert_runnable("dst ::1/128 or src [::1]:9090");
	assert_runnable("not ( dport = :80 or dport = :9090 ) and ( src 127.0.0.1 or src ::1 )");
	assert_runnable("( sport = :80 or sport = :9090 ) and not ( dst 127.0.0.2/32 or dst 127.0.0.3 )");
	assert_runnable("dev lo");
}

static void put(unsigned char *at, uint8_t code, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { code, yes, no };

	memcpy(at, &op, sizeof(op));
}

static void test_malformed_refused(void **state)
{
	unsigned char bc[16] = { 0 };

	(void)state;
	assert_false(bpf_bytecode_runnable(NULL, 0));
	put(bc, INET_DIAG_BC_S_GE, 8, 12);	/* a port op: sport >= 80, then the end */
	put(bc + 4, 0, 0, 80);
	assert_true(bpf_bytecode_runnable(bc, 8));
	assert_false(bpf_bytecode_runnable(bc, 6));	/* not whole ops */
	put(bc, INET_DIAG_BC_S_GE, 0, 12);		/* a step of 0 would never end */
	assert_false(bpf_bytecode_runnable(bc, 8));
	put(bc, INET_DIAG_BC_S_GE, 8, 6);		/* a jump into the middle of an op */
	assert_false(bpf_bytecode_runnable(bc, 8));
	put(bc, INET_DIAG_BC_S_GE, 8, 16);		/* a jump past the rejecting end */
	assert_false(bpf_bytecode_runnable(bc, 8));
	put(bc, INET_DIAG_BC_MARK_COND, 12, 16);	/* an op the program does not run */
	assert_false(bpf_bytecode_runnable(bc, 12));
}

/* The port ranges the walk tests before the bytecode: expr's program
 * passes no socket outside them. */
static void assert_bounds(const char *expr, unsigned llo, unsigned lhi, unsigned rlo, unsigned rhi)
{
	char err[256] = "";
	struct filter *f = filter_parse(expr, lookup_filter_names(), err, sizeof(err));
	struct port_range local, remote;
	const void *bc;
	size_t len;

	if (!f)
		fail_msg("'%s' refused: %s", expr, err);
	bc = filter_bytecode(f, 4, &len);
	bc_port_bounds(bc, len, &local, &remote);
	if (local.lo != llo || local.hi != lhi || remote.lo != rlo || remote.hi != rhi)
		fail_msg("'%s': local %u-%u remote %u-%u, want %u-%u %u-%u", expr, local.lo, local.hi,
			 remote.lo, remote.hi, llo, lhi, rlo, rhi);
	filter_free(f);
}

static void test_port_bounds(void **state)
{
	(void)state;
	assert_bounds("sport = :80", 80, 80, 0, 65535);
	assert_bounds("dport >= :1024 and dport <= :2048", 0, 65535, 1024, 2048);
	assert_bounds("sport > :8000", 8001, 65535, 0, 65535);
	assert_bounds("sport = :80 or sport = :443", 80, 443, 0, 65535);
	assert_bounds("sport = :80 and dport = :9090", 80, 80, 9090, 9090);
	/* a negation, an either-side port or an address: no narrower range */
	assert_bounds("sport != :80", 0, 65535, 0, 65535);
	assert_bounds("port = :80", 0, 65535, 0, 65535);
	assert_bounds("src 127.0.0.1", 0, 65535, 0, 65535);
	assert_bounds("src 127.0.0.1 and sport = :22", 22, 22, 0, 65535);
	/* a program that passes nothing */
	assert_bounds("sport = :80 and sport = :81", 1, 0, 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compiled_runs),
		cmocka_unit_test(test_malformed_refused),
		cmocka_unit_test(test_port_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
