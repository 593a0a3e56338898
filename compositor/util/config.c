#include "util/config.h"

#include <errno.h>
#include <ini.h>
#include "ini_line.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wlr/types/wlr_keyboard.h>

struct parse_state {
	struct pwl_config *config;
	const char *path;
	int line; // line inih is looking at, counted by read_line
	bool ok;
};

void config_init(struct pwl_config *config) {
	memset(config, 0, sizeof(*config));
	wl_list_init(&config->outputs);
	wl_list_init(&config->keybindings);
	wl_list_init(&config->apps);
	config->app_max_clients = 16;
	config->app_max_surfaces = 1024;
	// foot maps a 512 MiB pool (of which it touches little): pool sizes are
	// address space, not memory, which the container limit bounds anyway.
	config->app_max_shm_mib = 2047;
	config->keyboard.repeat_rate = 25;
	config->keyboard.repeat_delay = 600;
	config->cursor_size = 24;
	config->watchdog_s = 5;
	config->ssd = true;
	// Started lazily on the first X client, so on costs nothing.
	config->xwayland = true;
	config->containers.memory_mib = 4096;
	config->containers.pids = 4096;
	config->containers.stop_grace_s = 5;
	config->containers.stop_timeout_s = 5;
	config->containers.root_uid = 65534; // nobody
	config->containers.gpu_devices = strdup("/dev/dri/renderD*");
	// Ctrl+Alt+Shift+Escape: hard to press by accident on a kiosk.
	config->kiosk.admin_modifiers = WLR_MODIFIER_CTRL | WLR_MODIFIER_ALT |
		WLR_MODIFIER_SHIFT;
	config->kiosk.admin_sym = XKB_KEY_Escape;
	config->kiosk.hide_cursor_s = 3;

	config->super_tap_menu = true;
	// Quitting must always be possible, whatever the config says.
	struct pwl_keybinding *quit = calloc(1, sizeof(*quit));
	if (quit) {
		quit->modifiers = WLR_MODIFIER_LOGO | WLR_MODIFIER_SHIFT;
		quit->sym = XKB_KEY_e;
		quit->action = PWL_ACTION_QUIT;
		wl_list_insert(&config->keybindings, &quit->link);
	}
	// Super+F: fullscreen is the user's to give (an app's own request
	// needs the user's input to it first).
	struct pwl_keybinding *full = calloc(1, sizeof(*full));
	if (full) {
		full->modifiers = WLR_MODIFIER_LOGO;
		full->sym = XKB_KEY_f;
		full->action = PWL_ACTION_FULLSCREEN;
		wl_list_insert(&config->keybindings, &full->link);
	}
}

static void add_error(struct parse_state *state, const char *section,
		const char *key, const char *fmt, ...) {
	char msg[512];
	va_list args;
	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);

	char line[1024];
	if (section && section[0] && key) {
		snprintf(line, sizeof(line), "%s:%d: [%s] %s: %s", state->path,
			state->line, section, key, msg);
	} else {
		snprintf(line, sizeof(line), "%s:%d: %s", state->path, state->line,
			msg);
	}
	struct pwl_config *config = state->config;
	char **errors = realloc(config->errors,
		(config->errors_len + 1) * sizeof(*errors));
	if (errors) {
		config->errors = errors;
		config->errors[config->errors_len] = strdup(line);
		if (config->errors[config->errors_len]) {
			config->errors_len++;
		}
	}
	state->ok = false;
}

static bool parse_bool(const char *value, bool *out) {
	if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") ||
			!strcmp(value, "1") || !strcasecmp(value, "on")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(value, "false") || !strcasecmp(value, "no") ||
			!strcmp(value, "0") || !strcasecmp(value, "off")) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_int(const char *value, long min, long max, int *out) {
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end != '\0' || v < min || v > max) {
		return false;
	}
	*out = (int)v;
	return true;
}

static void replace_string(char **field, const char *value) {
	free(*field);
	*field = value[0] ? strdup(value) : NULL;
}

struct modifier_name {
	const char *name;
	uint32_t mask;
};

