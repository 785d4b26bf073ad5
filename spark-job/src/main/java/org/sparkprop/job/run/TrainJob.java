package org.sparkprop.job.run;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.checkpoint.CheckpointChanges;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.data.EvaluationData;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.eval.EvaluationResult;
import org.sparkprop.job.eval.SplitEvaluator;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.promote.Promotion;
import org.sparkprop.job.report.RunReport;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.TrainingDivergedException;

/**
 * One training run, in short steps: load the data ({@link org.sparkprop.job.data.DataSource}) and resolve the
 * {@link RunPlan} for its shape; take the run's folders ({@link RunFolders}: the checkpoint to resume from, the output
 * folder, their locks; all before Spark starts, and nothing is created when a check fails); start Spark; let the
 * {@link NetworkStart} prepare what trains on what; fit with the {@link EpochPolicy} (per-epoch evaluation,
 * checkpoints, early stopping); then test and save model.zip, metrics.json and the report. Every variant (data
 * source, network start, trainer method) is a type chosen once from the config; none is tested here.
 */
public final class TrainJob {
    private final TrainConfig config;
    private final RunOptions options;
    private final ConsoleReporter console;
    private final DatasetFetcher fetcher;

    public TrainJob(TrainConfig config, RunOptions options, PrintStream console, DatasetFetcher fetcher) {
        this.config = config;
        this.options = options;
        this.console = new ConsoleReporter(console);
        this.fetcher = fetcher;
    }

    /** What every step after the pre-Spark checks works with. */
    private record Run(TrainingData data, RunPlan plan, RunFolders folders, long startNanos) {
    }

    /** Runs on a SparkContext of its own, started after every check that needs no Spark has passed. */
    public MetricsReport run() throws IOException {
        return run(null);
    }

    /**
     * Runs on {@code sc}, or on a context of its own (stopped at the end) when {@code sc} is null. Before Spark: the
     * data loaded (IDX) or listed (folder), the network resolved for it, the run's folders checked and locked.
     */
    public MetricsReport run(JavaSparkContext sc) throws IOException {
        long startNanos = System.nanoTime();
        TrainingData data = DataSource.of(config).load(fetcher, console.console(), new Configuration());
        RunPlan plan = RunPlan.of(config, DataShape.of(data));
        plan.start().check(data);
        try (RunFolders folders = RunFolders.take(config, options, data, console.console())) {
            Run run = new Run(data, plan, folders, startNanos);
            if (sc != null) {
                return train(sc, run);
            }
            try (JavaSparkContext own = SparkContexts.start(SparkContexts.conf("sparkprop train", config))) {
                return train(own, run);
            }
        }
    }

    /** Chooses the start (resumed or not), prepares its data on Spark, trains, and always closes the start. */
    private MetricsReport train(JavaSparkContext sc, Run run) throws IOException {
        int workers = config.trainer().workers() > 0 ? config.trainer().workers() : sc.defaultParallelism();
        Map<String, String> configValues = new LinkedHashMap<>(config.resultDefiningValues());
        configValues.put("workers", Integer.toString(workers));
        Map<String, Map<String, String>> changes = run.folders().checkpoint() == null ? Map.of()
                : CheckpointChanges.check(run.folders().checkpoint(), configValues, options.allowedChanges());
        NetworkStart start = run.folders().checkpoint() == null ? run.plan().start()
                : new NetworkStart.Resume(run.plan().start(), run.folders().checkpoint(), changes);
        try {
            NetworkStart.Prepared prepared = start.prepare(sc, run.data(), console.console(), run.folders().output());
            MetricsReport report = header(sc, run, workers, prepared.epochEvaluation());
            if (!changes.isEmpty()) {
                report.put("resumed_with_changes", changes);
            }
            Map<String, Object> transfer = start.describe();
            if (transfer != null) {
                report.put("transfer", transfer);
            }
            fit(sc, run, start, prepared, workers, configValues, report);
            return report;
        } finally {
            start.close();
        }
    }

