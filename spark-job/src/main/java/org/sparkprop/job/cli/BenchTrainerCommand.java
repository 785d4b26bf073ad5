package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparkprop.job.bench.TrainerBenchmark;
import org.sparkprop.job.config.OutputSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench-trainer [CONFIG] [--set k=v ...]}: single-JVM DL4J against the Spark trainer, per epoch. */
@Command(name = "bench-trainer",
        customSynopsis = "usage: sparkprop bench-trainer [CONFIG] [--set key=value ...] [--single-batch N] [--target "
                + "ACC] [--spark-only]",
        header = "benchmark: single-JVM DL4J fit vs the Spark trainer, images/s and accuracy per epoch",
        description = {"", "Trains CONFIG (an IDX dataset) twice in one run: (a) DL4J fit in this JVM with all cores "
                + "and",
                "mini-batch N (default workers x batch-size), (b) the Spark trainer (a real train run; its output goes",
                "to a temporary folder). Prints images/s and test accuracy per epoch for both, the ratio b/a, and",
                "the time to ACC test accuracy.", ""})
final class BenchTrainerCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "default: examples/mnist-lenet.conf")
    private Path config = Path.of("examples/mnist-lenet.conf");

    @Mixin
    private ConfigOptions overrides;

    @Option(names = "--single-batch", paramLabel = "N", description = "mini-batch of side (a); 0: workers x batch-size")
    private int singleBatch;

    @Option(names = "--target", paramLabel = "ACC", description = "test accuracy to time (default 0.99)")
    private double target = 0.99;

    @Option(names = "--spark-only", description = "skip side (a)")
    private boolean sparkOnly;

    BenchTrainerCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> raw = overrides.raw(config);
        raw.put(OutputSection.DIR.name(), Files.createTempDirectory("sparkprop-bench-trainer").resolve("run")
                .toString());
        TrainConfig train = TrainConfig.of(raw);
        if (!(DataSource.of(train) instanceof DataSource.Idx)) {
            throw new UsageException("bench-trainer compares on an IDX dataset (dataset = mnist|fashion); unset "
                    + "data.path");
        }
        new TrainerBenchmark(out).run(train, singleBatch, target, sparkOnly);
        return 0;
    }
}
