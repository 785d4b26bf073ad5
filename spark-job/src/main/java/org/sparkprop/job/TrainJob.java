package org.sparkprop.job;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.checkpoint.Checkpoint;
import org.sparkprop.job.checkpoint.CheckpointChanges;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.CheckpointSection;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.OutputSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.config.TrainerSection;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.data.EvaluationData;
import org.sparkprop.job.data.FolderData;
import org.sparkprop.job.data.IdxData;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.eval.EpochPolicy;
import org.sparkprop.job.eval.EvaluationResult;
import org.sparkprop.job.eval.SplitEvaluator;
import org.sparkprop.job.output.ConsoleReporter;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.output.RunLock;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.promote.Promotion;
import org.sparkprop.job.report.RunReport;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.TrainerSettings;
import org.sparkprop.job.train.TrainingDivergedException;
import org.sparkprop.job.train.TrainingSource;
import org.sparkprop.job.transfer.FeaturizedData;
import org.sparkprop.job.transfer.TransferModel;

/**
 * One training run, in short steps: load the data and resolve the {@link RunPlan} for its shape, check the
 * checkpoint to resume from and the output folder (all before Spark starts; nothing is created when a check fails),
 * start Spark, prepare the data, fit with the {@link EpochPolicy} (per-epoch evaluation, checkpoints, early
 * stopping), then test and save model.zip, metrics.json and the report.
 */
public final class TrainJob {
    private final TrainConfig config;
    private final boolean overwrite;
    private final boolean resume;
    private final Set<String> allowedChanges;
    private final ConsoleReporter console;
    private final DatasetFetcher fetcher;
    private final Promotion promotion;

    public TrainJob(TrainConfig config, boolean overwrite, PrintStream console, DatasetFetcher fetcher) {
        this(config, overwrite, false, console, fetcher);
    }

    /** @param resume continue from the newest complete checkpoint in {@code checkpoint.dir} */
    public TrainJob(TrainConfig config, boolean overwrite, boolean resume, PrintStream console,
                    DatasetFetcher fetcher) {
        this(config, overwrite, resume, Set.of(), console, fetcher);
    }

    /**
     * @param allowedChanges result-defining keys that may differ from the checkpoint's when resuming (from
     *                       {@link CheckpointChanges#ALLOWED}): the run continues from the checkpoint's parameters
     *                       and optimizer state in the network this config builds
     */
    public TrainJob(TrainConfig config, boolean overwrite, boolean resume, Set<String> allowedChanges,
                    PrintStream console, DatasetFetcher fetcher) {
        this(config, overwrite, resume, allowedChanges, null, console, fetcher);
    }

    /**
     * @param promotion where the trained model is promoted to when it beats the one in service
     *                  ({@code train --promote-to}), or null to only write the output folder
     */
    public TrainJob(TrainConfig config, boolean overwrite, boolean resume, Set<String> allowedChanges,
                    Promotion promotion, PrintStream console, DatasetFetcher fetcher) {
        this.config = config;
        this.promotion = promotion;
        this.overwrite = overwrite;
        this.resume = resume;
        this.allowedChanges = Set.copyOf(allowedChanges);
        this.console = new ConsoleReporter(console);
        this.fetcher = fetcher;
    }

    /** What every step after the pre-Spark checks works with; {@code locks} are released when the run ends. */
    private record Run(TrainingData data, RunPlan plan, CheckpointStore store, Checkpoint checkpoint,
                       RunOutput output, long startNanos, List<RunLock> locks) {
    }

    /** Runs on a SparkContext of its own, started after every check that needs no Spark has passed. */
    public MetricsReport run() throws IOException {
        return run(null);
    }

    /** Runs on {@code sc}, or on a context of its own (stopped at the end) when {@code sc} is null. */
    public MetricsReport run(JavaSparkContext sc) throws IOException {
        Run run = checkBeforeSpark(System.nanoTime());
        try {
            if (sc != null) {
                return train(sc, run);
            }
            try (JavaSparkContext own = SparkContexts.start(SparkContexts.conf("sparkprop train", config))) {
                return train(own, run);
            }
        } finally {
            release(run.locks());
        }
    }

    private Run checkBeforeSpark(long startNanos) throws IOException {
        TrainingData data = loadData();
        RunPlan plan = RunPlan.of(config, DataShape.of(data));
        if (plan.transfer() != null && plan.transfer().mode().equals("warm-start")) {
            plan.transfer().checkWarmStartClasses(data.classNames());
        }
        CheckpointStore store = new CheckpointStore(config.checkpoint().dir(), config.checkpoint().keep(),
                new Configuration());
        Checkpoint checkpoint = resume ? resumePoint(store) : checkNoEarlierRun(store);
        List<RunLock> locks = new ArrayList<>();
        try {
            if (promotion != null) { // the data and the served model checked; the served folder locked
                locks.add(promotion.checkBeforeSpark(data, console.console()));
            }
            RunOutput output = RunOutput.prepare(config.output().dir(), overwrite); // the first thing written
            locks.addAll(lock(output, store));
            if (!resume) {
                store.deleteAll(); // an earlier run's checkpoints, only reached with --overwrite
            }
            return new Run(data, plan, store, checkpoint, output, startNanos, locks);
        } catch (IOException | RuntimeException e) {
            release(locks);
            throw e;
        }
    }

