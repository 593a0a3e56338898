#define _DEFAULT_SOURCE // realpath
#include "store_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_error(char *error, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(char *error, size_t len, const char *fmt, ...) {
	if (!error || !len) {
		return;
	}
	va_list args;
	va_start(args, fmt);
	vsnprintf(error, len, fmt, args);
	va_end(args);
}

int store_fs_open_root(const char *store_path, char *error,
		size_t error_len) {
	int fd = open(store_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		set_error(error, error_len, "%s: not a pocket store (%s)", store_path,
			strerror(errno));
	}
	return fd;
}

/* Why `name` in `dir` could not be opened as asked, in words. */
static const char *why(int dir, const char *name, int err) {
	struct stat st;
	if ((err == ELOOP || err == ENOTDIR || err == ENXIO || err == EMLINK) &&
			fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			return "is a symbolic link (nothing in a store may point "
				"elsewhere)";
		}
		if (!S_ISDIR(st.st_mode)) {
			return "is not a directory";
		}
	}
	return strerror(err);
}

static bool valid_component(const char *c, size_t n) {
	return n > 0 && n < NAME_MAX && !(n == 1 && c[0] == '.') &&
		!(n == 2 && c[0] == '.' && c[1] == '.');
}

int store_fs_openat(int root, const char *store_path, const char *rel,
		int flags, char *error, size_t error_len) {
	struct stat root_st;
	if (fstat(root, &root_st) < 0) {
		set_error(error, error_len, "%s: %s", store_path, strerror(errno));
		return -1;
	}
	if (!rel[0] || rel[0] == '/') {
		set_error(error, error_len, "%s/%s: not a path inside the store",
			store_path, rel);
		return -1;
	}
	int dir = root;
	const char *p = rel;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		char name[NAME_MAX + 1];
		if (!valid_component(p, n)) {
			set_error(error, error_len, "%s/%s: not a path inside the store",
				store_path, rel);
			goto fail;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		int next = openat(dir, name, slash ? (O_RDONLY | O_DIRECTORY |
			O_NOFOLLOW | O_CLOEXEC) : (flags | O_NOFOLLOW | O_CLOEXEC),
			0600);
		if (next < 0) {
			int err = errno;
			set_error(error, error_len, "%s/%.*s: %s", store_path,
				(int)(p + n - rel), rel, why(dir, name, err));
			errno = err;
			goto fail;
		}
		struct stat st;
		if (fstat(next, &st) < 0 || st.st_dev != root_st.st_dev) {
			set_error(error, error_len, "%s/%.*s: is on another filesystem "
				"than the store", store_path, (int)(p + n - rel), rel);
			close(next);
			errno = EXDEV;
			goto fail;
		}
		if (dir != root) {
			close(dir);
		}
		if (!slash) {
			return next;
		}
		dir = next;
		p = slash + 1;
	}
fail:
	if (dir != root) {
		close(dir);
	}
	return -1;
}

int store_fs_open_file(int root, const char *store_path, const char *rel,
		uint64_t max, uint64_t *size, char *error, size_t error_len) {
	int fd = store_fs_openat(root, store_path, rel, O_RDONLY | O_NONBLOCK,
		error, error_len);
	if (fd < 0) {
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		set_error(error, error_len, "%s/%s: %s", store_path, rel,
			strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		set_error(error, error_len, "%s/%s: is not a regular file (%s)",
			store_path, rel, S_ISFIFO(st.st_mode) ? "a FIFO" :
			S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" :
			S_ISDIR(st.st_mode) ? "a directory" : S_ISSOCK(st.st_mode) ?
			"a socket" : "not a file");
		errno = EINVAL;
		goto fail;
	}
	if (max && (uint64_t)st.st_size > max) {
		set_error(error, error_len, "%s/%s: is %lld bytes, more than the "
			"%llu a store allows for it", store_path, rel,
			(long long)st.st_size, (unsigned long long)max);
		errno = EFBIG;
		goto fail;
	}
	// Reads block again (a regular file's do anyway; this is for clarity).
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		set_error(error, error_len, "%s/%s: %s", store_path, rel,
			strerror(errno));
		goto fail;
	}
	if (size) {
		*size = (uint64_t)st.st_size;
	}
	return fd;
fail:;
	int err = errno;
	close(fd);
	errno = err;
	return -1;
}

