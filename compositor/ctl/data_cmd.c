#include "data_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "store.h"
#include "store_fs.h"

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

/* The app's data directory, resolved beneath the store without links
 * (store_fs.h): nothing here deletes, archives or writes outside it. */
struct data_dir {
	const char *store;
	const char *id;
	int root; // the store's root directory
	int data; // data/ of the store
	int dir; // data/<id>; -1 when it does not exist
	char shown[4200]; // for messages
};

static bool open_data(struct data_dir *d, const char *cmd, bool create) {
	char err[1024];
	d->data = d->dir = -1;
	snprintf(d->shown, sizeof(d->shown), "%s/data/%s", d->store, d->id);
	d->root = store_fs_open_root(d->store, err, sizeof(err));
	if (d->root < 0) {
		fprintf(stderr, "pocketctl data %s: %s\n", cmd, err);
		return false;
	}
	if (create) {
		char path[4200];
		int fd = store_fs_data_dir(d->root, d->store, d->id, true, getuid(),
			getgid(), path, sizeof(path), err, sizeof(err));
		if (fd < 0) {
			fprintf(stderr, "pocketctl data %s: refusing: %s\n", cmd, err);
			return false;
		}
		close(fd);
	}
	d->data = store_fs_openat(d->root, d->store, "data", O_RDONLY |
		O_DIRECTORY, err, sizeof(err));
	if (d->data < 0) {
		fprintf(stderr, "pocketctl data %s: refusing: %s\n", cmd, err);
		return false;
	}
	char rel[128];
	snprintf(rel, sizeof(rel), "data/%s", d->id);
	d->dir = store_fs_openat(d->root, d->store, rel, O_RDONLY | O_DIRECTORY,
		err, sizeof(err));
	if (d->dir < 0 && errno != ENOENT) {
		fprintf(stderr, "pocketctl data %s: refusing: %s\n", cmd, err);
		return false;
	}
	return true;
}

static void close_data(struct data_dir *d) {
	int fds[] = { d->root, d->data, d->dir };
	for (size_t i = 0; i < 3; i++) {
		if (fds[i] >= 0) {
			close(fds[i]);
		}
	}
}

/* tar works in the directory open as `fd`, whatever its path says. */
static int run_tar_in(int fd, char *const args[]) {
	char where[64];
	snprintf(where, sizeof(where), "/proc/self/fd/%d", fd);
	char *argv[16] = { "tar", "-C", where };
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 15; i++) {
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	// The child keeps the fd across exec: clear close-on-exec for it.
	int fl = fcntl(fd, F_GETFD);
	fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
	int status = run(argv);
	fcntl(fd, F_SETFD, fl);
	return status;
}

static int data_rm(struct data_dir *d, bool yes) {
	if (!yes) {
		fprintf(stderr, "pocketctl data rm: this deletes %s for good; say "
			"--yes to do it\n", d->shown);
		return 1;
	}
	if (d->dir >= 0 && !store_fs_remove_tree(d->data, d->id)) {
		fprintf(stderr, "pocketctl data rm: cannot remove all of %s: %s\n",
			d->shown, strerror(errno));
		return 1;
	}
	mkdirat(d->data, d->id, 0700);
	printf("%s: data removed\n", d->id);
	return 0;
}

static int data_export(struct data_dir *d, const char *file) {
	if (d->dir < 0) {
		fprintf(stderr, "pocketctl data export: %s does not exist\n",
			d->shown);
		return 1;
	}
	char *args[] = { "-cf", (char *)file, ".", NULL };
	if (run_tar_in(d->dir, args) != 0) {
		fprintf(stderr, "pocketctl data export: tar could not write %s\n",
			file);
		return 1;
	}
	printf("%s: data exported to %s\n", d->id, file);
	return 0;
}

/* Extracted beside the current data first; only a complete import
 * replaces it, and the replaced data is kept under a dated name. */
static int data_import(struct data_dir *d, const char *file) {
	char fresh[128], old[160];
	snprintf(fresh, sizeof(fresh), "%s.import-%ld", d->id, (long)getpid());
	if (mkdirat(d->data, fresh, 0700) < 0) {
		fprintf(stderr, "pocketctl data import: cannot create %s/data/%s: "
			"%s\n", d->store, fresh, strerror(errno));
		return 1;
	}
	int fresh_fd = openat(d->data, fresh, O_RDONLY | O_DIRECTORY |
		O_NOFOLLOW | O_CLOEXEC);
	char *args[] = { "--no-same-owner", "-xf", (char *)file, NULL };
	if (fresh_fd < 0 || run_tar_in(fresh_fd, args) != 0) {
		fprintf(stderr, "pocketctl data import: %s is not a usable tar "
			"archive; the app's data is unchanged\n", file);
		if (fresh_fd >= 0) {
			close(fresh_fd);
		}
		store_fs_remove_tree(d->data, fresh);
		return 1;
	}
	close(fresh_fd);
	snprintf(old, sizeof(old), "%s.before-import-%ld", d->id,
		(long)time(NULL));
	bool had = d->dir >= 0;
	if ((had && renameat(d->data, d->id, d->data, old) != 0) ||
			renameat(d->data, fresh, d->data, d->id) != 0) {
		fprintf(stderr, "pocketctl data import: cannot put the import in "
			"place: %s\n", strerror(errno));
		return 1;
	}
	printf("%s: data imported from %s%s%s/data/%s\n", d->id, file,
		had ? "; the previous data is in " : "", had ? d->store : "",
		had ? old : "");
	return 0;
}

int data_command(int argc, char *argv[]) {
	const char *op = argc > 1 ? argv[1] : NULL;
	const char *id = argc > 2 ? argv[2] : NULL;
	const char *store_path = arg_option(argc, argv, "--store");
	if (!op || !id || !store_path || !store_valid_id(id)) {
		fprintf(stderr, "pocketctl data: usage: data rm APP --store DIR "
			"--yes | data export APP FILE.tar --store DIR | data import APP "
			"FILE.tar --store DIR\n");
		return 2;
	}
	struct pocket_store store;
	bool ok = store_load_header_only(&store, store_path);
	store_finish(&store);
	if (!ok) {
		fprintf(stderr, "pocketctl data: %s is not a pocket store\n",
			store_path);
		return 1;
	}
	const char *file = argc > 3 ? argv[3] : NULL;
	bool rm = !strcmp(op, "rm");
	if (!rm && strcmp(op, "export") && strcmp(op, "import")) {
		fprintf(stderr, "pocketctl data: unknown operation '%s'\n", op);
		return 2;
	}
	if (!rm && (!file || file[0] == '-')) {
		fprintf(stderr, "pocketctl data %s: needs a FILE.tar\n", op);
		return 2;
	}
	struct data_dir d = { .store = store_path, .id = id };
	int status = 1;
	if (open_data(&d, op, !strcmp(op, "import"))) {
		if (rm) {
			status = data_rm(&d, arg_flag(argc, argv, "--yes"));
		} else if (!strcmp(op, "export")) {
			status = data_export(&d, file);
		} else {
			status = data_import(&d, file);
		}
	}
	close_data(&d);
	return status;
}