static const struct modifier_name modifier_names[] = {
	{ "super", WLR_MODIFIER_LOGO },
	{ "logo", WLR_MODIFIER_LOGO },
	{ "mod4", WLR_MODIFIER_LOGO },
	{ "ctrl", WLR_MODIFIER_CTRL },
	{ "control", WLR_MODIFIER_CTRL },
	{ "alt", WLR_MODIFIER_ALT },
	{ "mod1", WLR_MODIFIER_ALT },
	{ "shift", WLR_MODIFIER_SHIFT },
};

bool config_parse_combo(const char *text, uint32_t *modifiers,
		xkb_keysym_t *sym) {
	char buf[128];
	if (strlen(text) >= sizeof(buf) || text[0] == '\0') {
		return false;
	}
	snprintf(buf, sizeof(buf), "%s", text);
	*modifiers = 0;
	*sym = XKB_KEY_NoSymbol;
	char *save = NULL;
	for (char *tok = strtok_r(buf, "+", &save); tok;
			tok = strtok_r(NULL, "+", &save)) {
		bool is_mod = false;
		for (size_t i = 0; i < sizeof(modifier_names) /
				sizeof(modifier_names[0]); i++) {
			if (!strcasecmp(tok, modifier_names[i].name)) {
				*modifiers |= modifier_names[i].mask;
				is_mod = true;
			}
		}
		if (is_mod) {
			continue;
		}
		if (*sym != XKB_KEY_NoSymbol) {
			return false; // two keys in one combo
		}
		*sym = xkb_keysym_from_name(tok, XKB_KEYSYM_CASE_INSENSITIVE);
		if (*sym == XKB_KEY_NoSymbol) {
			return false;
		}
		*sym = xkb_keysym_to_lower(*sym);
	}
	return *sym != XKB_KEY_NoSymbol;
}

static bool parse_action(const char *value, enum pwl_action *action,
		const char **arg) {
	static const struct {
		const char *name;
		enum pwl_action action;
	} actions[] = {
		{ "close", PWL_ACTION_CLOSE },
		{ "quit", PWL_ACTION_QUIT },
		{ "fullscreen", PWL_ACTION_FULLSCREEN },
		{ "maximize", PWL_ACTION_MAXIMIZE },
		{ "focus-next", PWL_ACTION_FOCUS_NEXT },
		{ "menu", PWL_ACTION_MENU },
	};
	*arg = NULL;
	if (!strncmp(value, "spawn ", 6)) {
		*action = PWL_ACTION_SPAWN;
		*arg = value + 6;
		while (**arg == ' ') {
			(*arg)++;
		}
		return **arg != '\0';
	}
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (!strcmp(value, actions[i].name)) {
			*action = actions[i].action;
			return true;
		}
	}
	return false;
}

static void handle_keybinding(struct parse_state *state, const char *key,
		const char *value) {
	uint32_t mods;
	xkb_keysym_t sym;
	if (!config_parse_combo(key, &mods, &sym)) {
		add_error(state, "keybindings", key,
			"unknown key combination (expected e.g. Super+Shift+q)");
		return;
	}
	enum pwl_action action;
	const char *arg;
	if (!parse_action(value, &action, &arg)) {
		add_error(state, "keybindings", key, "unknown action '%s' "
			"(spawn CMD, close, quit, fullscreen, maximize, focus-next)",
			value);
		return;
	}
	// A later binding for the same combo replaces the earlier one.
	struct pwl_keybinding *binding, *tmp;
	wl_list_for_each_safe(binding, tmp, &state->config->keybindings, link) {
		if (binding->modifiers == mods && binding->sym == sym) {
			wl_list_remove(&binding->link);
			free(binding->command);
			free(binding);
		}
	}
	binding = calloc(1, sizeof(*binding));
	if (!binding) {
		return;
	}
	binding->modifiers = mods;
	binding->sym = sym;
	binding->action = action;
	binding->command = arg ? strdup(arg) : NULL;
	wl_list_insert(state->config->keybindings.prev, &binding->link);
}

struct pwl_output_config *config_find_output(struct pwl_config *config,
		const char *name) {
	struct pwl_output_config *oc;
	wl_list_for_each(oc, &config->outputs, link) {
		if (!strcmp(oc->name, name)) {
			return oc;
		}
	}
	return NULL;
}

