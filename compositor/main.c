#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wlr/util/log.h>

#include "desktop/server.h"
#include "session.h"
#include "util/config.h"

static void usage(FILE *f) {
	fprintf(f,
		"Usage: pocketwl [options] [-- command [args...]]\n"
		"\n"
		"  -c, --config FILE   read FILE instead of "
		"$XDG_CONFIG_HOME/pocketwl/config.ini\n"
		"  -C, --check-config  report config errors and exit (1 if any)\n"
		"  -d, --debug         verbose logging\n"
		"  -k, --kiosk APP     kiosk mode: only the store app APP, fullscreen,\n"
		"                      restarted when it ends\n"
		"  -h, --help          show this help\n"
		"  -v, --version       show the version\n"
		"\n"
		"A command after -- starts with the session.\n");
}

static bool add_command(struct pwl_config *config, int argc, char *argv[]) {
	// Quote each argument so that sh -c runs exactly this argv.
	size_t len = 1;
	for (int i = 0; i < argc; i++) {
		len += strlen(argv[i]) * 4 + 3;
	}
	char *cmd = calloc(1, len);
	if (!cmd) {
		return false;
	}
	char *p = cmd;
	for (int i = 0; i < argc; i++) {
		*p++ = '\'';
		for (const char *s = argv[i]; *s; s++) {
			if (*s == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *s;
			}
		}
		*p++ = '\'';
		*p++ = i + 1 < argc ? ' ' : '\0';
	}
	char **startup = realloc(config->startup,
		(config->startup_len + 1) * sizeof(*startup));
	if (!startup) {
		free(cmd);
		return false;
	}
	config->startup = startup;
	config->startup[config->startup_len++] = cmd;
	return true;
}

int main(int argc, char *argv[]) {
	static const struct option long_options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "kiosk", required_argument, NULL, 'k' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	const char *config_path = NULL, *kiosk_app = NULL;
	bool check_only = false, debug = false;
	int c;
	while ((c = getopt_long(argc, argv, "c:Cdhk:v", long_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'C':
			check_only = true;
			break;
		case 'k':
			kiosk_app = optarg;
			break;
		case 'd':
			debug = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			printf("pocketwl %s\n", PWL_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}

	wlr_log_init(debug ? WLR_DEBUG : WLR_INFO, NULL);

	struct pwl_config config;
	config_init(&config);
	bool config_ok = config_load(&config, config_path);
	if (kiosk_app) {
		// The command line wins over [kiosk] app.
		free(config.kiosk.app);
		config.kiosk.app = strdup(kiosk_app);
	}
	for (size_t i = 0; i < config.errors_len; i++) {
		// Printed as they are: file:line: message.
		fprintf(stderr, "%s\n", config.errors[i]);
	}
	if (check_only) {
		config_finish(&config);
		return config_ok ? 0 : 1;
	}
	if (optind < argc && !add_command(&config, argc - optind, argv + optind)) {
		config_finish(&config);
		return 1;
	}

	// Writes to a client that died must not kill the session.
	signal(SIGPIPE, SIG_IGN);

	struct pwl_server server;
	if (!server_init(&server, &config)) {
		config_finish(&config);
		return 1;
	}
	int status = 1;
	if (session_start(&server)) {
		wl_display_run(server.display);
		status = server.exit_status;
	}
	session_finish(&server);
	config_finish(&config);
	wlr_log(WLR_INFO, "Session ended with status %d", status);
	return status;
}
