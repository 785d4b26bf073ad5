package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.bench.AveragingBenchmark;
import org.sparkprop.job.spark.SparkContexts;

/**
 * {@code bench-averaging [--workers N]}: the cost of one parameter-averaging round without training, for models of
 * about 0.4M, 5M and 25M parameters with and without optimizer state ({@link AveragingBenchmark}). Meant for a
 * cluster (deploy/it/averaging-bench.sh submits it to the standalone cluster); the master comes from spark-submit,
 * else local[*].
 */
final class BenchAveragingCommand implements Command {
    @Override
    public String name() {
        return "bench-averaging";
    }

    @Override
    public String summary() {
        return "benchmark: seconds and bytes of one averaging round for 0.4M, 5M and 25M parameters (BENCHMARKS.md)";
    }

    @Override
    public String usage() {
        return "usage: sparkprop bench-averaging [--workers N]\n\n"
                + "Times parameter-averaging rounds whose training is one image per worker: broadcast, scheduling and\n"
                + "tree aggregation only. --workers N: replicas (default: Spark's default parallelism).\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        int workers = 0;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--workers")) {
                String value = Command.optionValue(args, ++i, "--workers");
                try {
                    workers = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new UsageException("--workers needs a whole number, got " + value);
                }
            } else {
                throw new UsageException("unknown argument " + args.get(i) + " for bench-averaging");
            }
        }
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop bench-averaging", "local[*]"))) {
            new AveragingBenchmark(out).run(sc, workers > 0 ? workers : sc.defaultParallelism());
        }
        return 0;
    }
}
