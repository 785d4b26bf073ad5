package org.sparkprop.job.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} of every command (a picocli mixin): prints the command's usage and exits 0. */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;
}
