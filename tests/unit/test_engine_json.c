#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "discovery.h"
#include "engine_json.h"

#define LEN(s) strlen(s)

static void test_version_docker_and_podman(void **state) {
	struct engine_version_info info;
	char err[256], chosen[16];
	const char *docker = "{\"Platform\":{\"Name\":\"\"},\"Version\":"
		"\"20.10.24\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\","
		"\"Components\":[{\"Name\":\"Engine\"}]}";
	assert_true(engine_parse_version(docker, LEN(docker), &info, err,
		sizeof(err)));
	assert_false(info.podman);
	assert_string_equal(info.version, "20.10.24");
	assert_true(engine_choose_api_version(&info, chosen, sizeof(chosen), err,
		sizeof(err)));
	assert_string_equal(chosen, "1.41");

	const char *podman = "{\"Version\":\"4.3.1\",\"ApiVersion\":\"1.41\","
		"\"MinAPIVersion\":\"1.24\",\"Components\":[{\"Name\":"
		"\"Podman Engine\"}]}";
	assert_true(engine_parse_version(podman, LEN(podman), &info, err,
		sizeof(err)));
	assert_true(info.podman);
}

static void test_version_choice(void **state) {
	struct engine_version_info info = { .api_version = "1.43",
		.min_api_version = "1.12" };
	char err[256], chosen[16];
	// A newer engine: our maximum.
	assert_true(engine_choose_api_version(&info, chosen, sizeof(chosen), err,
		sizeof(err)));
	assert_string_equal(chosen, "1.41");
	// An older one that still has what we need: its maximum.
	struct engine_version_info old = { .api_version = "1.40" };
	assert_true(engine_choose_api_version(&old, chosen, sizeof(chosen), err,
		sizeof(err)));
	assert_string_equal(chosen, "1.40");
	// Too old, or a minimum above ours: refused with the numbers.
	struct engine_version_info ancient = { .api_version = "1.39" };
	assert_false(engine_choose_api_version(&ancient, chosen, sizeof(chosen),
		err, sizeof(err)));
	assert_non_null(strstr(err, "1.40"));
	struct engine_version_info future = { .api_version = "1.50",
		.min_api_version = "1.45" };
	assert_false(engine_choose_api_version(&future, chosen, sizeof(chosen),
		err, sizeof(err)));
	struct engine_version_info junk = { .api_version = "v1" };
	assert_false(engine_choose_api_version(&junk, chosen, sizeof(chosen),
		err, sizeof(err)));
	assert_non_null(strstr(err, "not a version"));
}

static void test_version_bad_input(void **state) {
	struct engine_version_info info;
	char err[256];
	assert_false(engine_parse_version("{\"ApiVersion\":", 14, &info, err,
		sizeof(err)));
	assert_non_null(strstr(err, "malformed JSON"));
	assert_false(engine_parse_version("{\"ApiVersion\":1.41}", 19, &info, err,
		sizeof(err)));
	assert_non_null(strstr(err, "no ApiVersion"));
	assert_false(engine_parse_version("[]", 2, &info, err, sizeof(err)));
	assert_false(engine_parse_version("", 0, &info, err, sizeof(err)));
}

static void test_events(void **state) {
	struct engine_event ev;
	const char *docker = "{\"status\":\"die\",\"id\":\"abc\",\"Type\":"
		"\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":\"abc123\","
		"\"Attributes\":{\"exitCode\":\"3\",\"name\":\"app\"}}}";
	assert_true(engine_parse_event(docker, LEN(docker), &ev));
	assert_int_equal(ev.kind, ENGINE_EVENT_DIE);
	assert_string_equal(ev.id, "abc123");
	assert_string_equal(ev.name, "app");
	assert_int_equal(ev.exit_code, 3);
	const char *podman = "{\"Type\":\"container\",\"Action\":\"died\","
		"\"Actor\":{\"ID\":\"f00\",\"Attributes\":{\"containerExitCode\":"
		"\"137\"}}}";
	assert_true(engine_parse_event(podman, LEN(podman), &ev));
	assert_int_equal(ev.kind, ENGINE_EVENT_DIE);
	assert_int_equal(ev.exit_code, 137);
	const char *start = "{\"Type\":\"container\",\"Action\":\"start\","
		"\"Actor\":{\"ID\":\"f00\"}}";
	assert_true(engine_parse_event(start, LEN(start), &ev));
	assert_int_equal(ev.kind, ENGINE_EVENT_START);
	assert_int_equal(ev.exit_code, -1);
	const char *image = "{\"Type\":\"image\",\"Action\":\"pull\"}";
	assert_true(engine_parse_event(image, LEN(image), &ev));
	assert_int_equal(ev.kind, ENGINE_EVENT_OTHER);
	const char *bad_code = "{\"Action\":\"die\",\"Actor\":{\"Attributes\":"
		"{\"exitCode\":\"lots\"}}}";
	assert_true(engine_parse_event(bad_code, LEN(bad_code), &ev));
	assert_int_equal(ev.exit_code, -1);
	assert_false(engine_parse_event("{\"Action\":", 10, &ev));
	assert_false(engine_parse_event("42", 2, &ev));
}

