#ifndef POCKETCTL_PACK_CMD_H
#define POCKETCTL_PACK_CMD_H

/** pocketctl pack IMAGE --store DIR --id ID --name NAME [--icon PNG]
 *  [--command CMD] [--permissions LIST] [--engine ADDRESS] */
int pack_command(int argc, char *argv[]);
/** pocketctl purge APP --store DIR [--engine ADDRESS]: removes the app's
 * image from the engine; its data stays. */
int purge_command(int argc, char *argv[]);

/** pocketctl load APP --store DIR [--engine ADDRESS]: makes sure the
 * app's image is in the engine, loading its archive (checksum checked)
 * with a progress line when it is not. */
int load_command(int argc, char *argv[]);

#endif
