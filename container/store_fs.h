#ifndef POCKET_STORE_FS_H
#define POCKET_STORE_FS_H

/* A store's files, opened as a stranger may have laid them out. Every path
 * inside a store is resolved from a directory fd of the store's root, one
 * component at a time, never through a symbolic link, never up ("..") and
 * never onto another filesystem; files are opened without blocking (a FIFO
 * or a device cannot hang us) and must be regular files within a size
 * limit (doc/store-format.md, "File types and sizes"). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define STORE_MAX_HEADER (64u * 1024) // pocket-store.ini
#define STORE_MAX_MANIFEST (64u * 1024) // apps/<id>.desktop
#define STORE_MAX_ICON (1024u * 1024) // icons/*.png
#define STORE_MAX_APPS 256 // apps/*.desktop read; the rest are refused
#define STORE_MAX_DIR_ENTRIES 4096 // entries of apps/ looked at

/** Opens the store's root directory (the user named it: links in the path
 * up to it are followed). -1 with `error` on failure. */
int store_fs_open_root(const char *store_path, char *error, size_t error_len);

/** Opens `rel` (a relative path, '/'-separated) beneath `root`. Every
 * component but the last must be a real directory on the root's
 * filesystem; the last is opened with `flags` | O_NOFOLLOW | O_CLOEXEC.
 * -1 with `error` naming "<store_path>/<rel>" and why. */
int store_fs_openat(int root, const char *store_path, const char *rel,
	int flags, char *error, size_t error_len);

/** Opens a regular file beneath the root without blocking, checks its
 * type (not a FIFO, device, socket, directory or link) and, when `max` is
 * not 0, its size; returns a blocking fd and its size. */
int store_fs_open_file(int root, const char *store_path, const char *rel,
	uint64_t max, uint64_t *size, char *error, size_t error_len);

/** Reads a whole regular file of at most `max` bytes, NUL-terminated
 * (free it). NULL with `error` on failure. */
char *store_fs_read(int root, const char *store_path, const char *rel,
	size_t max, size_t *len, char *error, size_t error_len);

/** The data directory of app `id`: data/<id> beneath the root, a real
 * directory on the store's filesystem (data/ too). With `create`, made
 * when missing (data/ 0755, data/<id> 0700) and given to uid:gid when it
 * belongs to root and uid is not 0, through the fd, never through a link.
 * Returns an O_DIRECTORY fd and fills `path` with the canonical path the
 * engine is to mount; -1 with `error`. */
int store_fs_data_dir(int root, const char *store_path, const char *id,
	bool create, uid_t uid, gid_t gid, char *path, size_t path_len,
	char *error, size_t error_len);

/** True if `path` still names the directory open as `fd`, resolved
 * beneath the store root without links: checked again right before the
 * engine is given the path. */
bool store_fs_same_dir(int root, const char *rel, int fd);

/** Removes `name` in `dir` and everything below it, without following
 * any link (links are removed, not their targets) and without leaving
 * the directory's filesystem. false with errno set if something stayed. */
bool store_fs_remove_tree(int dir, const char *name);

#endif
