/* Which earlier sessions are gone, judged from a container's
 * io.pocketwl.session label ("host:pid:start"). A shared engine holds
 * other users' containers: their live session must never look gone to an
 * ordinary user, for whom kill(pid, 0) says EPERM, not ESRCH. */
#define _DEFAULT_SOURCE // setreuid
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apps/containers.h"

/* The label a session of process `pid` writes. */
static void label_of(pid_t pid, char *out, size_t len) {
	char host[64] = "localhost", path[64], buf[1024];
	gethostname(host, sizeof(host) - 1);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	unsigned long long start = 0;
	for (int field = 2; p && *p; p++) {
		if (*p == ' ' && ++field == 22) {
			start = strtoull(p + 1, NULL, 10);
			break;
		}
	}
	snprintf(out, len, "%s:%d:%llu", host, (int)pid, start);
}

static void test_live_and_gone(void **state) {
	(void)state;
	char label[256];
	label_of(getpid(), label, sizeof(label));
	assert_false(containers_session_gone(label));
	// A process that ended.
	pid_t child = fork();
	if (child == 0) {
		_exit(0);
	}
	label_of(getpid(), label, sizeof(label)); // a valid shape first
	waitpid(child, NULL, 0);
	char host[64] = "localhost", gone[256];
	gethostname(host, sizeof(host) - 1);
	snprintf(gone, sizeof(gone), "%s:%d:1", host, (int)child);
	assert_true(containers_session_gone(gone));
	// The same pid, another start time: a new process took the number.
	char *last = strrchr(label, ':');
	snprintf(last + 1, sizeof(label) - (size_t)(last + 1 - label), "7");
	assert_true(containers_session_gone(label));
	// Another host's, or no label shape at all: not ours to judge.
	assert_false(containers_session_gone("elsewhere:1:1"));
	assert_false(containers_session_gone("garbage"));
}

/* As an ordinary user, a root session's process answers EPERM. */
static void test_other_users_session_is_not_gone(void **state) {
	(void)state;
	if (getuid() != 0) {
		// An ordinary user runs it against a root process directly.
		char label[256];
		label_of(1, label, sizeof(label));
		assert_false(containers_session_gone(label));
		return;
	}
	char label[256];
	label_of(getpid(), label, sizeof(label)); // root's live session
	pid_t child = fork();
	if (child == 0) {
		if (setregid(65534, 65534) < 0 ||
				setreuid(65534, 65534) < 0) {
			_exit(2);
		}
		_exit(containers_session_gone(label) ? 1 : 0);
	}
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_and_gone),
		cmocka_unit_test(test_other_users_session_is_not_gone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
