#include "data_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

/* Runs a tool with an argv, never through a shell (paths are the
 * user's); returns its exit status, -1 if it could not run. */
static int run(char *const argv[]) {
	pid_t pid = fork();
	if (pid < 0) {
		return -1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *option(int argc, char *argv[], const char *name) {
	for (int i = 1; i + 1 < argc; i++) {
		if (!strcmp(argv[i], name)) {
			return argv[i + 1];
		}
	}
	return NULL;
}

static bool has_flag(int argc, char *argv[], const char *name) {
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], name)) {
			return true;
		}
	}
	return false;
}

static int data_rm(const char *dir, const char *id, bool yes) {
	if (!yes) {
		fprintf(stderr, "pocketctl data rm: this deletes %s for good; say "
			"--yes to do it\n", dir);
		return 1;
	}
	char *argv[] = { "rm", "-rf", "--", (char *)dir, NULL };
	if (run(argv) != 0) {
		fprintf(stderr, "pocketctl data rm: cannot remove %s\n", dir);
		return 1;
	}
	mkdir(dir, 0755);
	printf("%s: data removed\n", id);
	return 0;
}

static int data_export(const char *dir, const char *id, const char *file) {
	char *argv[] = { "tar", "-C", (char *)dir, "-cf", (char *)file, ".",
		NULL };
	if (run(argv) != 0) {
		fprintf(stderr, "pocketctl data export: tar could not write %s\n",
			file);
		return 1;
	}
	printf("%s: data exported to %s\n", id, file);
	return 0;
}

/* Extracted beside the current data first; only a complete import
 * replaces it, and the replaced data is kept under a dated name. */
static int data_import(const char *dir, const char *id, const char *file) {
	char fresh[4200], old[4300];
	snprintf(fresh, sizeof(fresh), "%s.import-%ld", dir, (long)getpid());
	if (mkdir(fresh, 0755) < 0) {
		fprintf(stderr, "pocketctl data import: cannot create %s: %s\n",
			fresh, strerror(errno));
		return 1;
	}
	char *argv[] = { "tar", "-C", fresh, "--no-same-owner", "-xf",
		(char *)file, NULL };
	if (run(argv) != 0) {
		fprintf(stderr, "pocketctl data import: %s is not a usable tar "
			"archive; the app's data is unchanged\n", file);
		char *rm[] = { "rm", "-rf", "--", fresh, NULL };
		run(rm);
		return 1;
	}
	snprintf(old, sizeof(old), "%s.before-import-%ld", dir, (long)time(NULL));
	struct stat st;
	bool had = stat(dir, &st) == 0;
	if ((had && rename(dir, old) != 0) || rename(fresh, dir) != 0) {
		fprintf(stderr, "pocketctl data import: cannot put the import in "
			"place: %s\n", strerror(errno));
		return 1;
	}
	printf("%s: data imported from %s%s%s\n", id, file,
		had ? "; the previous data is in " : "", had ? old : "");
	return 0;
}

int data_command(int argc, char *argv[]) {
	const char *op = argc > 1 ? argv[1] : NULL;
	const char *id = argc > 2 ? argv[2] : NULL;
	const char *store_path = option(argc, argv, "--store");
	if (!op || !id || !store_path || !store_valid_id(id)) {
		fprintf(stderr, "pocketctl data: usage: data rm APP --store DIR "
			"--yes | data export APP FILE.tar --store DIR | data import APP "
			"FILE.tar --store DIR\n");
		return 2;
	}
	struct pocket_store store;
	bool ok = store_load(&store, store_path);
	store_finish(&store);
	if (!ok) {
		fprintf(stderr, "pocketctl data: %s is not a pocket store\n",
			store_path);
		return 1;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/data/%s", store_path, id);
	if (!strcmp(op, "rm")) {
		return data_rm(dir, id, has_flag(argc, argv, "--yes"));
	}
	const char *file = argc > 3 ? argv[3] : NULL;
	if (!file || file[0] == '-') {
		fprintf(stderr, "pocketctl data %s: needs a FILE.tar\n", op);
		return 2;
	}
	if (!strcmp(op, "export")) {
		return data_export(dir, id, file);
	}
	if (!strcmp(op, "import")) {
		return data_import(dir, id, file);
	}
	fprintf(stderr, "pocketctl data: unknown operation '%s'\n", op);
	return 2;
}
