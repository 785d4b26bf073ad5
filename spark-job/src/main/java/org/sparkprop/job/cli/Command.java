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

    /** The value after option {@code args[i - 1]}, or a usage error naming the option. */
    static String optionValue(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }
}
