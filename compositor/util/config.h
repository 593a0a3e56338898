#ifndef PWL_CONFIG_H
#define PWL_CONFIG_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <wayland-util.h>
#include <xkbcommon/xkbcommon.h>

enum pwl_action {
	PWL_ACTION_SPAWN,
	PWL_ACTION_CLOSE,
	PWL_ACTION_QUIT,
	PWL_ACTION_FULLSCREEN,
	PWL_ACTION_MAXIMIZE,
	PWL_ACTION_FOCUS_NEXT,
	PWL_ACTION_MENU, // the shell's launcher (zpocket_shell_v1.menu)
};

struct pwl_keybinding {
	struct wl_list link; // pwl_config.keybindings
	uint32_t modifiers; // WLR_MODIFIER_* mask
	xkb_keysym_t sym; // lower case
	enum pwl_action action;
	char *command; // may be NULL; only for PWL_ACTION_SPAWN
};

struct pwl_output_config {
	struct wl_list link; // pwl_config.outputs
	char *name;
	bool enabled;
	float scale; // 0 when unset
	int width, height, refresh_mhz; // 0 when unset
	bool has_position;
	int x, y;
};

/* Per-app settings of the user ([app NAME] sections). */
struct pwl_app_config {
	struct wl_list link; // pwl_config.apps
	char *name;
	bool has_color;
	float color[4];
};

#define PWL_MAX_STORE_ROOTS 8

struct pwl_config {
	char *path; // may be NULL (defaults only)
	/* Pocket stores: configured paths, and where disks get mounted. */
	char **stores;
	size_t stores_len;
	char *store_roots[PWL_MAX_STORE_ROOTS];
	size_t store_roots_len;
	struct {
		char *rules, *model, *layout, *variant, *options; // may be NULL
		int repeat_rate, repeat_delay;
	} keyboard;
	struct wl_list outputs; // pwl_output_config.link
	struct wl_list keybindings; // pwl_keybinding.link
	bool super_tap_menu; // Super alone opens the launcher (default true)
	struct wl_list apps; // pwl_app_config.link
	/* Limits for app clients, so that one app cannot starve the rest. */
	int app_max_clients, app_max_surfaces, app_max_shm_mib;
	char **startup; // startup commands, run with sh -c
	size_t startup_len;
	char *panel_command; // may be NULL
	char *cursor_theme; // may be NULL
	int cursor_size;
	bool xwayland;
	bool ssd; // prefer server-side decorations
	int watchdog_s; // the event loop stuck this long ends pocketwl; 0 off

	/* How store apps run ([containers]). */
	struct {
		char *engine; // address; NULL: discovered
		int memory_mib, pids; // per container; 0: no limit
		int stop_grace_s; // last window closed -> stop; -1: never
		int stop_timeout_s; // engine's SIGTERM -> SIGKILL delay
		int root_uid; // the apps' uid when the session runs as root
		char *gpu_devices; // glob of the render nodes for `gpu` apps
	} containers;

	/* Kiosk mode ([kiosk], or --kiosk): one app, fullscreen, restarted. */
	struct {
		char *app; // NULL: not a kiosk
		uint32_t admin_modifiers; // the one binding left on
		xkb_keysym_t admin_sym;
		bool span; // one window across every output, else mirrored
		int hide_cursor_s; // idle time before the cursor hides; 0: never
	} kiosk;

	/* Every problem found while parsing, as "path:line: message". */
	char **errors;
	size_t errors_len;
};

/** Fills `config` with the built-in defaults (incl. Super+Shift+E to quit). */
void config_init(struct pwl_config *config);
/** Parses an INI stream on top of the current values. A bad line is recorded
 * in config->errors and skipped; the rest still applies. Returns false if any
 * line was rejected. `path` names the stream in messages. */
bool config_parse(struct pwl_config *config, FILE *f, const char *path);
/** Loads `path`, or the default location when `path` is NULL (a missing
 * default file is not an error). */
bool config_load(struct pwl_config *config, const char *path);
/** Kiosk mode as a config: the admin combination ([kiosk] admin) ending
 * the session is the only binding, Super alone opens nothing. */
void config_apply_kiosk(struct pwl_config *config);
void config_finish(struct pwl_config *config);

/** Parses "Super+Shift+e"-style key combinations. */
bool config_parse_combo(const char *text, uint32_t *modifiers,
	xkb_keysym_t *sym);
struct pwl_app_config *config_find_app(struct pwl_config *config,
	const char *name);
struct pwl_output_config *config_find_output(struct pwl_config *config,
	const char *name);

#endif