    /** Locks the output folder, and the checkpoint folder when it lies outside it: one run at a time in each. */
    private List<RunLock> lock(RunOutput output, CheckpointStore store) throws IOException {
        Configuration hadoop = new Configuration();
        List<RunLock> locks = new ArrayList<>();
        locks.add(RunLock.acquire(output.dir().toAbsolutePath().normalize().toString(), OutputSection.DIR.name(),
                hadoop));
        try {
            if (!config.checkpoint().insideOutput()) {
                locks.add(RunLock.acquire(store.dir(), CheckpointSection.DIR.name(), hadoop));
            }
        } catch (IOException | RuntimeException e) {
            release(locks);
            throw e;
        }
        return locks;
    }

    private static void release(List<RunLock> locks) throws IOException {
        for (RunLock lock : locks) {
            lock.close();
        }
    }

    /** The configured data; an image folder is only listed here (its decoding needs Spark). */
    private TrainingData loadData() throws IOException {
        if (config.data().path() != null) {
            return FolderData.list(config, new Configuration());
        }
        return IdxData.load(config, fetcher, console.console());
    }

    /** The newest checkpoint, checked against this config (except the worker count, known once Spark runs). */
    private Checkpoint resumePoint(CheckpointStore store) throws IOException {
        Checkpoint checkpoint = store.newest(console.console()::println); // a damaged newest one: the one before
        if (checkpoint == null) {
            throw new ConfigException("Nothing to resume: no complete checkpoint in " + store.dir() + " ("
                    + CheckpointSection.DIR + "). Run without --resume to start training, or point "
                    + CheckpointSection.DIR + " at the interrupted run's checkpoints.");
        }
        Map<String, String> expected = new LinkedHashMap<>(config.resultDefiningValues());
        expected.put("workers", checkpoint.state().config().get("workers"));
        CheckpointChanges.check(checkpoint, expected, allowedChanges);
        if (checkpoint.state().next().epoch() > config.trainer().epochs()) {
            throw new ConfigException("Nothing to resume: " + checkpoint.uri() + " is the end of epoch "
                    + (checkpoint.state().next().epoch() - 1) + " and " + TrainerSection.EPOCHS + " = "
                    + config.trainer().epochs() + ". Raise " + TrainerSection.EPOCHS + " to train on from it.");
        }
        return checkpoint;
    }

    /** A fresh run refuses checkpoints of an earlier run unless --overwrite (they are deleted once Spark may start). */
    private Checkpoint checkNoEarlierRun(CheckpointStore store) throws IOException {
        List<String> old = store.list();
        if (!old.isEmpty() && !overwrite) {
            throw new ConfigException("Checkpoint folder " + store.dir() + " already holds " + old.size()
                    + " checkpoint(s) of an earlier run. Pass --resume to continue that run, --overwrite to start"
                    + " over (deletes them), or set " + CheckpointSection.DIR + " elsewhere.");
        }
        return null;
    }

    private MetricsReport train(JavaSparkContext sc, Run run) throws IOException {
        TransferModel transfer = run.plan().transfer();
        FeaturizedData featurized = config.transfer().featurizeOnce()
                ? new FeaturizedData(run.data(), transfer, config.transfer().featuresDir(), config.trainer().seed())
                : null;
        try {
            TrainingSource source;
            EvaluationData epochEvaluation;
            if (featurized != null) {
                featurized.prepare(sc, console.console(), run.output());
                source = featurized.trainingSource();
                epochEvaluation = featurized.epochEvaluation();
            } else {
                run.data().prepare(sc, console.console(), run.output());
                source = run.data().trainingSource();
                epochEvaluation = run.data().epochEvaluation();
            }
            return train(sc, run, source, epochEvaluation, featurized);
        } finally {
            if (featurized != null) {
                featurized.deleteFeatures();
            }
        }
    }

