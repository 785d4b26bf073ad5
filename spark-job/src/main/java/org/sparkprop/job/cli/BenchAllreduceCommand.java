package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.job.bench.AllreduceBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-allreduce [--ranks N] [--floats 1,...] [--repeats N] [--master URL]}: the allreduce trainer's sync by
 * itself ({@link AllreduceBenchmark}), median seconds per sync and effective bandwidth (vector bytes / seconds).
 */
@Command(name = "bench-allreduce",
        customSynopsis = "usage: sparkprop bench-allreduce [--ranks N] [--floats N,N,...] [--repeats N] [--master URL]",
        header = "benchmark: one sync of spark.trainer = allreduce, by vector length: median ms, GB/s (BENCHMARKS.md)",
        description = {"", "Runs one Spark barrier stage of N tasks that join the ring as training does, then sum",
                "float vectors of each length REPEATS times; rank 0 times each sum. The bandwidth is the vector's",
                "bytes over the median time (what a model of that many parameters moves per sync). The master",
                "comes from spark-submit, else --master (default local[N]).", ""})
final class BenchAllreduceCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Option(names = "--ranks", paramLabel = "N", description = "tasks in the ring (default 2)")
    private int ranks = 2;

    @Option(names = "--floats", paramLabel = "N,N,...", split = ",",
            description = "vector lengths (default 1,1000,431080,1000000,25000000)")
    private long[] floats = {1, 1_000, 431_080, 1_000_000, 25_000_000};

    @Option(names = "--repeats", paramLabel = "N", description = "sums per length (default 10)")
    private int repeats = 10;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[RANKS])")
    private String master;

    BenchAllreduceCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (ranks < 1 || repeats < 1) {
            throw new UsageException("--ranks and --repeats need a whole number > 0, got " + ranks + " and "
                    + repeats);
        }
        for (long n : floats) {
            if (n < 1 || n > 500_000_000L) {
                throw new UsageException("--floats: each length must be 1 .. 500000000, got " + n);
            }
        }
        String url = master != null ? master : "local[" + ranks + "]";
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop bench-allreduce", url))) {
            new AllreduceBenchmark(out).run(sc, ranks, floats, repeats);
        }
        return 0;
    }
}
