package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sparkprop.job.bench.EvaluationBenchmark;
import org.sparkprop.job.config.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench-evaluation CONFIG [--set ...] [--split test|val|train] [--repeats N]}. */
@Command(name = "bench-evaluation",
        customSynopsis = "usage: sparkprop bench-evaluation CONFIG [--set key=value ...] [--split test|val|train] "
                + "[--repeats N]",
        header = "benchmark: evaluation of an image folder's split on the driver against the executors",
        description = {"", "Prepares (or reuses) the config's pre-batched copy, then evaluates the config's model "
                + "(freshly initialized) on one split, on the driver (one thread, as before) and on the executors; "
                + "prints the median seconds of each, the ratio, and whether the figures agree.", ""})
final class BenchEvaluationCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "a training config with data.path")
    private Path configFile;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--split", paramLabel = "test|val|train", description = "the part evaluated (default test)")
    private String split = "test";

    @Option(names = "--repeats", paramLabel = "N", description = "timed repeats of each side (default 3)")
    private int repeats = 3;

    BenchEvaluationCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("test", "val", "train").contains(split) || repeats < 1) {
            throw new UsageException("bench-evaluation: --split is test, val or train, --repeats at least 1");
        }
        new EvaluationBenchmark(out).run(TrainConfig.of(config.raw(configFile)), split, repeats);
        return 0;
    }
}