    private void fit(JavaSparkContext sc, Run run, NetworkStart start, NetworkStart.Prepared prepared, int workers,
                     Map<String, String> configValues, MetricsReport report) throws IOException {
        EvaluationData epochEvaluation = prepared.epochEvaluation();
        SparkTrainer trainer = new SparkTrainer(sc, config.trainer().settings(workers));
        EpochPolicy policy = new EpochPolicy(config, SplitEvaluator.of(sc, epochEvaluation,
                run.data().classNames()), report, run.folders().store(), new EpochPolicy.RunIdentity(config.trainer().seed(),
                configValues, run.plan().isGraph()), start.resumedFrom(), run.startNanos(), console);
        NeuralNetwork network = start.initial();
        announce(run, start, network, workers, sc.master(), epochEvaluation, policy);
        try {
            network = trainer.fit(network, prepared.source(), config.trainer().epochs(), start.first(), policy);
        } catch (TrainingDivergedException e) {
            throw policy.withLastCheckpoint(e);
        } finally {
            console.trainingEnded();
        }
        if (policy.best() != null) {
            console.keptEpoch(policy.stopping().bestEpoch(), policy.stopping().metric(), policy.stopping().best());
            report.put("kept_epoch", policy.stopping().bestEpoch());
            network = policy.best();
        }
        // When epochs are evaluated on the test set with the saved network, the kept network's figures are known.
        EvaluationResult known = !epochEvaluation.split().equals("test") || !start.evaluatesTheSavedNetwork() ? null
                : network == policy.best() ? policy.bestEvaluation() : policy.lastEvaluation();
        finish(sc, start.forSaving(network), known, run, report, trainer, policy.elapsed(), configValues);
    }

    /** The run's facts at the top of metrics.json. */
    private MetricsReport header(JavaSparkContext sc, Run run, int workers, EvaluationData epochEvaluation) {
        return new MetricsReport()
                .put("model", run.plan().modelName())
                .put("parameters", run.plan().parameters())
                .put("dataset", run.data().name())
                .put("train_examples", run.data().trainExamples())
                .put("test_examples", run.data().test().examples())
                .put("epoch_evaluation", epochEvaluation.split())
                .put("workers", workers)
                .put("spark_master", sc.master())
                .put("trainer", config.trainer().method().id())
                .put("config", config.values());
    }

    /** The lines that say what is about to train, and from where. */
    private void announce(Run run, NetworkStart start, NeuralNetwork network, int workers, String master,
                          EvaluationData epochEvaluation, EpochPolicy policy) {
        start.announce(console, run.data().numClasses());
        console.training(start.trains(), ((Model) network).numParams(), start.optimizer(), run.data(),
                config.trainer(), workers, master);
        if (policy.stopping().enabled() && epochEvaluation.split().equals("test")) {
            console.earlyStoppingOnTheTestSet();
        }
        start.announceResumption(console);
    }

    /** @param test the network's test-set figures when already computed, else null */
    private void finish(JavaSparkContext sc, NeuralNetwork network, EvaluationResult test, Run run,
                        MetricsReport report, SparkTrainer trainer, double elapsed, Map<String, String> configValues)
            throws IOException {
        TrainingData data = run.data();
        if (test == null) {
            test = SplitEvaluator.of(sc, data.test(), data.classNames()).evaluate(network);
        }
        if (config.evaluation().trainAccuracy()) {
            EvaluationData train = data.trainForEvaluation();
            EvaluationResult onTrain = SplitEvaluator.of(sc, train, data.classNames()).evaluate(network);
            report.put("final_train_accuracy", onTrain.accuracy());
            console.finalTrainAccuracy(onTrain.accuracy(), train.examples());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("test_examples", test.examples());
        result.putAll(test.toMap());
        result.put("wall_seconds", elapsed);
        report.setFinal(result);
        RunOutput output = run.folders().output();
        ModelStore.save((Model) network, output.modelFile(), data.modelInput());
        Promotion promotion = options.promotion();
        if (promotion != null) {
            try {
                report.put("promotion", promotion.decide(sc, test, output.modelFile(), data,
                        Promotion.hash(configValues), console.console()).toMap(promotion.uri(), promotion.runId()));
            } catch (IOException | RuntimeException e) { // the trained model and its figures are kept all the same
                report.put("promotion", Map.of("to", promotion.uri(), "promoted", false, "error", e.toString()));
                report.write(output.metricsFile());
                throw e;
            }
        }
        report.write(output.metricsFile());
        List<String> written = new ArrayList<>(List.of(output.modelFile().toString(),
                output.metricsFile().toString()));
        if (config.output().report()) {
            written.add(new RunReport(report, trainer.statsHtml()).write(output.dir()).toString());
        }
        console.finalTest(test, elapsed, written);
    }
}