static struct pwl_output_config *output_config_get(struct pwl_config *config,
		const char *name) {
	struct pwl_output_config *oc = config_find_output(config, name);
	if (oc) {
		return oc;
	}
	oc = calloc(1, sizeof(*oc));
	if (!oc) {
		return NULL;
	}
	oc->name = strdup(name);
	oc->enabled = true;
	wl_list_insert(config->outputs.prev, &oc->link);
	return oc;
}

static void handle_output(struct parse_state *state, const char *section,
		const char *name, const char *key, const char *value) {
	struct pwl_output_config *oc = output_config_get(state->config, name);
	if (!oc || !oc->name) {
		return;
	}
	if (!strcmp(key, "scale")) {
		char *end;
		errno = 0;
		float scale = strtof(value, &end);
		if (errno || end == value || *end || scale < 0.25f || scale > 8.0f) {
			add_error(state, section, key,
				"'%s' is not a scale between 0.25 and 8", value);
			return;
		}
		oc->scale = scale;
	} else if (!strcmp(key, "mode")) {
		int w, h, n = 0;
		float hz = 0;
		if ((sscanf(value, "%dx%d@%f%n", &w, &h, &hz, &n) == 3 ||
				sscanf(value, "%dx%d%n", &w, &h, &n) == 2) &&
				value[n] == '\0' && w > 0 && h > 0 && w <= 16384 &&
				h <= 16384 && hz >= 0 && hz < 1000) {
			oc->width = w;
			oc->height = h;
			oc->refresh_mhz = (int)(hz * 1000);
		} else {
			add_error(state, section, key,
				"'%s' is not a mode like 1920x1080 or 1920x1080@60", value);
		}
	} else if (!strcmp(key, "position")) {
		int x, y, n = 0;
		if (sscanf(value, "%d,%d%n", &x, &y, &n) == 2 && value[n] == '\0') {
			oc->has_position = true;
			oc->x = x;
			oc->y = y;
		} else {
			add_error(state, section, key,
				"'%s' is not a position like 1920,0", value);
		}
	} else if (!strcmp(key, "enabled")) {
		if (!parse_bool(value, &oc->enabled)) {
			add_error(state, section, key, "'%s' is not a boolean", value);
		}
	} else {
		add_error(state, section, key, "unknown key");
	}
}

struct pwl_app_config *config_find_app(struct pwl_config *config,
		const char *name) {
	struct pwl_app_config *ac;
	wl_list_for_each(ac, &config->apps, link) {
		if (!strcmp(ac->name, name)) {
			return ac;
		}
	}
	return NULL;
}

static bool parse_color(const char *value, float color[4]) {
	unsigned rgb;
	int n = 0;
	if (value[0] != '#' || strlen(value) != 7 ||
			sscanf(value + 1, "%6x%n", &rgb, &n) != 1 || n != 6) {
		return false;
	}
	color[0] = ((rgb >> 16) & 0xff) / 255.0f;
	color[1] = ((rgb >> 8) & 0xff) / 255.0f;
	color[2] = (rgb & 0xff) / 255.0f;
	color[3] = 1.0f;
	return true;
}

static void handle_app(struct parse_state *state, const char *section,
		const char *name, const char *key, const char *value) {
	struct pwl_app_config *ac = config_find_app(state->config, name);
	if (!ac) {
		ac = calloc(1, sizeof(*ac));
		if (!ac || !(ac->name = strdup(name))) {
			free(ac);
			return;
		}
		wl_list_insert(state->config->apps.prev, &ac->link);
	}
	if (!strcmp(key, "color")) {
		if (parse_color(value, ac->color)) {
			ac->has_color = true;
		} else {
			add_error(state, section, key, "'%s' is not a colour like "
				"#3366cc", value);
		}
	} else {
		add_error(state, section, key, "unknown key");
	}
}

static void handle_limits(struct parse_state *state, const char *key,
		const char *value) {
	struct pwl_config *c = state->config;
	int *field = NULL;
	long max = 0;
	if (!strcmp(key, "clients-per-app")) {
		field = &c->app_max_clients;
		max = 1024;
	} else if (!strcmp(key, "surfaces-per-client")) {
		field = &c->app_max_surfaces;
		max = 1 << 20;
	} else if (!strcmp(key, "shm-pool-mib")) {
		field = &c->app_max_shm_mib;
		max = 2047;
	}
	if (!field) {
		add_error(state, "limits", key, "unknown key");
	} else if (!parse_int(value, 1, max, field)) {
		add_error(state, "limits", key, "'%s' is not a number from 1 to %ld",
			value, max);
	}
}

