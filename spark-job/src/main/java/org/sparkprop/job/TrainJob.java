package org.sparkprop.job;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.FolderData;
import org.sparkprop.job.data.IdxData;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.job.train.EpochListener;
import org.sparkprop.job.train.EpochStats;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.TrainerSettings;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.build.NetworkDefinition;

/**
 * One training run, in short steps: load the data, build the model for its shape, check the output folder (all
 * before Spark starts, and nothing is created when a check fails), start Spark, fit with per-epoch test
 * evaluation, then save model.zip and metrics.json.
 */
public final class TrainJob {
    private final TrainConfig config;
    private final boolean overwrite;
    private final PrintStream console;
    private final DatasetFetcher fetcher;
    private Evaluation lastEvaluation;

    public TrainJob(TrainConfig config, boolean overwrite, PrintStream console, DatasetFetcher fetcher) {
        this.config = config;
        this.overwrite = overwrite;
        this.console = console;
        this.fetcher = fetcher;
    }

    /** Runs on a SparkContext of its own, started after every check that needs no Spark has passed. */
    public MetricsReport run() throws IOException {
        return run(null);
    }

    /**
     * Runs on {@code sc}, or on a context of its own (stopped at the end) when {@code sc} is null.
     */
    public MetricsReport run(JavaSparkContext sc) throws IOException {
        long start = System.nanoTime();
        TrainingData data = loadData();
        NetworkDefinition model = buildModel(data);
        RunOutput output = RunOutput.prepare(config.output(), overwrite);
        NeuralNetwork network;
        MetricsReport report;
        if (sc != null) {
            report = prepare(sc, data, model, output);
            network = fit(sc, model, data, report, start);
        } else {
            try (JavaSparkContext own = SparkContexts.start(SparkContexts.conf("sparkprop train",
                    config.sparkMaster()))) {
                report = prepare(own, data, model, output);
                network = fit(own, model, data, report, start);
            }
        }
        save(network, data, report, output, start);
        return report;
    }

    /** The configured data; an image folder is only listed here (its decoding needs Spark). */
    TrainingData loadData() throws IOException {
        if (config.dataPath() != null) {
            return FolderData.list(config, new Configuration());
        }
        return IdxData.load(config, fetcher, console);
    }

    NetworkDefinition buildModel(TrainingData data) {
        return buildModel(config, data.name(), data.shape(), data.numClasses());
    }

    private MetricsReport prepare(JavaSparkContext sc, TrainingData data, NetworkDefinition model, RunOutput output)
            throws IOException {
        data.prepare(sc, console, output);
        return new MetricsReport()
                .put("model", config.model())
                .put("parameters", model.summary().totalParams())
                .put("dataset", data.name())
                .put("train_examples", data.trainExamples())
                .put("test_examples", data.testExamples())
                .put("epoch_evaluation", data.epochEvaluationSplit())
                .put("config", config.values());
    }

    /**
     * The configured model built for images of {@code input} and {@code numClasses} classes.
     *
     * @throws ConfigException naming the model key, the dataset and why the model does not fit it
     */
    public static NetworkDefinition buildModel(TrainConfig config, String dataset, InputShape input, int numClasses) {
        try {
            return NetworkBuilder.build(config.modelSpec(), input, numClasses, config.hyperparameters());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value " + config.model() + " for configuration " + TrainConfig.MODEL
                    + " with " + dataset + " input " + input + ": " + e.getMessage() + ".");
        }
    }

    private NeuralNetwork fit(JavaSparkContext sc, NetworkDefinition model, TrainingData data, MetricsReport report,
                              long start) throws IOException {
        int workers = config.workers() > 0 ? config.workers() : sc.defaultParallelism();
        TrainerSettings settings = new TrainerSettings(workers, config.batchSize(), config.averagingFrequency(),
                config.prefetchBatches(), config.saveUpdater(), config.seed());
        report.put("workers", workers).put("spark_master", sc.master());
        console.printf(Locale.ROOT, "training %s (%,d params, %s) on %s: %d train / %d test images, %d workers x"
                        + " batch %d, averaging every %d batches, %d epochs (Spark %s)%n", config.model(),
                model.summary().totalParams(), config.hyperparameters().optimizer(), data.name(),
                data.trainExamples(), data.testExamples(), workers, config.batchSize(), config.averagingFrequency(),
                config.epochs(), sc.master());
        List<DataSet> evaluationBatches = data.epochEvaluationBatches();
        EpochListener listener = (stats, network) -> onEpochEnd(stats, network, evaluationBatches, data, report,
                start);
        return data.fit(new SparkTrainer(sc, settings), model, config.epochs(), listener);
    }

    private void onEpochEnd(EpochStats stats, NeuralNetwork network, List<DataSet> evaluationBatches,
                            TrainingData data, MetricsReport report, long start) {
        Evaluation evaluation = DriverEvaluator.evaluate(network, evaluationBatches, data.numClasses());
        lastEvaluation = evaluation;
        double elapsed = seconds(start);
        report.addEpoch(new MetricsReport.Epoch(stats.epoch(), stats.meanLoss(), evaluation.accuracy(),
                stats.imagesPerSecond(), stats.trainSeconds(), elapsed));
        console.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  %s accuracy %.2f%%  %.0f images/s  elapsed %s%n",
                stats.epoch(), config.epochs(), stats.meanLoss(), data.epochEvaluationSplit(),
                100 * evaluation.accuracy(),
                stats.imagesPerSecond(), clock(elapsed));
    }

    private void save(NeuralNetwork network, TrainingData data, MetricsReport report, RunOutput output, long start)
            throws IOException {
        // The last epoch's evaluation is the final one when it ran on the test set; otherwise test now.
        Evaluation evaluation = data.epochEvaluationSplit().equals("test") ? lastEvaluation
                : DriverEvaluator.evaluate(network, data.testBatches(), data.numClasses());
        if (config.evaluateTrainAccuracy()) {
            Evaluation onTrain = DriverEvaluator.evaluate(network, data.trainBatchesForEvaluation(),
                    data.numClasses());
            report.put("final_train_accuracy", onTrain.accuracy());
            console.printf(Locale.ROOT, "final train accuracy %.2f%% on %d images%n", 100 * onTrain.accuracy(),
                    data.trainExamples());
        }
        report.setFinal(new MetricsReport.Final(evaluation.accuracy(), evaluation.precision(), evaluation.recall(),
                evaluation.f1(), evaluation.getNumRowCounter(), seconds(start)));
        ModelStore.save((Model) network, output.modelFile(), data.modelInput());
        report.write(output.metricsFile());
        console.printf(Locale.ROOT, "final test accuracy %.2f%% (macro precision %.4f, recall %.4f, F1 %.4f) in %s;"
                        + " wrote %s and %s%n", 100 * evaluation.accuracy(), evaluation.precision(),
                evaluation.recall(), evaluation.f1(), clock(seconds(start)), output.modelFile(),
                output.metricsFile());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
