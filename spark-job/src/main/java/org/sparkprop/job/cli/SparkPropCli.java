package org.sparkprop.job.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.folder.DatasetLayoutException;
import org.sparkprop.data.folder.TooMuchBadInputException;
import org.sparkprop.job.TrainJob;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.train.TrainingDivergedException;

/**
 * Entry point of {@code bin/sparkprop}. {@link #main} only calls {@link #entryPoint}, which dispatches to one
 * {@link Command} and maps failures to exit codes: 2 for a bad command line or config (one line naming what to
 * change), 1 for a failed run (data, I/O, divergence).
 */
public final class SparkPropCli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream out;
    private final PrintStream err;

    public SparkPropCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        DatasetFetcher fetcher = new DatasetFetcher();
        for (Command c : List.of(new TrainCommand(), new SummaryCommand(), new PrepCommand(fetcher), new EvaluateCommand(fetcher), new BenchPipelineCommand(), new BenchTrainerCommand(), new PreflightCommand(), new BenchAveragingCommand(),
                new FetchDataCommand(fetcher))) {
            commands.put(c.name(), c);
        }
    }

    public static void main(String[] args) {
        System.exit(new SparkPropCli(System.out, System.err).entryPoint(args));
    }

    public int entryPoint(String[] argv) {
        List<String> args = Arrays.asList(argv);
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            out.print(usage());
            return args.isEmpty() ? USAGE : OK;
        }
        Command command = commands.get(args.get(0));
        if (command == null) {
            err.println("error: unknown command '" + args.get(0) + "'");
            err.print(usage());
            return USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.usage());
            return OK;
        }
        try {
            return command.run(rest, out);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(command.usage());
            return USAGE;
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return ConfigException.EXIT_CODE;
        } catch (DatasetLayoutException e) {
            err.println("error: " + e.getMessage());
            return ConfigException.EXIT_CODE;
        } catch (TrainingDivergedException | TrainJob.CheckpointWriteException | TooMuchBadInputException
                | IOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        } catch (Exception e) {
            err.println("error: " + command.name() + " failed: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }

    String usage() {
        StringBuilder sb = new StringBuilder("usage: sparkprop COMMAND [ARGS]   (sparkprop COMMAND --help for more)\n\n"
                + "Distributed data-parallel neural-network training on Apache Spark with Deeplearning4j.\n\n"
                + "Commands:\n");
        for (Command c : commands.values()) {
            sb.append(String.format("  %-15s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}
