/* test_cgroup_owner.c: containers and units from /proc/PID/cgroup text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "cgroup_owner.h"

static const char *owner(const char *text)
{
	static char out[128];
	int n = cgroup_owner_parse(text, strlen(text), out, sizeof(out));

	assert_true(n >= 0);
	assert_int_equal((size_t)n, strlen(out));
	return out;
}

#define ID "4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8"

static void test_runtimes(void **state)
{
	(void)state;
	assert_string_equal(owner("0::/system.slice/docker-" ID ".scope\n"), "docker:4f1c2a3b5d6e");
	assert_string_equal(owner("0::/docker/" ID "\n"), "docker:4f1c2a3b5d6e");
	assert_string_equal(owner("0::/system.slice/crio-" ID ".scope\n"), "crio:4f1c2a3b5d6e");
	assert_string_equal(owner("0::/machine.slice/libpod-" ID ".scope/container\n"),
			    "podman:4f1c2a3b5d6e");
	assert_string_equal(owner("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
				  ID ".scope\n"), "podman:4f1c2a3b5d6e");
	assert_string_equal(owner("0::/lxc.payload.web1\n"), "lxc:web1");
	assert_string_equal(owner("0::/lxc/db2/init.scope\n"), "lxc:db2");
}

static void test_kubernetes_pods(void **state)
{
	(void)state;
	/* systemd driver: the pod's uid with '_' for '-' */
	assert_string_equal(owner("0::/kubepods.slice/kubepods-burstable.slice/"
				  "kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/"
				  "cri-containerd-" ID ".scope\n"), "pod:1a2b3c4d");
	/* cgroupfs driver */
	assert_string_equal(owner("0::/kubepods/besteffort/pod1a2b3c4d-5e6f-7a8b/" ID "\n"),
			    "pod:1a2b3c4d");
	assert_string_equal(owner("0::/kubepods/pod99aa88bb-1/" ID "\n"), "pod:99aa88bb");
}

static void test_units_and_root(void **state)
{
	(void)state;
	assert_string_equal(owner("0::/system.slice/nginx.service\n"), "nginx.service");
	assert_string_equal(owner("0::/user.slice/user-1000.slice/session-3.scope\n"), "session-3.scope");
	assert_string_equal(owner("0::/\n"), "");
	assert_string_equal(owner("0::/mygroup/sub\n"), "");
	/* hybrid hosts: the v2 line wins, v1's systemd line is the fallback */
	assert_string_equal(owner("12:memory:/x\n1:name=systemd:/system.slice/sshd.service\n0::/\n"), "");
	assert_string_equal(owner("12:memory:/x\n1:name=systemd:/system.slice/sshd.service\n"),
			    "sshd.service");
	/* a short id is no container */
	assert_string_equal(owner("0::/docker/abc\n"), "");
}

static void test_bad_input(void **state)
{
	char out[8];
	static const char *const bad[] = { "", "\n", "garbage", "1:cpu\n", ":::\n" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cgroup_owner_parse(bad[i], strlen(bad[i]), out, sizeof(out)), -EINVAL);
	/* the output is cut to its room, never past it */
	assert_int_equal(cgroup_owner_parse("0::/docker/" ID, strlen("0::/docker/" ID), out, sizeof(out)), 7);
	assert_string_equal(out, "docker:");
	/* an unterminated line, and bytes past it that are no text */
	assert_int_equal(cgroup_owner_parse("0::/a/b.service\0zz", 15, out, sizeof(out)), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtimes),
		cmocka_unit_test(test_kubernetes_pods),
		cmocka_unit_test(test_units_and_root),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
