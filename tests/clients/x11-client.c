/*
 * pwl-x11-client: an X11 window for the Xwayland tests. It fills itself
 * with one colour and prints what happens to it, one event per line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

static xcb_atom_t intern(xcb_connection_t *conn, const char *name) {
	xcb_intern_atom_reply_t *reply = xcb_intern_atom_reply(conn,
		xcb_intern_atom(conn, 0, (uint16_t)strlen(name), name), NULL);
	xcb_atom_t atom = reply ? reply->atom : XCB_ATOM_NONE;
	free(reply);
	return atom;
}

int main(int argc, char *argv[]) {
	uint32_t color = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 16) : 0xff8800;
	int width = 200, height = 100;
	if (argc > 2 && sscanf(argv[2], "%dx%d", &width, &height) != 2) {
		fprintf(stderr, "usage: pwl-x11-client [RRGGBB] [WxH]\n");
		return 2;
	}
	xcb_connection_t *conn = xcb_connect(NULL, NULL);
	if (xcb_connection_has_error(conn)) {
		fprintf(stderr, "cannot connect to the X server\n");
		return 1;
	}
	xcb_screen_t *screen = xcb_setup_roots_iterator(xcb_get_setup(conn)).data;
	xcb_window_t win = xcb_generate_id(conn);
	uint32_t values[] = {
		color,
		XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_KEY_PRESS |
			XCB_EVENT_MASK_BUTTON_PRESS | XCB_EVENT_MASK_FOCUS_CHANGE |
			XCB_EVENT_MASK_STRUCTURE_NOTIFY,
	};
	xcb_create_window(conn, XCB_COPY_FROM_PARENT, win, screen->root, 0, 0,
		(uint16_t)width, (uint16_t)height, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT,
		screen->root_visual, XCB_CW_BACK_PIXEL | XCB_CW_EVENT_MASK, values);
	const char class[] = "pwl-x11\0pwl-x11";
	xcb_change_property(conn, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_CLASS,
		XCB_ATOM_STRING, 8, sizeof(class), class);
	const char *title = "X11 test window";
	xcb_change_property(conn, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NAME,
		XCB_ATOM_STRING, 8, (uint32_t)strlen(title), title);
	xcb_atom_t protocols = intern(conn, "WM_PROTOCOLS");
	xcb_atom_t delete_window = intern(conn, "WM_DELETE_WINDOW");
	xcb_change_property(conn, XCB_PROP_MODE_REPLACE, win, protocols,
		XCB_ATOM_ATOM, 32, 1, &delete_window);
	xcb_map_window(conn, win);
	xcb_flush(conn);

	int status = 0;
	bool mapped = false;
	xcb_generic_event_t *event;
	while ((event = xcb_wait_for_event(conn))) {
		uint8_t type = event->response_type & 0x7f;
		if (type == XCB_EXPOSE && !mapped) {
			mapped = true;
			printf("mapped\n");
		} else if (type == XCB_KEY_PRESS) {
			xcb_key_press_event_t *key = (xcb_key_press_event_t *)event;
			printf("key %u\n", key->detail);
		} else if (type == XCB_BUTTON_PRESS) {
			xcb_button_press_event_t *b = (xcb_button_press_event_t *)event;
			printf("button %u\n", b->detail);
		} else if (type == XCB_FOCUS_IN) {
			printf("focus-in\n");
		} else if (type == XCB_CLIENT_MESSAGE) {
			xcb_client_message_event_t *msg =
				(xcb_client_message_event_t *)event;
			if (msg->type == protocols &&
					msg->data.data32[0] == delete_window) {
				printf("close\n");
				fflush(stdout);
				free(event);
				break;
			}
		}
		fflush(stdout);
		free(event);
	}
	if (xcb_connection_has_error(conn)) {
		status = 3;
	}
	xcb_disconnect(conn);
	return status;
}
