package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.bench.RoundAnatomyBenchmark;
import org.sparkprop.job.config.OutputSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.config.TrainerSection;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.job.train.TrainerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench-rounds [CONFIG] [--set ...] [--rounds N] [--warmup N]}: one averaging round taken apart
 * ({@link RoundAnatomyBenchmark}). The master comes from spark-submit, else the config's.
 */
@Command(name = "bench-rounds",
        customSynopsis = "usage: sparkprop bench-rounds [CONFIG] [--set key=value ...] [--rounds N] [--warmup N]",
        header = "benchmark: one averaging round taken apart, driver, job and workers, ms per round (BENCHMARKS.md)",
        description = {"", "Trains CONFIG (an IDX dataset; default the quick start) for warm-up + N rounds with DL4J's",
                "Spark statistics on, and prints what a round after the warm-up spends where: splitting the data,",
                "the broadcast, the Spark job and within it each worker's broadcast fetch, replica and training,",
                "the rest of the job (scheduling, results, aggregation), and the driver's parameter update.",
                "With --set spark.trainer=allreduce: the stages after the first, per round: rank 0's training, its",
                "wait for data, the syncs, the stage's setup, and the rest (Spark job, broadcasts, driver update).",
                ""})
final class BenchRoundsCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "default: examples/mnist-lenet.conf")
    private Path config = Path.of("examples/mnist-lenet.conf");

    @Mixin
    private ConfigOptions overrides;

    @Option(names = "--rounds", paramLabel = "N", description = "rounds measured after the warm-up (default 30)")
    private int rounds = 30;

    @Option(names = "--warmup", paramLabel = "N", description = "rounds trained first and not measured (default 10)")
    private int warmup = 10;

    BenchRoundsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || warmup < 1) {
            throw new UsageException("--rounds and --warmup need a whole number > 0, got " + rounds + " and "
                    + warmup);
        }
        TrainConfig probe = overrides.load(config, OutputSection.DIR + "=unused");
        if (!(DataSource.of(probe) instanceof DataSource.Idx)) {
            throw new UsageException("bench-rounds trains on an IDX dataset (dataset = mnist|fashion); unset"
                    + " data.path");
        }
        int workers = probe.trainer().workers() > 0 ? probe.trainer().workers()
                : Runtime.getRuntime().availableProcessors();
        long examples = (long) (warmup + rounds + 1) * workers * probe.trainer().averagingFrequency()
                * probe.trainer().batchSize(); // one round more: the last one may be short
        boolean allreduce = probe.trainer().method() instanceof TrainerSettings.Allreduce; // times its own stages
        TrainConfig train = overrides.load(config, OutputSection.DIR + "=unused", "data.train-limit=" + examples,
                TrainerSection.COLLECT_STATS + "=" + !allreduce);
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop bench-rounds", train))) {
            new RoundAnatomyBenchmark(out).run(sc, train, warmup, rounds);
        }
        return 0;
    }
}
