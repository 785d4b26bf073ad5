package org.sparkprop.job;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.checkpoint.Checkpoint;
import org.sparkprop.job.checkpoint.CheckpointState;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.FolderData;
import org.sparkprop.job.data.IdxData;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.eval.EarlyStopping;
import org.sparkprop.job.eval.EvaluationResult;
import org.sparkprop.job.output.Clock;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.output.ProgressBar;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.report.RunReport;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.EpochStats;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.TrainerSettings;
import org.sparkprop.job.train.TrainingDivergedException;
import org.sparkprop.job.train.TrainingListener;
import org.sparkprop.job.transfer.FeaturizedData;
import org.sparkprop.job.transfer.TransferModel;
import org.sparkprop.job.transfer.TransferModels;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.build.NetworkDefinition;

/**
 * One training run, in short steps: load the data, build the model for its shape, check the output folder and the
 * checkpoint to resume from (all before Spark starts; nothing is created when a check fails), start Spark, fit with
 * per-epoch evaluation, checkpoints and early stopping, then test, save model.zip, metrics.json and the report.
 */
public final class TrainJob {
    private final TrainConfig config;
    private final boolean overwrite;
    private final boolean resume;
    private final PrintStream console;
    private final DatasetFetcher fetcher;

    public TrainJob(TrainConfig config, boolean overwrite, PrintStream console, DatasetFetcher fetcher) {
        this(config, overwrite, false, console, fetcher);
    }