char *store_fs_read(int root, const char *store_path, const char *rel,
		size_t max, size_t *len, char *error, size_t error_len) {
	uint64_t size;
	int fd = store_fs_open_file(root, store_path, rel, max, &size, error,
		error_len);
	if (fd < 0) {
		return NULL;
	}
	// Read at most max + 1: a file that grows under us is still bounded.
	char *buf = malloc(max + 2);
	size_t used = 0;
	while (buf && used <= max) {
		ssize_t n = read(fd, buf + used, max + 1 - used);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			set_error(error, error_len, "%s/%s: %s", store_path, rel,
				strerror(errno));
			free(buf);
			buf = NULL;
			break;
		}
		if (n == 0) {
			break;
		}
		used += (size_t)n;
	}
	close(fd);
	if (!buf) {
		return NULL;
	}
	if (used > max) {
		set_error(error, error_len, "%s/%s: is more than the %zu bytes a "
			"store allows for it", store_path, rel, max);
		free(buf);
		return NULL;
	}
	buf[used] = '\0';
	if (len) {
		*len = used;
	}
	return buf;
}

/* `name` beneath the root as a real directory, made when missing and
 * asked to. */
static int sub_dir(int root, const char *store_path, const char *name,
		bool create, mode_t mode, char *error, size_t error_len) {
	if (create && mkdirat(root, name, mode) < 0 && errno != EEXIST) {
		set_error(error, error_len, "cannot create %s/%s: %s", store_path,
			name, strerror(errno));
		return -1;
	}
	return store_fs_openat(root, store_path, name, O_RDONLY | O_DIRECTORY,
		error, error_len);
}

int store_fs_data_dir(int root, const char *store_path, const char *id,
		bool create, uid_t uid, gid_t gid, char *path, size_t path_len,
		char *error, size_t error_len) {
	char rel[128];
	snprintf(rel, sizeof(rel), "data/%s", id);
	char real_root[PATH_MAX];
	if (!realpath(store_path, real_root)) {
		set_error(error, error_len, "%s: %s", store_path, strerror(errno));
		return -1;
	}
	int data = sub_dir(root, store_path, "data", create, 0755, error,
		error_len);
	if (data < 0) {
		return -1;
	}
	// data/ is a real directory of the store's: <id> is made inside it.
	if (create && mkdirat(data, id, 0700) < 0 && errno != EEXIST) {
		set_error(error, error_len, "cannot create %s/%s: %s", store_path,
			rel, strerror(errno));
		close(data);
		return -1;
	}
	close(data);
	int fd = store_fs_openat(root, store_path, rel, O_RDONLY | O_DIRECTORY,
		error, error_len);
	if (fd < 0) {
		return -1;
	}
	struct stat st;
	if (create && fstat(fd, &st) == 0 && st.st_uid == 0 && uid != 0 &&
			fchown(fd, uid, gid) < 0) {
		set_error(error, error_len, "cannot give %s/%s to uid %d: %s",
			store_path, rel, (int)uid, strerror(errno));
		close(fd);
		return -1;
	}
	if ((size_t)snprintf(path, path_len, "%s/%s", strcmp(real_root, "/") ?
			real_root : "", rel) >= path_len) {
		set_error(error, error_len, "%s/%s: path too long", store_path, rel);
		close(fd);
		return -1;
	}
	return fd;
}

bool store_fs_same_dir(int root, const char *rel, int fd) {
	int again = store_fs_openat(root, "", rel, O_RDONLY | O_DIRECTORY, NULL,
		0);
	if (again < 0) {
		return false;
	}
	struct stat a, b;
	bool same = fstat(again, &a) == 0 && fstat(fd, &b) == 0 &&
		a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	close(again);
	return same;
}

static bool remove_children(int dir, dev_t dev, int depth) {
	DIR *d = fdopendir(dir);
	if (!d) {
		close(dir);
		return false;
	}
	bool ok = true;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			continue;
		}
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ok = false;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (st.st_dev != dev || depth > 256) {
				ok = false; // a mount point, or absurdly deep: left alone
				continue;
			}
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY |
				O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 || !remove_children(sub, dev, depth + 1) ||
					unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) < 0) {
				ok = false;
			}
		} else if (unlinkat(dirfd(d), e->d_name, 0) < 0) {
			ok = false;
		}
	}
	closedir(d);
	return ok;
}

bool store_fs_remove_tree(int dir, const char *name) {
	struct stat st;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		return errno == ENOENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		return unlinkat(dir, name, 0) == 0;
	}
	int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		O_CLOEXEC);
	if (sub < 0) {
		return false;
	}
	if (!remove_children(sub, st.st_dev, 0)) {
		return false;
	}
	return unlinkat(dir, name, AT_REMOVEDIR) == 0;
}
