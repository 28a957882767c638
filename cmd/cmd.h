/* SPDX-License-Identifier: GPL-2.0 */
/* One entry point per subcommand, each in cmd/<name>.c. */
#ifndef NETLAT_CMD_H
#define NETLAT_CMD_H

int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Exit codes shared by every subcommand (perf/rtla habit). */
#define NL_EXIT_OK	0
#define NL_EXIT_HIT	1	/* a regression or threshold hit (gates) */
#define NL_EXIT_USAGE	2	/* usage, input or environment error */

#endif