    /** @param resume continue from the newest complete checkpoint in {@code checkpoint.dir} */
    public TrainJob(TrainConfig config, boolean overwrite, boolean resume, PrintStream console,
                    DatasetFetcher fetcher) {
        this.config = config;
        this.overwrite = overwrite;
        this.resume = resume;
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
        TransferModel transfer = config.transferSource() == null ? null : buildTransfer(data);
        NetworkDefinition model = transfer == null ? buildModel(data) : null;
        CheckpointStore store = new CheckpointStore(config.checkpointDir(), config.checkpointKeep(),
                new Configuration());
        Checkpoint checkpoint = resume ? resumePoint(store) : checkNoEarlierRun(store);
        RunOutput output = RunOutput.prepare(config.output(), overwrite); // the first thing written
        if (!resume) {
            store.deleteAll(); // an earlier run's checkpoints, only reached with --overwrite
        }
        if (sc != null) {
            return train(sc, data, model, transfer, output, store, checkpoint, start);
        }
        try (JavaSparkContext own = SparkContexts.start(SparkContexts.conf("sparkprop train", config))) {
            return train(own, data, model, transfer, output, store, checkpoint, start);
        }
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

    /**
     * The pretrained network of transfer.source prepared for {@code data} (loaded, head replaced, layers frozen),
     * before Spark starts: a missing or unreadable file, or a network that cannot take the data, fails here.
     */
    TransferModel buildTransfer(TrainingData data) {
        return TransferModels.build(config, data.shape(), data.numClasses());
    }

    /** The newest checkpoint, checked against this config (except the worker count, known once Spark runs). */
    private Checkpoint resumePoint(CheckpointStore store) throws IOException {
        Checkpoint checkpoint = store.newest();
        if (checkpoint == null) {
            throw new ConfigException("Nothing to resume: no complete checkpoint in " + store.dir() + " ("
                    + TrainConfig.CHECKPOINT_DIR + "). Run without --resume to start training, or point "
                    + TrainConfig.CHECKPOINT_DIR + " at the interrupted run's checkpoints.");
        }
        Map<String, String> expected = new LinkedHashMap<>(config.resultDefiningValues());
        expected.put("workers", checkpoint.state().config().get("workers"));
        CheckpointStore.checkCompatible(checkpoint, expected);
        if (checkpoint.state().next().epoch() > config.epochs()) {
            throw new ConfigException("Nothing to resume: " + checkpoint.uri() + " is the end of epoch "
                    + (checkpoint.state().next().epoch() - 1) + " and " + TrainConfig.EPOCHS + " = " + config.epochs()
                    + ". Raise " + TrainConfig.EPOCHS + " to train on from it.");
        }
        return checkpoint;
    }

    /** A fresh run refuses checkpoints of an earlier run unless --overwrite (they are deleted once Spark may start). */
    private Checkpoint checkNoEarlierRun(CheckpointStore store) throws IOException {
        List<String> old = store.list();
        if (!old.isEmpty() && !overwrite) {
            throw new ConfigException("Checkpoint folder " + store.dir() + " already holds " + old.size()
                    + " checkpoint(s) of an earlier run. Pass --resume to continue that run, --overwrite to start"
                    + " over (deletes them), or set " + TrainConfig.CHECKPOINT_DIR + " elsewhere.");
        }
        return null;
    }

    private MetricsReport train(JavaSparkContext sc, TrainingData data, NetworkDefinition model,
                                TransferModel transfer, RunOutput output, CheckpointStore store, Checkpoint checkpoint,
                                long startNanos) throws IOException {
        FeaturizedData featurized = config.featurizeOnce()
                ? new FeaturizedData(data, transfer, config.featuresDir(), config.seed()) : null;
        try {
            return train(sc, data, featurized != null ? featurized : data, model, transfer, output, store, checkpoint,
                    startNanos);
        } finally {
            if (featurized != null) {
                featurized.deleteFeatures();
            }
        }
    }

    /** @param trainOn what the network trains on: {@code data}, or its features in featurize-once mode */
    private MetricsReport train(JavaSparkContext sc, TrainingData data, TrainingData trainOn, NetworkDefinition model,
                                TransferModel transfer, RunOutput output, CheckpointStore store,
                                Checkpoint checkpoint, long startNanos) throws IOException {
        trainOn.prepare(sc, console, output);
        boolean featurized = trainOn != data;
        long params = transfer != null ? transfer.network().numParams() : model.summary().totalParams();
        boolean graph = transfer == null && model.isGraph();
        int workers = config.workers() > 0 ? config.workers() : sc.defaultParallelism();
        Map<String, String> configValues = new LinkedHashMap<>(config.resultDefiningValues());
        configValues.put("workers", Integer.toString(workers));
        if (checkpoint != null) {
            CheckpointStore.checkCompatible(checkpoint, configValues);
        }
        MetricsReport report = new MetricsReport()
                .put("model", transfer != null ? "transfer from " + transfer.source() : config.model())
                .put("parameters", params)
                .put("dataset", data.name())
                .put("train_examples", data.trainExamples())
                .put("test_examples", data.testExamples())
                .put("epoch_evaluation", data.epochEvaluationSplit())
                .put("workers", workers)
                .put("spark_master", sc.master())
                .put("trainer", config.sharedGradients() ? "shared-gradients" : "averaging")
                .put("config", config.values());
        if (transfer != null) {
            report.put("transfer", transfer.describe(featurized ? ((FeaturizedData) trainOn).features() : null));
        }
        SparkTrainer trainer = new SparkTrainer(sc, settings(workers));
        Run run = new Run(trainOn, report, store, configValues, graph, startNanos, checkpoint);
        if (transfer != null) {
            console.printf(Locale.ROOT, "transfer from %s: %s, %d of %d layers frozen (%,d of %,d params), new %d-class"
                            + " head%s%n", transfer.source(), transfer.mode(), transfer.frozenLayers(),
                    transfer.network().getnLayers(), transfer.frozenParams(), params, data.numClasses(),
                    transfer.mode().equals("fine-tune") ? String.format(Locale.ROOT, ", pretrained layers at"
                            + " learning rate %s", config.transferPretrainedLearningRate()) : "");
        }
        NeuralNetwork network = checkpoint != null ? checkpoint.network()
                : transfer != null ? (featurized ? transfer.head() : transfer.network())
                : model.isGraph() ? model.newComputationGraph() : model.newMultiLayerNetwork();
        console.printf(Locale.ROOT, "training %s (%,d params, %s) on %s: %d train / %d test images, %d workers x"
                        + " batch %d, %s, %d epochs (Spark %s)%n",
                transfer != null ? (featurized ? "the head" : "the transfer model") : config.model(),
                ((Model) network).numParams(), config.hyperparameters().optimizer(), data.name(),
                data.trainExamples(), data.testExamples(), workers, config.batchSize(),
                config.sharedGradients() ? "gradient sharing" : "averaging every " + config.averagingFrequency()
                        + " batches", config.epochs(), sc.master());
        EpochProgress start = checkpoint != null ? checkpoint.state().next() : EpochProgress.startOf(1);
        if (run.stopping.enabled() && data.epochEvaluationSplit().equals("test")) {
            console.println("warning: early stopping picks the epoch on the test set (this data has no validation"
                    + " part), so the final test figure is optimistic. Train from an image folder with a val share"
                    + " in data.split for an unbiased one.");
        }
        if (checkpoint != null) {
            console.printf(Locale.ROOT, "resuming from %s: epoch %d, %d batches of it done, iteration %d%n",
                    checkpoint.uri(), start.epoch(), start.batchesDone(), start.iteration());
        }
        try {
            network = trainOn.fit(trainer, network, config.epochs(), start, run);
        } catch (TrainingDivergedException e) {
            run.bar.clear();
            throw e.withLastCheckpoint(run.lastCheckpoint, run.lastCheckpointEpoch);
        }
        run.bar.clear();
        if (run.stopping.enabled() && run.best != null) {
            console.printf(Locale.ROOT, "early stopping kept epoch %d (%s %.4f)%n", run.stopping.bestEpoch(),
                    run.stopping.metric(), run.stopping.best());
            report.put("kept_epoch", run.stopping.bestEpoch());
            network = run.best;
        }
        // When epochs are evaluated on the test set, the kept network's figures are already known.
        EvaluationResult known = !data.epochEvaluationSplit().equals("test") ? null
                : network == run.best ? run.bestEvaluation : run.lastEvaluation;
        if (transfer != null) { // model.zip holds the whole network, unfrozen; featurized: test it on the images
            network = featurized ? transfer.withHead((MultiLayerNetwork) network)
                    : TransferModel.unfrozen((MultiLayerNetwork) network);
            known = featurized ? null : known;
        }
        finish(network, known, data, report, output, trainer, run);
        return report;
    }

    private TrainerSettings settings(int workers) {
        TrainerSettings.Method method = config.sharedGradients()
                ? new TrainerSettings.SharedGradients(config.sharedThreshold(), config.sharedPort(),
                config.sharedControllerAddress(), config.sharedNetworkMask())
                : new TrainerSettings.Averaging(config.rddApproach().equals("export"), config.repartition(),
                config.storageLevel());
        return new TrainerSettings(workers, config.batchSize(), config.averagingFrequency(),
                config.prefetchBatches(), config.saveUpdater(), config.seed(), method, config.collectStats());
    }

    /** The listener of one run: per-epoch evaluation, checkpoints, early stopping, progress. */
    private final class Run implements TrainingListener {
        final TrainingData data;
        final MetricsReport report;
        final CheckpointStore store;
        final Map<String, String> configValues;
        final boolean graph;
        final double elapsedBefore;
        final long startNanos;
        final List<DataSet> evaluationBatches;
        final EarlyStopping stopping;
        final ProgressBar bar = ProgressBar.forConsole(console);
        NeuralNetwork best;
        EvaluationResult lastEvaluation;
        EvaluationResult bestEvaluation;
        String lastCheckpoint;
        int lastCheckpointEpoch;
        long lastCheckpointNanos = System.nanoTime();

        Run(TrainingData data, MetricsReport report, CheckpointStore store, Map<String, String> configValues,
            boolean graph, long startNanos, Checkpoint checkpoint) throws IOException {
            this.data = data;
            this.report = report;
            this.store = store;
            this.configValues = configValues;
            this.graph = graph;
            this.startNanos = startNanos;
            this.evaluationBatches = data.epochEvaluationBatches();
            if (checkpoint == null) {
                elapsedBefore = 0;
                stopping = new EarlyStopping(config.earlyStoppingMetric(), config.earlyStoppingPatience(),
                        config.earlyStoppingMinDelta());
            } else {
                CheckpointState state = checkpoint.state();
                elapsedBefore = state.elapsedSeconds();
                state.epochs().forEach(report::addEpoch);
                stopping = new EarlyStopping(config.earlyStoppingMetric(), config.earlyStoppingPatience(),
                        config.earlyStoppingMinDelta(), state.bestEpoch(), state.bestMetric(),
                        state.epochsWithoutImprovement());
                lastCheckpoint = checkpoint.uri();
                lastCheckpointEpoch = state.next().epoch() - (state.next().batchesDone() == 0 ? 1 : 0);
                if (stopping.enabled() && state.bestEpoch() > 0) {
                    best = store.readBest(graph);
                }
            }
        }

        double elapsed() {
            return elapsedBefore + seconds(startNanos);
        }

        @Override
        public void onRound(EpochProgress progress, NeuralNetwork network) {
            double rate = progress.imagesPerSecond();
            double left = rate > 0 ? (progress.batchesInEpoch() - progress.batchesDone())
                    * (double) progress.examples() / Math.max(1, progress.batchesDone()) / rate : 0;
            bar.update(progress.epoch(), config.epochs(), progress.batchesDone(), progress.batchesInEpoch(), rate, left);
            double minutes = config.checkpointEveryMinutes();
            if (minutes > 0 && !progress.epochDone() && !config.sharedGradients()
                    && (System.nanoTime() - lastCheckpointNanos) / 60e9 >= minutes) {
                checkpoint(network, progress, progress.epoch() - 1);
            }
        }

        @Override
        public boolean onEpochEnd(EpochStats stats, NeuralNetwork network) {
            EvaluationResult evaluation = DriverEvaluator.evaluate(network, evaluationBatches, data.classNames());
            lastEvaluation = evaluation;
            report.addEpoch(new MetricsReport.Epoch(stats.epoch(), stats.meanLoss(), evaluation.accuracy(),
                    stats.imagesPerSecond(), stats.trainSeconds(), elapsed(), evaluation.loss(), evaluation.f1()));
            boolean improved = stopping.record(stats.epoch(), evaluation.metric(config.earlyStoppingMetric()));
            if (stopping.enabled() && improved) {
                best = copy(network);
                bestEvaluation = evaluation;
                try {
                    if (config.checkpointEveryEpochs() > 0 || config.checkpointEveryMinutes() > 0) {
                        store.writeBest(best);
                    }
                } catch (IOException e) {
                    throw new CheckpointWriteException(store.dir(), e);
                }
            }
            boolean stop = stopping.shouldStop();
            int every = config.checkpointEveryEpochs();
            if (every > 0 && (stats.epoch() % every == 0 || stats.epoch() == config.epochs() || stop)) {
                checkpoint(network, EpochProgress.startOf(stats.epoch() + 1), stats.epoch());
            }
            double perEpoch = elapsed() / Math.max(1, report.epochs().size());
            bar.clear();
            console.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  %s accuracy %.2f%%  %s loss %.4f  %.0f images/s"
                            + "  elapsed %s  ETA %s%s%n", stats.epoch(), config.epochs(), stats.meanLoss(),
                    data.epochEvaluationSplit(), 100 * evaluation.accuracy(), data.epochEvaluationSplit(),
                    evaluation.loss(), stats.imagesPerSecond(), Clock.format(elapsed()),
                    Clock.format(perEpoch * (config.epochs() - stats.epoch())),
                    stop ? "  (early stopping: no " + config.earlyStoppingMetric() + " improvement in "
                            + config.earlyStoppingPatience() + " epochs)" : "");
            return !stop;
        }

        private void checkpoint(NeuralNetwork network, EpochProgress next, int epochsDone) {
            CheckpointState state = new CheckpointState(next, config.seed(), CheckpointStore.hash(configValues),
                    configValues, graph, report.epochs(), stopping.bestEpoch(), stopping.best(),
                    stopping.withoutImprovement(), elapsed());
            try {
                lastCheckpoint = store.write(network, state);
            } catch (IOException e) {
                throw new CheckpointWriteException(store.dir(), e);
            }
            lastCheckpointEpoch = epochsDone;
            lastCheckpointNanos = System.nanoTime();
        }
    }

