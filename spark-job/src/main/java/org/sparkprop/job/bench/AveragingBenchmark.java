package org.sparkprop.job.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.EpochStats;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.TrainerSettings;
import org.sparkprop.job.train.TrainingListener;
import org.sparkprop.job.train.TrainingSource;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.OptimizerSpec;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.zoo.ModelOptions;

/**
 * What one parameter-averaging round costs apart from training: each worker trains a single one-image mini-batch
 * (compute next to nothing), so a round's wall time is the broadcast of parameters (and optimizer state) to the
 * workers, task scheduling, and the tree aggregation of their results on the driver. Measured for MLPs of about
 * 0.4M, 5M and 25M parameters, with and without optimizer state (Nesterov: one value per parameter); prints the
 * median of {@value #ROUNDS} rounds after {@value #WARMUP} warm-up rounds, the bytes moved, and a least-squares fit
 * seconds = a + b x bytes for the cost model in BENCHMARKS.md.
 */
public final class AveragingBenchmark {
    static final int ROUNDS = 7;
    static final int WARMUP = 2;
    /** Hidden widths giving about 0.4M, 5M and 25M parameters on 28x28 inputs, 10 classes. */
    static final List<List<Integer>> SIZES = List.of(List.of(512), List.of(2048, 1536), List.of(4096, 4096, 1024));

    private final PrintStream out;

    public AveragingBenchmark(PrintStream out) {
        this.out = out;
    }

    /** One measurement: model size, whether optimizer state travels, bytes per round, median seconds. */
    public record Row(long params, boolean updater, long bytes, double seconds) {
    }

    public List<Row> run(JavaSparkContext sc, int workers) {
        out.printf(Locale.ROOT, "averaging rounds on %s, %d workers, 1 image per worker per round (median of %d)%n",
                sc.master(), workers, ROUNDS);
        out.println("params      optimizer state  MB moved/round  seconds/round  MB/s");
        List<Row> rows = new ArrayList<>();
        for (List<Integer> hidden : SIZES) {
            for (boolean updater : List.of(false, true)) {
                rows.add(measure(sc, workers, hidden, updater));
                Row r = rows.get(rows.size() - 1);
                out.printf(Locale.ROOT, "%,10d  %-15s  %14.1f  %13.3f  %5.0f%n", r.params(), updater ? "yes" : "no",
                        r.bytes() / 1e6, r.seconds(), r.bytes() / 1e6 / r.seconds());
            }
        }
        double[] fit = fit(rows);
        out.printf(Locale.ROOT, "fit: seconds/round = %.3f + %.3g x bytes  (%.0f MB/s effective)%n", fit[0], fit[1],
                1 / fit[1] / 1e6);
        return rows;
    }

    private Row measure(JavaSparkContext sc, int workers, List<Integer> hidden, boolean updater) {
        Hyperparameters hp = new Hyperparameters(1, OptimizerSpec.of("nesterov", 0.001), RegularizationSpec.NONE);
        ModelOptions options = new ModelOptions(hidden, null, null, null, null, null, null);
        MultiLayerNetwork net = NetworkBuilder.build(ModelCatalog.spec("mlp", options), new InputShape(28, 28, 1), 10,
                hp).newMultiLayerNetwork();
        TrainerSettings settings = new TrainerSettings(workers, 1, 1, 0, updater, 1,
                TrainerSettings.Averaging.DEFAULT, false);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < (WARMUP + ROUNDS) * workers; i++) { // one image per worker and round
            batches.add(new DataSet(Nd4j.rand(DataType.FLOAT, 1, 1, 28, 28), Nd4j.eye(10).getRow(i % 10, true)));
        }
        double[] seconds = new double[ROUNDS];
        double[] before = {0};
        new SparkTrainer(sc, settings).fit(net, new TrainingSource.InMemory(epoch -> batches), 1,
                EpochProgress.startOf(1), new TrainingListener() {
                    @Override
                    public void onRound(EpochProgress progress, NeuralNetwork network) {
                        int round = progress.rounds() - 1;
                        if (round >= WARMUP) { // the round's own time, as the trainer measured it
                            seconds[round - WARMUP] = progress.seconds() - before[0];
                        }
                        before[0] = progress.seconds();
                    }

                    @Override
                    public boolean onEpochEnd(EpochStats stats, NeuralNetwork network) {
                        return true;
                    }
                });
        Arrays.sort(seconds);
        long params = net.numParams();
        long perCopy = 4 * params * (updater ? 2 : 1);
        // broadcast to every worker and every worker's result back to the driver
        return new Row(params, updater, 2L * workers * perCopy, seconds[ROUNDS / 2]);
    }

    /** Least squares seconds = a + b * bytes. */
    static double[] fit(List<Row> rows) {
        double n = rows.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Row r : rows) {
            sx += r.bytes();
            sy += r.seconds();
            sxx += (double) r.bytes() * r.bytes();
            sxy += r.bytes() * r.seconds();
        }
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {(sy - b * sx) / n, b};
    }
}