    /** @param featurized the head's features in featurize-once mode, else null */
    private MetricsReport train(JavaSparkContext sc, Run run, TrainingSource source, EvaluationData epochEvaluation,
                                FeaturizedData featurized) throws IOException {
        TrainingData data = run.data();
        TransferModel transfer = run.plan().transfer();
        int workers = config.trainer().workers() > 0 ? config.trainer().workers() : sc.defaultParallelism();
        Map<String, String> configValues = new LinkedHashMap<>(config.resultDefiningValues());
        configValues.put("workers", Integer.toString(workers));
        Map<String, Map<String, String>> changes = run.checkpoint() == null ? Map.of()
                : CheckpointChanges.check(run.checkpoint(), configValues, allowedChanges);
        MetricsReport report = header(sc, run, workers, epochEvaluation);
        if (!changes.isEmpty()) {
            report.put("resumed_with_changes", changes);
        }
        if (transfer != null) {
            report.put("transfer", transfer.describe(featurized != null ? featurized.features() : null));
        }
        SparkTrainer trainer = new SparkTrainer(sc, settings(workers));
        EpochPolicy policy = new EpochPolicy(config.evaluation(), config.checkpoint(), config.trainer().epochs(),
                !config.trainer().sharedGradients(), SplitEvaluator.of(sc, epochEvaluation, data.classNames()),
                data.classNames(), report, run.store(),
                new EpochPolicy.RunIdentity(config.trainer().seed(), configValues, run.plan().isGraph()),
                run.checkpoint(), run.startNanos(), console);
        NeuralNetwork network = run.checkpoint() == null ? (featurized != null ? transfer.head()
                : run.plan().newNetwork()) : changes.isEmpty() ? run.checkpoint().network()
                : CheckpointChanges.continueIn(featurized != null ? transfer.head() : run.plan().newNetwork(),
                run.checkpoint());
        EpochProgress start = run.checkpoint() != null ? run.checkpoint().state().next() : EpochProgress.startOf(1);
        announce(run, network, workers, sc.master(), epochEvaluation, policy, start);
        try {
            network = trainer.fit(network, source, config.trainer().epochs(), start, policy);
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
        // When epochs are evaluated on the test set, the kept network's figures are already known.
        EvaluationResult known = !epochEvaluation.split().equals("test") || featurized != null ? null
                : network == policy.best() ? policy.bestEvaluation() : policy.lastEvaluation();
        if (transfer != null) { // model.zip holds the whole network, unfrozen; featurized: test it on the images
            network = featurized != null ? transfer.withHead((MultiLayerNetwork) network)
                    : TransferModel.unfrozen((MultiLayerNetwork) network);
        }
        finish(sc, network, known, run, report, trainer, policy.elapsed(), configValues);
        return report;
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
                .put("trainer", config.trainer().method())
                .put("config", config.values());
    }

    /** The lines that say what is about to train, and from where. */
    private void announce(Run run, NeuralNetwork network, int workers, String master, EvaluationData epochEvaluation,
                          EpochPolicy policy, EpochProgress start) {
        TransferModel transfer = run.plan().transfer();
        boolean featurized = config.transfer().featurizeOnce();
        if (transfer != null) {
            console.transfer(transfer.source(), transfer.mode(), transfer.frozenLayers(),
                    transfer.network().getnLayers(), transfer.frozenParams(), run.plan().parameters(),
                    run.data().numClasses(), List.of("fine-tune", "warm-start").contains(transfer.mode())
                            ? config.transfer().pretrainedLearningRate() : null);
        }
        boolean warm = transfer != null && transfer.mode().equals("warm-start");
        console.training(transfer != null ? (featurized ? "the head" : warm ? "the warm-started model"
                        : "the transfer model") : config.model().name(), ((Model) network).numParams(),
                warm ? config.optimizer().hyperparameters().optimizer().withLearningRate(
                        config.transfer().pretrainedLearningRate()) : config.optimizer().hyperparameters().optimizer(),
                run.data().name(),
                run.data().trainExamples(), run.data().test().examples(), workers, config.trainer().batchSize(),
                config.trainer().sharedGradients() ? "gradient sharing"
                        : "averaging every " + config.trainer().averagingFrequency() + " batches",
                config.trainer().epochs(), master);
        if (policy.stopping().enabled() && epochEvaluation.split().equals("test")) {
            console.earlyStoppingOnTheTestSet();
        }
        if (run.checkpoint() != null) {
            console.resuming(run.checkpoint().uri(), start);
        }
    }

    private TrainerSettings settings(int workers) {
        TrainerSection t = config.trainer();
        TrainerSettings.Method method = t.sharedGradients()
                ? new TrainerSettings.SharedGradients(t.sharedThreshold(), t.sharedPort(),
                t.sharedControllerAddress(), t.sharedNetworkMask())
                : new TrainerSettings.Averaging(t.rddApproach().equals("export"), t.repartition(), t.storageLevel());
        return new TrainerSettings(workers, t.batchSize(), t.averagingFrequency(), t.prefetchBatches(),
                t.saveUpdater(), t.seed(), method, t.collectStats());
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
        RunOutput output = run.output();
        ModelStore.save((Model) network, output.modelFile(), data.modelInput());
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
