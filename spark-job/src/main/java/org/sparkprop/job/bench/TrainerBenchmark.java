package org.sparkprop.job.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.run.RunPlan;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.IdxData;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.output.Clock;
import org.sparkprop.job.output.MetricsReport;

/**
 * Single-JVM DL4J against the Spark trainer, same model, data, seed and machine, in one run: (a) plain DL4J
 * {@code fit} on one network in this JVM (the same native threads setting) with a mini-batch of
 * workers x batch-size (the global batch of one averaged Spark step), (b) the project's Spark trainer (a real
 * {@code train} run of the same config). Prints images/s and test accuracy per epoch for both, the ratio b/a, the
 * accuracy gap and the time to a target accuracy. A harness, not a test: figures go into BENCHMARKS.md.
 */
public final class TrainerBenchmark {
    /** One epoch of one side. */
    public record Row(int epoch, double imagesPerSecond, double accuracy, double elapsedSeconds) {
    }

    private final PrintStream out;

    public TrainerBenchmark(PrintStream out) {
        this.out = out;
    }

    /**
     * @param config      the Spark side's config (its output folder is overwritten)
     * @param singleBatch the single-JVM mini-batch; 0 = workers x batch-size
     * @param target      accuracy whose first epoch is reported as "time to target", e.g. 0.99
     * @param skipSingle  run only the Spark side (for lever sweeps where the baseline is already known)
     */
    public void run(TrainConfig config, int singleBatch, double target, boolean skipSingle) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = config.trainer().workers() > 0 ? config.trainer().workers() : cores;
        int batch = singleBatch > 0 ? singleBatch : workers * config.trainer().batchSize();
        out.printf(Locale.ROOT, "trainer benchmark: %s on %s, %d epochs, seed %d; %d cores, Java %s, ND4J %s%n",
                config.model().name(), config.data().dataset(), config.trainer().epochs(), config.trainer().seed(), cores,
                System.getProperty("java.version"), Nd4j.getBackend().getClass().getSimpleName());
        IdxData data = IdxData.load(config, new DatasetFetcher(), out);
        List<Row> single = List.of();
        if (!skipSingle) {
            out.printf(Locale.ROOT, "(a) single JVM: DL4J fit, batch %d, OMP_NUM_THREADS=%s%n", batch, threads());
            single = single(config, data, batch);
        }
        out.printf(Locale.ROOT, "(b) Spark %s: %d workers x batch %d, averaging every %d, OMP_NUM_THREADS=%s%n",
                config.trainer().sparkMaster(), workers, config.trainer().batchSize(), config.trainer().averagingFrequency(), threads());
        List<Row> spark = spark(config);
        print(single, spark, target);
    }

    /**
     * ND4J's native threads per training thread, fixed when ND4J loads (OMP_NUM_THREADS; bin/sparkprop sets 1, the
     * fastest setting measured for both sides here). Both sides run with the same value.
     */
    private static String threads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        return omp == null ? "unset" : omp;
    }

    private List<Row> single(TrainConfig config, IdxData data, int batch) throws IOException {
        NeuralNetwork network = RunPlan.of(config, DataShape.of(data)).newNetwork();
        List<DataSet> test = data.test().load();
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        double trainSeconds = 0;
        for (int epoch = 1; epoch <= config.trainer().epochs(); epoch++) {
            List<DataSet> batches = MiniBatcher.shuffled(data.train(), batch, config.trainer().seed(), epoch,
                    data.normalization());
            long t0 = System.nanoTime();
            ListDataSetIterator<DataSet> iterator = new ListDataSetIterator<>(batches, 1);
            if (network instanceof MultiLayerNetwork mln) {
                mln.fit(iterator);
            } else {
                ((ComputationGraph) network).fit(iterator);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            trainSeconds += seconds;
            double accuracy = DriverEvaluator.evaluate(network, test, data.numClasses()).accuracy();
            rows.add(new Row(epoch, data.trainExamples() / seconds, accuracy, (System.nanoTime() - start) / 1e9));
            out.printf(Locale.ROOT, "  epoch %d  %.0f images/s  test accuracy %.2f%%%n", epoch,
                    data.trainExamples() / seconds, 100 * accuracy);
        }
        return rows;
    }

    private List<Row> spark(TrainConfig config) throws IOException {
        MetricsReport report = new TrainJob(config, RunOptions.NEW_RUN.overwriting(true), out, new DatasetFetcher()).run();
        List<Row> rows = new ArrayList<>();
        for (MetricsReport.Epoch e : report.epochs()) {
            rows.add(new Row(e.epoch(), e.imagesPerSecond(), e.evaluationAccuracy(), e.elapsedSeconds()));
        }
        return rows;
    }

    private void print(List<Row> single, List<Row> spark, double target) {
        out.println();
        out.println("| epoch | single-JVM images/s | Spark images/s | ratio b/a | single-JVM test acc. | Spark test acc."
                + " | Δ acc. (points) |");
        out.println("|---|---|---|---|---|---|---|");
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < spark.size(); i++) {
            Row b = spark.get(i);
            Row a = i < single.size() ? single.get(i) : null;
            if (a != null) {
                ratios.add(b.imagesPerSecond() / a.imagesPerSecond());
            }
            out.printf(Locale.ROOT, "| %d | %s | %.0f | %s | %s | %.2f%% | %s |%n", b.epoch(),
                    a == null ? "–" : String.format(Locale.ROOT, "%.0f", a.imagesPerSecond()), b.imagesPerSecond(),
                    a == null ? "–" : String.format(Locale.ROOT, "%.2f", b.imagesPerSecond() / a.imagesPerSecond()),
                    a == null ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * a.accuracy()), 100 * b.accuracy(),
                    a == null ? "–" : String.format(Locale.ROOT, "%+.2f", 100 * (b.accuracy() - a.accuracy())));
        }
        if (!ratios.isEmpty()) {
            out.printf(Locale.ROOT, "median ratio b/a %.2f%n", Medians.of(ratios));
        }
        out.printf(Locale.ROOT, "time to %.2f%% test accuracy: single JVM %s, Spark %s%n", 100 * target,
                timeTo(single, target), timeTo(spark, target));
    }

    private static String timeTo(List<Row> rows, double target) {
        for (Row row : rows) {
            if (row.accuracy() >= target) {
                return String.format(Locale.ROOT, "%s (epoch %d)", Clock.format(row.elapsedSeconds()), row.epoch());
            }
        }
        return rows.isEmpty() ? "not run" : "not reached";
    }
}