static void test_errors_and_streams(void **state) {
	char out[256];
	const char *msg = "{\"message\":\"No such container: x\"}";
	assert_true(engine_parse_error_message(msg, LEN(msg), out, sizeof(out)));
	assert_string_equal(out, "No such container: x");
	assert_false(engine_parse_error_message("<html>", 6, out, sizeof(out)));
	assert_false(engine_parse_error_message("", 0, out, sizeof(out)));
	const char *stream = "{\"status\":\"Loading layer\"}\n"
		"{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":"
		"\"unexpected EOF\"}\n";
	assert_true(engine_parse_stream_error(stream, LEN(stream), out,
		sizeof(out)));
	assert_string_equal(out, "unexpected EOF");
	const char *ok = "{\"stream\":\"Loaded image: x:latest\\n\"}\n";
	assert_false(engine_parse_stream_error(ok, LEN(ok), out, sizeof(out)));
	assert_false(engine_parse_stream_error("\x01\x00\x00", 3, out,
		sizeof(out)));
}

static void test_id_and_wait(void **state) {
	char id[80], err[256];
	int status;
	const char *created = "{\"Id\":\"deadbeef\",\"Warnings\":[]}";
	assert_true(engine_parse_id(created, LEN(created), id, sizeof(id), err,
		sizeof(err)));
	assert_string_equal(id, "deadbeef");
	assert_false(engine_parse_id("{\"Id\":\"\"}", 9, id, sizeof(id), err,
		sizeof(err)));
	assert_false(engine_parse_id("{\"Id\":5}", 8, id, sizeof(id), err,
		sizeof(err)));
	assert_true(engine_parse_wait("{\"StatusCode\":3}", 16, &status, err,
		sizeof(err)));
	assert_int_equal(status, 3);
	assert_false(engine_parse_wait("{\"StatusCode\":\"3\"}", 18, &status, err,
		sizeof(err)));
	assert_non_null(strstr(err, "StatusCode"));
	assert_false(engine_parse_wait("{\"Status", 8, &status, err, sizeof(err)));
}

static void test_container_list(void **state) {
	char err[256];
	struct engine_container_info *infos;
	size_t n;
	const char *list = "[{\"Id\":\"abc\",\"State\":\"running\","
		"\"Labels\":{\"io.pocketwl.app\":\"demo\","
		"\"io.pocketwl.instance\":\"demo-1\","
		"\"io.pocketwl.session\":\"h:1:2\"}},"
		"{\"Names\":[\"no-id\"]},"
		"{\"Id\":\"def\",\"Labels\":null}, 7]";
	assert_true(engine_parse_container_list(list, LEN(list), &infos, &n, err,
		sizeof(err)));
	assert_int_equal(n, 2);
	assert_string_equal(infos[0].id, "abc");
	assert_string_equal(infos[0].state, "running");
	assert_string_equal(infos[0].app, "demo");
	assert_string_equal(infos[0].instance, "demo-1");
	assert_string_equal(infos[0].session, "h:1:2");
	assert_string_equal(infos[1].id, "def");
	assert_string_equal(infos[1].app, "");
	free(infos);
	assert_true(engine_parse_container_list("[]", 2, &infos, &n, err,
		sizeof(err)));
	assert_int_equal(n, 0);
	assert_null(infos);
	assert_false(engine_parse_container_list("{}", 2, &infos, &n, err,
		sizeof(err)));
	assert_non_null(strstr(err, "not an array"));
	assert_false(engine_parse_container_list("[{", 2, &infos, &n, err,
		sizeof(err)));
	assert_non_null(strstr(err, "malformed"));
}

