#ifndef POCKETCTL_STORE_CMD_H
#define POCKETCTL_STORE_CMD_H

/** pocketctl store init DIR [--name NAME] | store check DIR */
int store_command(int argc, char *argv[]);
/** pocketctl apps --store DIR [--store DIR...] [--json] */
int apps_command(int argc, char *argv[]);

#endif