    /** A checkpoint could not be written: training stops rather than run on unprotected. */
    public static final class CheckpointWriteException extends RuntimeException {
        CheckpointWriteException(String dir, IOException cause) {
            super("Cannot write a checkpoint to " + dir + " (" + cause.getMessage() + "). Check that "
                    + TrainConfig.CHECKPOINT_DIR + " is writable and has space, or set "
                    + TrainConfig.CHECKPOINT_EPOCHS + " = 0 and " + TrainConfig.CHECKPOINT_MINUTES
                    + " = 0 to train without checkpoints.", cause);
        }
    }

    private static NeuralNetwork copy(NeuralNetwork network) {
        return network instanceof MultiLayerNetwork mln ? mln.clone() : ((ComputationGraph) network).clone();
    }

    /** @param test the network's test-set figures when already computed, else null */
    private void finish(NeuralNetwork network, EvaluationResult test, TrainingData data, MetricsReport report,
                        RunOutput output, SparkTrainer trainer, Run run) throws IOException {
        if (test == null) {
            test = DriverEvaluator.evaluate(network, data.testBatches(), data.classNames());
        }
        if (config.evaluateTrainAccuracy()) {
            EvaluationResult onTrain = DriverEvaluator.evaluate(network, data.trainBatchesForEvaluation(),
                    data.classNames());
            report.put("final_train_accuracy", onTrain.accuracy());
            console.printf(Locale.ROOT, "final train accuracy %.2f%% on %d images%n", 100 * onTrain.accuracy(),
                    data.trainExamples());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("test_examples", test.examples());
        result.putAll(test.toMap());
        result.put("wall_seconds", run.elapsed());
        report.setFinal(result);
        ModelStore.save((Model) network, output.modelFile(), data.modelInput());
        report.write(output.metricsFile());
        List<String> written = new ArrayList<>(List.of(output.modelFile().toString(),
                output.metricsFile().toString()));
        if (config.report()) {
            written.add(new RunReport(report, trainer.statsHtml()).write(output.dir()).toString());
        }
        console.printf(Locale.ROOT, "final test accuracy %.2f%% (macro precision %.4f, recall %.4f, F1 %.4f%s) in %s;"
                        + " wrote %s%n", 100 * test.accuracy(), test.evaluation().precision(),
                test.evaluation().recall(), test.f1(), test.top5Accuracy() == null ? ""
                        : String.format(Locale.ROOT, ", top-5 %.2f%%", 100 * test.top5Accuracy()),
                Clock.format(run.elapsed()), String.join(", ", written));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