/* The engine's mode from /info: Podman says Rootless, Docker a security
 * option; both a cgroup version. */
static void test_info_mode(void **state) {
	(void)state;
	bool rootless;
	int cgroup;
	char error[128];
	const char *podman = "{\"Rootless\":true,\"CgroupVersion\":\"1\"}";
	assert_true(engine_parse_info(podman, strlen(podman), &rootless, &cgroup,
		error, sizeof(error)));
	assert_true(rootless);
	assert_int_equal(cgroup, 1);
	const char *docker = "{\"SecurityOptions\":[\"name=seccomp,profile="
		"default\",\"name=rootless\"],\"CgroupVersion\":\"2\"}";
	assert_true(engine_parse_info(docker, strlen(docker), &rootless, &cgroup,
		error, sizeof(error)));
	assert_true(rootless);
	assert_int_equal(cgroup, 2);
	const char *rootful = "{\"SecurityOptions\":[\"name=seccomp\"]}";
	assert_true(engine_parse_info(rootful, strlen(rootful), &rootless,
		&cgroup, error, sizeof(error)));
	assert_false(rootless);
	assert_int_equal(cgroup, 0);
	assert_false(engine_parse_info("[1]", 3, &rootless, &cgroup, error,
		sizeof(error)));
}

/* The panel's notice: a short reason and the command that fixes it. */
static void test_missing_advice(void **state) {
	(void)state;
	char reason[256], fix[256];
	engine_missing_advice("no container engine answered. Tried: "
		"unix:///var/run/docker.sock (permission denied: the socket is for "
		"group 'docker', which you are not in (sudo usermod -aG docker "
		"$USER, then log in again))", false, reason, sizeof(reason), fix,
		sizeof(fix));
	assert_string_equal(reason, "no permission on the engine's socket "
		"(group docker)");
	assert_string_equal(fix, "sudo usermod -aG docker $USER, then log in "
		"again");
	engine_missing_advice("no container engine answered. Tried: "
		"unix:///run/user/1000/podman/podman.sock (Couldn't connect)",
		false, reason, sizeof(reason), fix, sizeof(fix));
	assert_string_equal(reason, "no container engine is running");
	assert_string_equal(fix, "systemctl --user enable --now podman.socket");
	engine_missing_advice("the engine at unix:///x went away: EOF", true,
		reason, sizeof(reason), fix, sizeof(fix));
	assert_string_equal(reason, "the container engine stopped");
	assert_string_equal(fix, "systemctl enable --now podman.socket (or "
		"docker)");
	// A group name that does not end is not trusted.
	engine_missing_advice("the socket is for group 'abc", false, reason,
		sizeof(reason), fix, sizeof(fix));
	assert_string_equal(reason, "no container engine is running");
	engine_missing_advice(NULL, false, reason, sizeof(reason), fix,
		sizeof(fix));
	assert_string_equal(reason, "no container engine is running");
}

/* Framed output (8-byte headers) and plain output; the tail is kept. */
static void test_logs_text(void **state) {
	(void)state;
	const char framed[] = "\x01\0\0\0\0\0\0\x06" "hello\n"
		"\x02\0\0\0\0\0\0\x04" "err\n";
	char *text = engine_logs_text(framed, sizeof(framed) - 1, 1000);
	assert_string_equal(text, "hello\nerr\n");
	free(text);
	text = engine_logs_text(framed, sizeof(framed) - 1, 4);
	assert_string_equal(text, "err\n");
	free(text);
	text = engine_logs_text("plain\n", 6, 1000);
	assert_string_equal(text, "plain\n");
	free(text);
	// A frame claiming more than there is: cut, not overread.
	const char cut[] = "\x01\0\0\0\0\0\x10\0" "abc";
	text = engine_logs_text(cut, sizeof(cut) - 1, 1000);
	assert_string_equal(text, "abc");
	free(text);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logs_text),
		cmocka_unit_test(test_missing_advice),
		cmocka_unit_test(test_info_mode),
		cmocka_unit_test(test_version_docker_and_podman),
		cmocka_unit_test(test_version_choice),
		cmocka_unit_test(test_version_bad_input),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_errors_and_streams),
		cmocka_unit_test(test_id_and_wait),
		cmocka_unit_test(test_container_list),
	};
	return cmocka_run_group_tests_name("engine_json", tests, NULL, NULL);
}