static void append(char ***list, size_t *len, const char *value) {
	char **grown = realloc(*list, (*len + 1) * sizeof(**list));
	if (!grown) {
		return;
	}
	*list = grown;
	if (((*list)[*len] = strdup(value))) {
		(*len)++;
	}
}

static void handle_stores(struct parse_state *state, const char *key,
		const char *value) {
	struct pwl_config *c = state->config;
	if (value[0] != '/') {
		add_error(state, "stores", key, "'%s' is not an absolute path", value);
	} else if (!strcmp(key, "path")) {
		append(&c->stores, &c->stores_len, value);
	} else if (!strcmp(key, "mount-root")) {
		if (c->store_roots_len == PWL_MAX_STORE_ROOTS) {
			add_error(state, "stores", key, "at most %d mount roots",
				PWL_MAX_STORE_ROOTS);
		} else if ((c->store_roots[c->store_roots_len] = strdup(value))) {
			c->store_roots_len++;
		}
	} else {
		add_error(state, "stores", key, "unknown key (path, mount-root)");
	}
}

static void handle_containers(struct parse_state *state, const char *key,
		const char *value) {
	struct pwl_config *c = state->config;
	int *field = NULL;
	long min = 0, max = 0;
	if (!strcmp(key, "engine")) {
		if (strncmp(value, "unix://", 7) && strncmp(value, "tcp://", 6)) {
			add_error(state, "containers", key, "'%s' is not unix:///PATH "
				"or tcp://HOST:PORT", value);
			return;
		}
		replace_string(&c->containers.engine, value);
		return;
	} else if (!strcmp(key, "gpu-devices")) {
		if (value[0] != '/') {
			add_error(state, "containers", key, "'%s' is not an absolute "
				"path or pattern", value);
		} else {
			replace_string(&c->containers.gpu_devices, value);
		}
		return;
	} else if (!strcmp(key, "memory-mib")) {
		field = &c->containers.memory_mib;
		max = 1 << 24;
	} else if (!strcmp(key, "pids")) {
		field = &c->containers.pids;
		max = 1 << 22;
	} else if (!strcmp(key, "stop-grace")) {
		field = &c->containers.stop_grace_s;
		min = -1;
		max = 3600;
	} else if (!strcmp(key, "stop-timeout")) {
		field = &c->containers.stop_timeout_s;
		max = 300;
	} else if (!strcmp(key, "root-uid")) {
		field = &c->containers.root_uid;
		min = 1;
		max = 0x7fffffff;
	}
	if (!field) {
		add_error(state, "containers", key, "unknown key (engine, "
			"memory-mib, pids, stop-grace, stop-timeout, root-uid, "
			"gpu-devices)");
	} else if (!parse_int(value, min, max, field)) {
		add_error(state, "containers", key, "'%s' is not a number from %ld "
			"to %ld", value, min, max);
	}
}

static void handle_kiosk(struct parse_state *state, const char *key,
		const char *value) {
	struct pwl_config *c = state->config;
	if (!strcmp(key, "app")) {
		free(c->kiosk.app);
		c->kiosk.app = strdup(value);
	} else if (!strcmp(key, "admin")) {
		if (!config_parse_combo(value, &c->kiosk.admin_modifiers,
				&c->kiosk.admin_sym)) {
			add_error(state, "kiosk", key, "'%s' is not a key combination",
				value);
		}
	} else if (!strcmp(key, "outputs")) {
		if (!strcmp(value, "span") || !strcmp(value, "mirror")) {
			c->kiosk.span = !strcmp(value, "span");
		} else {
			add_error(state, "kiosk", key, "'%s' is not mirror or span",
				value);
		}
	} else if (!strcmp(key, "hide-cursor")) {
		if (!parse_int(value, 0, 3600, &c->kiosk.hide_cursor_s)) {
			add_error(state, "kiosk", key, "'%s' is not a number of seconds "
				"from 0 to 3600", value);
		}
	} else {
		add_error(state, "kiosk", key, "unknown key (app, admin, outputs, "
			"hide-cursor)");
	}
}

