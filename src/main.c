/* The `pendopo` program: one binary for the server and its operators' commands. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return pd_cli_main(argc, argv);
}
