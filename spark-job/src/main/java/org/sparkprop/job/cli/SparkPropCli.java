package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fs.ForklessLocalFileSystem;
import org.sparkprop.job.error.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code bin/sparkprop}. {@link #main} only calls {@link #entryPoint}, which hands the arguments to
 * picocli: one declared {@code @Command} class per sub-command, help generated from their options. Failures become
 * exit codes in one place: a {@link SparkPropException} carries its own (2 for a bad command line or config, one
 * line naming what to change; 1 for a failed run), a bad command line is 2 with the command's usage.
 */
@Command(name = "sparkprop", customSynopsis = "usage: sparkprop COMMAND [ARGS]   (sparkprop COMMAND --help for more)",
        description = {"", "Distributed data-parallel neural-network training on Apache Spark with Deeplearning4j."},
        commandListHeading = "%nCommands:%n", synopsisSubcommandLabel = "COMMAND")
public final class SparkPropCli implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    private boolean help;



    private final PrintStream out;
    private final PrintStream err;
    private final CommandLine commandLine;

    public SparkPropCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        DatasetFetcher fetcher = new DatasetFetcher();
        commandLine = new CommandLine(this);
        for (Object command : List.of(new TrainCommand(out), new SummaryCommand(out), new PrepCommand(out, fetcher),
                new EvaluateCommand(out, fetcher), new BenchPipelineCommand(out), new BenchTrainerCommand(out),
                new PreflightCommand(out), new BenchAveragingCommand(out), new FetchDataCommand(out, fetcher),
                new PromoteCommand(out), new BenchEvaluationCommand(out), new BenchExportCommand(out), new BenchRoundsCommand(out),
                new BenchAllreduceCommand(out))) {
            commandLine.addSubcommand(command);
        }
        commandLine.addSubcommand("help", new CommandLine.HelpCommand());
        footer("train", TrainCommand.keysHelp());
        footer("summary", SummaryCommand.catalogueHelp());
        commandLine.getCommandSpec().usageMessage().synopsisHeading("");
        for (CommandLine sub : commandLine.getSubcommands().values()) { // the header is the command list's line only
            sub.getCommandSpec().usageMessage().synopsisHeading("").sortOptions(false);
            List<String> sections = new ArrayList<>(sub.getHelpSectionKeys());
            sections.removeAll(List.of(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING,
                    CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER));
            sub.setHelpSectionKeys(sections);
        }
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setUsageHelpWidth(110)
                .setParameterExceptionHandler(this::badCommandLine)
                .setExecutionExceptionHandler((e, command, parsed) -> failed(e, command));
    }

    private void footer(String command, String text) {
        commandLine.getSubcommands().get(command).getCommandSpec().usageMessage().footer(text);
    }

    public static void main(String[] args) {
        ForklessLocalFileSystem.installAsDefault(); // before any Hadoop file system is opened
        System.exit(new SparkPropCli(System.out, System.err).entryPoint(args));
    }

    public int entryPoint(String[] argv) {
        if (argv.length > 0 && !argv[0].startsWith("-") && !commandLine.getSubcommands().containsKey(argv[0])) {
            err.println("error: unknown command '" + argv[0] + "'"); // also with --help after it: a script can tell
            commandLine.usage(err);
            return ExitCodes.USAGE;
        }
        return commandLine.execute(argv);
    }

    /** {@code sparkprop} alone: the command list, exit 2. */
    @Override
    public Integer call() {
        commandLine.usage(out);
        return ExitCodes.USAGE;
    }

    /** Picocli could not parse the command line: one error line, then the usage of the command concerned. */
    private int badCommandLine(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandName();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            message = command == commandLine ? "unknown command '" + first + "'"
                    : (first.startsWith("-") ? "unknown option " : "unexpected argument ") + first + " for " + name;
        }
        err.println("error: " + message);
        command.usage(err);
        return ExitCodes.USAGE;
    }

    /** One error line; the usage after a bad command line, a stack trace after a failure nothing explains. */
    private int failed(Exception e, CommandLine command) {
        ExitCodes.Failure failure = ExitCodes.of(e);
        err.println("error: " + (failure.explained() ? e.getMessage() : command.getCommandName() + " failed: " + e));
        if (e instanceof UsageException) {
            command.usage(err);
        }
        if (!failure.explained()) {
            e.printStackTrace(err);
        }
        return failure.exitCode();
    }
}
