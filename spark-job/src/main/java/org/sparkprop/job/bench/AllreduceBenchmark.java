package org.sparkprop.job.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.SyncTiming;

/**
 * The allreduce trainer's sync by itself ({@link SparkTrainer#timeSyncs}): the one join of the ring, then per vector
 * length the median seconds of rank 0's sums and the effective bandwidth (vector bytes / median).
 */
public final class AllreduceBenchmark {
    private final PrintStream out;

    public AllreduceBenchmark(PrintStream out) {
        this.out = out;
    }

    public void run(JavaSparkContext sc, int ranks, long[] floats, int repeats) {
        out.printf(Locale.ROOT, "allreduce sync, %d ranks on %s, %d repeats, median of rank 0's times%n", ranks,
                sc.master(), repeats);
        List<SyncTiming> timings = SparkTrainer.timeSyncs(sc, ranks, floats, repeats);
        out.printf(Locale.ROOT, "joining the ring (the driver's rendezvous, the connections): %.1f ms%n",
                timings.get(0).seconds()[0] * 1e3);
        out.printf(Locale.ROOT, "%12s %12s %12s %10s%n", "floats", "MB", "median ms", "GB/s");
        for (SyncTiming t : timings.subList(1, timings.size())) {
            double bytes = t.floats() * 4.0;
            double median = Medians.of(t.seconds());
            out.printf(Locale.ROOT, "%12d %12.3f %12.3f %10.3f%n", t.floats(), bytes / 1e6, median * 1e3,
                    bytes / median / 1e9);
        }
    }
}