static void handle_keyboard(struct parse_state *state, const char *key,
		const char *value) {
	struct pwl_config *c = state->config;
	if (!strcmp(key, "layout")) {
		replace_string(&c->keyboard.layout, value);
	} else if (!strcmp(key, "variant")) {
		replace_string(&c->keyboard.variant, value);
	} else if (!strcmp(key, "options")) {
		replace_string(&c->keyboard.options, value);
	} else if (!strcmp(key, "model")) {
		replace_string(&c->keyboard.model, value);
	} else if (!strcmp(key, "rules")) {
		replace_string(&c->keyboard.rules, value);
	} else if (!strcmp(key, "repeat-rate")) {
		if (!parse_int(value, 0, 1000, &c->keyboard.repeat_rate)) {
			add_error(state, "keyboard", key,
				"'%s' is not a rate from 0 to 1000 per second", value);
		}
	} else if (!strcmp(key, "repeat-delay")) {
		if (!parse_int(value, 0, 10000, &c->keyboard.repeat_delay)) {
			add_error(state, "keyboard", key,
				"'%s' is not a delay from 0 to 10000 ms", value);
		}
	} else {
		add_error(state, "keyboard", key, "unknown key");
	}
}

static void handle_general(struct parse_state *state, const char *key,
		const char *value) {
	struct pwl_config *c = state->config;
	if (!strcmp(key, "xwayland")) {
		if (!parse_bool(value, &c->xwayland)) {
			add_error(state, "general", key, "'%s' is not a boolean", value);
		}
	} else if (!strcmp(key, "server-side-decorations")) {
		if (!parse_bool(value, &c->ssd)) {
			add_error(state, "general", key, "'%s' is not a boolean", value);
		}
	} else if (!strcmp(key, "cursor-theme")) {
		replace_string(&c->cursor_theme, value);
	} else if (!strcmp(key, "cursor-size")) {
		if (!parse_int(value, 8, 256, &c->cursor_size)) {
			add_error(state, "general", key,
				"'%s' is not a size from 8 to 256", value);
		}
	} else if (!strcmp(key, "watchdog")) {
		if (!parse_int(value, 0, 3600, &c->watchdog_s)) {
			add_error(state, "general", key, "'%s' is not a number of "
				"seconds from 0 (off) to 3600", value);
		}
	} else {
		add_error(state, "general", key, "unknown key");
	}
}

static void handle_startup(struct parse_state *state, const char *key,
		const char *value) {
	struct pwl_config *c = state->config;
	if (strcmp(key, "exec")) {
		add_error(state, "startup", key, "unknown key (expected exec)");
		return;
	}
	char **startup = realloc(c->startup,
		(c->startup_len + 1) * sizeof(*startup));
	if (!startup) {
		return;
	}
	c->startup = startup;
	c->startup[c->startup_len] = strdup(value);
	if (c->startup[c->startup_len]) {
		c->startup_len++;
	}
}

static int handle_entry(void *data, const char *section, const char *key,
		const char *value) {
	struct parse_state *state = data;
	if (!strcmp(section, "")) {
		add_error(state, NULL, NULL, "'%s' is outside of any section", key);
	} else if (!strcmp(section, "general")) {
		handle_general(state, key, value);
	} else if (!strcmp(section, "keyboard")) {
		handle_keyboard(state, key, value);
	} else if (!strcmp(section, "keybindings")) {
		handle_keybinding(state, key, value);
	} else if (!strcmp(section, "startup")) {
		handle_startup(state, key, value);
	} else if (!strcmp(section, "panel")) {
		if (!strcmp(key, "command")) {
			replace_string(&state->config->panel_command, value);
		} else {
			add_error(state, section, key, "unknown key");
		}
	} else if (!strncmp(section, "output ", 7) && section[7]) {
		handle_output(state, section, section + 7, key, value);
	} else if (!strncmp(section, "app ", 4) && section[4]) {
		handle_app(state, section, section + 4, key, value);
	} else if (!strcmp(section, "limits")) {
		handle_limits(state, key, value);
	} else if (!strcmp(section, "containers")) {
		handle_containers(state, key, value);
	} else if (!strcmp(section, "kiosk")) {
		handle_kiosk(state, key, value);
	} else if (!strcmp(section, "stores")) {
		handle_stores(state, key, value);
	} else {
		add_error(state, section, key, "unknown section");
	}
	return 1;
}

