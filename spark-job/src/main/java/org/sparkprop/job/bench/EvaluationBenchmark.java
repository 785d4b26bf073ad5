package org.sparkprop.job.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.sparkprop.job.run.RunPlan;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.DataSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.data.EvaluationData;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.data.FolderData;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.eval.EvaluationResult;
import org.sparkprop.job.eval.ExecutorEvaluator;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.spark.SparkContexts;

/**
 * Evaluation of one split of an image folder's pre-batched copy, on the driver (one thread reads every batch file and
 * scores it: how the per-epoch evaluation and the final test ran before) against the executors (the network
 * broadcast, each task reads and scores its batch files, the driver merges): seconds as medians of repeats, the
 * ratio, and whether the figures agree.
 */
public final class EvaluationBenchmark {
    private final PrintStream out;

    public EvaluationBenchmark(PrintStream out) {
        this.out = out;
    }

    public void run(TrainConfig config, String split, int repeats) throws IOException {
        if (!(DataSource.of(config) instanceof DataSource.Folder folder)) {
            throw new ConfigException("bench-evaluation needs an image folder: set " + DataSection.PATH + " (bin/sparkprop"
                    + " prep --idx mnist --to DIR makes one from MNIST).");
        }
        FolderData data = folder.load(new Configuration());
        NeuralNetwork network = RunPlan.of(config, DataShape.of(data)).newNetwork();
        Path scratch = Files.createTempDirectory("sparkprop-bench-evaluation-");
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop bench-evaluation", config))) {
            data.prepare(sc, out, RunOutput.prepare(scratch, true));
            EvaluationData part = switch (split) {
                case "test" -> data.test();
                case "val" -> data.epochEvaluation();
                default -> data.trainForEvaluation();
            };
            out.printf(Locale.ROOT, "evaluating %s (%,d params) on the %s part: %,d images, %d batch files, Spark %s"
                            + " (%d cores)%n", config.model().name(), network.params().length(), part.split(),
                    part.examples(), ((org.sparkprop.job.data.ExecutorBatches.Files) part.executors()).paths().size(),
                    sc.master(), sc.defaultParallelism());
            double[] driver = new double[repeats];
            double[] executors = new double[repeats];
            EvaluationResult onDriver = null;
            EvaluationResult onExecutors = null;
            ExecutorEvaluator.evaluate(sc, network, part.executors(), data.classNames()); // warm-up of both paths
            DriverEvaluator.evaluate(network, part.load().subList(0, 1), data.classNames());
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                onDriver = DriverEvaluator.evaluate(network, part.load(), data.classNames());
                long t1 = System.nanoTime();
                onExecutors = ExecutorEvaluator.evaluate(sc, network, part.executors(), data.classNames());
                long t2 = System.nanoTime();
                driver[r] = (t1 - t0) / 1e9;
                executors[r] = (t2 - t1) / 1e9;
                out.printf(Locale.ROOT, "  repeat %d: driver %.2f s, executors %.2f s%n", r + 1, driver[r],
                        executors[r]);
            }
            double d = Medians.of(driver);
            double e = Medians.of(executors);
            out.printf(Locale.ROOT, "driver:    %.2f s, %,.0f images/s (median of %d)%n", d, part.examples() / d,
                    repeats);
            out.printf(Locale.ROOT, "executors: %.2f s, %,.0f images/s (median of %d)%n", e, part.examples() / e,
                    repeats);
            out.printf(Locale.ROOT, "executors / driver speed: %.2fx%n", d / e);
            boolean same = onDriver.accuracy() == onExecutors.accuracy() && onDriver.f1() == onExecutors.f1()
                    && Arrays.deepEquals(onDriver.confusion(), onExecutors.confusion());
            out.printf(Locale.ROOT, "figures: accuracy %.6f / %.6f, loss %.9f / %.9f, confusion matrix %s: %s%n",
                    onDriver.accuracy(), onExecutors.accuracy(), onDriver.loss(), onExecutors.loss(),
                    Arrays.deepEquals(onDriver.confusion(), onExecutors.confusion()) ? "equal" : "DIFFERENT",
                    same ? "the same figures" : "DIFFERENT FIGURES");
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(scratch.toFile());
        }
    }
}
