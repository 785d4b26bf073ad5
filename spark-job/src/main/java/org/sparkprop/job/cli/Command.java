package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.util.List;

/** One {@code bin/sparkprop} sub-command. */
interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage, printed by {@code COMMAND --help}. */
    String usage();

    /** Runs with the arguments after the command name; returns the exit code. */
    int run(List<String> args, PrintStream out) throws Exception;
}
