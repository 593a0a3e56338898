#ifndef POCKET_USERFILE_H
#define POCKET_USERFILE_H

/* Files pocketwl keeps for the user (overrides, image pins): written whole
 * or not at all (a temporary file, fsync, rename), in folders made 0700
 * as needed. */
#include <stdbool.h>
#include <stddef.h>

/** The user's folder for `kind` ("config" or "state"): $XDG_CONFIG_HOME
 * or $XDG_STATE_HOME, else ~/.config or ~/.local/state, with `sub` after
 * it. false when neither the variable nor HOME is an absolute path. */
bool userfile_dir(const char *kind, const char *sub, char *out,
	size_t out_len);
/** Writes `text` to `path`. false with `error` naming the file. */
bool userfile_write(const char *path, const char *text, char *error,
	size_t error_len);

#endif
