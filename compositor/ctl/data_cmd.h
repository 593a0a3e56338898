#ifndef POCKETCTL_DATA_CMD_H
#define POCKETCTL_DATA_CMD_H

/** pocketctl data rm APP --store DIR --yes | data export APP FILE.tar
 * --store DIR | data import APP FILE.tar --store DIR */
int data_command(int argc, char *argv[]);

#endif
