package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.bench.AveragingBenchmark;
import org.sparkprop.job.spark.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-averaging [--workers N]}: the cost of one parameter-averaging round without training, for models of
 * about 0.4M, 5M and 25M parameters with and without optimizer state ({@link AveragingBenchmark}). Meant for a
 * cluster (deploy/it/averaging-bench.sh submits it to the standalone cluster); the master comes from spark-submit,
 * else local[*].
 */
@Command(name = "bench-averaging", customSynopsis = "usage: sparkprop bench-averaging [--workers N]",
        header = "benchmark: seconds and bytes of one averaging round for 0.4M, 5M and 25M parameters (BENCHMARKS.md)",
        description = {"", "Times parameter-averaging rounds whose training is one image per worker: broadcast, "
                + "scheduling and",
                "tree aggregation only.", ""})
final class BenchAveragingCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Option(names = "--workers", paramLabel = "N", description = "replicas (default: Spark's default parallelism)")
    private int workers;

    BenchAveragingCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop bench-averaging", "local[*]"))) {
            new AveragingBenchmark(out).run(sc, workers > 0 ? workers : sc.defaultParallelism());
        }
        return 0;
    }
}
