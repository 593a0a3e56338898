#ifndef POCKET_PANEL_H
#define POCKET_PANEL_H

/* pocket-panel: the session's bar (a layer surface on every output) with
 * the app launcher, the task list, a clock and the store indicator. A host
 * client of pocketwl: apps and their states come from zpocket_shell_v1,
 * windows from wlr-foreign-toplevel. Drawn with pixman and fcft into
 * wl_shm buffers. */
#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-client.h>

#define BAR_HEIGHT 32
#define MENU_WIDTH 420
#define MENU_ROW 44
#define MENU_HEADER 36
#define MENU_FOOTER 28
#define MENU_NOTICE 40 // the engine notice, when there is one
#define MAX_APPS 256
#define MAX_TASKS 128

enum app_state { // as zpocket_shell_v1.state
	APP_STOPPED, APP_WAITING, APP_LOADING, APP_STARTING, APP_RUNNING,
	APP_STOPPING, APP_FAILED,
};

struct panel_app {
	char id[80];
	char name[128];
	char comment[256];
	char icon_path[1024];
	char store[128];
	char permissions[128];
	char needs_consent[128];
	enum app_state state;
	uint32_t progress; // thousandths
	bool ready;
	uint32_t windows;
	char message[512];
	bool asking; // the consent view is open for it
	bool actions; // right-clicked: stop / purge shown
	pixman_image_t *icon; // loaded lazily at icon_size; NULL: letter tile
	int icon_size;
};

struct panel_task {
	struct zwlr_foreign_toplevel_handle_v1 *handle;
	char app_id[128];
	char title[256];
	bool activated;
	bool done; // had its first done event
};

struct panel_theme {
	uint32_t bg, fg, dim, accent, button, hover, error, ok;
};

struct panel_buffer {
	struct wl_buffer *buffer;
	pixman_image_t *image;
	void *data;
	size_t size;
	int width, height;
	bool busy;
};

struct panel_output {
	struct wl_list link; // panel.outputs
	struct panel *panel;
	struct wl_output *wl_output;
	uint32_t name;
	int scale;
	struct wl_surface *surface;
	struct zwlr_layer_surface_v1 *layer;
	int width; // logical, from configure
	bool configured;
	struct panel_buffer buffers[2];
};

struct hit { // a clickable area of a surface, in logical pixels
	int x, y, w, h;
	int kind; // HIT_*
	int index; // app or task index
};

enum {
	HIT_NONE, HIT_APPS_BUTTON, HIT_TASK, HIT_APP_ROW, HIT_STOP, HIT_PURGE,
	HIT_ALLOW_ONCE, HIT_ALLOW_ALWAYS, HIT_DENY,
};

#define MAX_HITS 512

struct panel {
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct wl_seat *seat;
	struct wl_pointer *pointer;
	struct wl_keyboard *keyboard;
	struct zwlr_layer_shell_v1 *layer_shell;
	struct zpocket_shell_v1 *pocket_shell;
	struct zwlr_foreign_toplevel_manager_v1 *toplevel_manager;
	struct xkb_context *xkb_context;
	struct xkb_keymap *xkb_keymap;
	struct xkb_state *xkb_state;
	struct wl_list outputs;
	struct panel_theme theme;
	bool top; // bar at the top instead of the bottom
	bool debug; // POCKET_PANEL_DEBUG: print layout for tests

	struct panel_app apps[MAX_APPS];
	int napps;
	struct panel_task tasks[MAX_TASKS];
	int ntasks;
	char usb_store[128]; // name of a plugged-in store; "" if none
	bool usb_present;
	/* The container engine (zpocket_shell_v1 version 2). */
	bool engine_missing;
	char engine_reason[256];
	char engine_fix[256];
	bool engine_no_gpu; // connected, but GPU groups do not reach apps
	bool engine_no_limits; // connected, but memory/pid limits not in force

	/* The launcher menu, on the output where it was opened. */
	bool menu_open;
	struct panel_output *menu_output;
	struct wl_surface *menu_surface;
	struct zwlr_layer_surface_v1 *menu_layer;
	bool menu_configured;
	struct panel_buffer menu_buffers[2];
	char filter[64];
	int selected; // index into the filtered rows
	char footer[512]; // a tooltip: the full message of the hovered row

	/* Pointer. */
	struct wl_surface *pointer_surface;
	double px, py;
	uint32_t serial;
	int hover_kind, hover_index;

	/* What the last draw put where. */
	struct hit bar_hits[MAX_HITS];
	int nbar_hits;
	struct hit menu_hits[MAX_HITS];
	int nmenu_hits;
	bool dirty;
	bool running;
};

/* surfaces.c */
void panel_output_create(struct panel *panel, struct wl_output *wl_output,
	uint32_t name);
void panel_output_destroy(struct panel_output *output);
void panel_ensure_bars(struct panel *panel);
void panel_menu_open(struct panel *panel, struct panel_output *output);
void panel_menu_close(struct panel *panel);
void panel_redraw(struct panel *panel);
void panel_buffers_finish(struct panel_buffer buffers[2]);

/* draw.c */
void draw_bar(struct panel *panel, struct panel_output *output,
	pixman_image_t *img, int scale);
void draw_menu(struct panel *panel, pixman_image_t *img, int scale);
int menu_height(struct panel *panel);
/** Rows of the menu after the filter: their app indices, in order. */
int menu_rows(struct panel *panel, int *rows, int max);

/* text.c */
int text_draw(pixman_image_t *dst, const char *utf8, int x, int y, int height,
	int max_x, int scale, uint32_t argb, bool bold);
int text_width(const char *utf8, int scale, bool bold);
void text_finish(void);

/* icons.c */
pixman_image_t *icon_load(const char *path, int size);
void icon_letter_tile(pixman_image_t *dst, int x, int y, int size,
	const char *name, int scale);

/* model.c */
extern const struct zpocket_shell_v1_listener pocket_shell_listener;
extern const struct zwlr_foreign_toplevel_manager_v1_listener
	toplevel_manager_listener;
void model_finish(struct panel *panel);

/* input.c */
extern const struct wl_seat_listener seat_listener;

/* helpers */
void fill_rect(pixman_image_t *img, int x, int y, int w, int h,
	uint32_t argb);

#endif