/* inih reads through this so that we know the line a handler is called for
 * (Debian's libinih is built without INI_HANDLER_LINENO). */
static void line_too_long(void *data, int max) {
	add_error(data, NULL, NULL, "line longer than %d characters", max);
}

bool config_parse(struct pwl_config *config, FILE *f, const char *path) {
	struct parse_state state = {
		.config = config,
		.path = path,
		.ok = true,
	};
	struct ini_reader reader = { f, &state.line, line_too_long, &state };
	int ret = ini_parse_stream(ini_reader_read, &reader, handle_entry, &state);
	if (ret > 0) {
		// A syntax error inih could not hand to us (e.g. "[section").
		state.line = ret;
		add_error(&state, NULL, NULL, "syntax error");
	} else if (ret < 0) {
		add_error(&state, NULL, NULL, "cannot read the file");
	}
	return state.ok;
}

static char *default_path(void) {
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char path[4096];
	if (xdg && xdg[0]) {
		snprintf(path, sizeof(path), "%s/pocketwl/config.ini", xdg);
	} else if (home && home[0]) {
		snprintf(path, sizeof(path), "%s/.config/pocketwl/config.ini", home);
	} else {
		return NULL;
	}
	return strdup(path);
}

bool config_load(struct pwl_config *config, const char *path) {
	bool explicit = path != NULL;
	char *resolved = explicit ? strdup(path) : default_path();
	if (!resolved) {
		return !explicit;
	}
	FILE *f = fopen(resolved, "r");
	if (!f) {
		bool ok = !explicit && errno == ENOENT;
		if (!ok) {
			struct parse_state state = { .config = config,
				.path = resolved, .line = 0 };
			add_error(&state, NULL, NULL, "cannot open: %s",
				strerror(errno));
		}
		free(resolved);
		return ok;
	}
	free(config->path);
	config->path = resolved;
	bool ok = config_parse(config, f, resolved);
	fclose(f);
	return ok;
}

static void drop_keybindings(struct pwl_config *config) {
	struct pwl_keybinding *binding, *tmp_binding;
	wl_list_for_each_safe(binding, tmp_binding, &config->keybindings, link) {
		wl_list_remove(&binding->link);
		free(binding->command);
		free(binding);
	}
}

void config_apply_kiosk(struct pwl_config *config) {
	drop_keybindings(config);
	config->super_tap_menu = false;
	struct pwl_keybinding *admin = calloc(1, sizeof(*admin));
	if (admin) {
		admin->modifiers = config->kiosk.admin_modifiers;
		admin->sym = xkb_keysym_to_lower(config->kiosk.admin_sym);
		admin->action = PWL_ACTION_QUIT;
		wl_list_insert(&config->keybindings, &admin->link);
	}
}

void config_finish(struct pwl_config *config) {
	drop_keybindings(config);
	struct pwl_app_config *app, *tmp_app;
	wl_list_for_each_safe(app, tmp_app, &config->apps, link) {
		wl_list_remove(&app->link);
		free(app->name);
		free(app);
	}
	struct pwl_output_config *oc, *tmp_oc;
	wl_list_for_each_safe(oc, tmp_oc, &config->outputs, link) {
		wl_list_remove(&oc->link);
		free(oc->name);
		free(oc);
	}
	for (size_t i = 0; i < config->startup_len; i++) {
		free(config->startup[i]);
	}
	for (size_t i = 0; i < config->stores_len; i++) {
		free(config->stores[i]);
	}
	free(config->stores);
	for (size_t i = 0; i < config->store_roots_len; i++) {
		free(config->store_roots[i]);
	}
	free(config->startup);
	for (size_t i = 0; i < config->errors_len; i++) {
		free(config->errors[i]);
	}
	free(config->errors);
	free(config->keyboard.rules);
	free(config->keyboard.model);
	free(config->keyboard.layout);
	free(config->keyboard.variant);
	free(config->keyboard.options);
	free(config->panel_command);
	free(config->cursor_theme);
	free(config->containers.engine);
	free(config->containers.gpu_devices);
	free(config->kiosk.app);
	free(config->path);
	memset(config, 0, sizeof(*config));
}
