package org.sparkprop.job.run;

import java.io.IOException;
import java.util.Map;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkprop.job.checkpoint.Checkpoint;
import org.sparkprop.job.checkpoint.CheckpointState;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.checkpoint.CheckpointWriteException;
import org.sparkprop.job.config.CheckpointSection;
import org.sparkprop.job.config.EvaluationSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.eval.EvaluationResult;
import org.sparkprop.job.eval.SplitEvaluator;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.EpochStats;
import org.sparkprop.job.train.TrainingDivergedException;
import org.sparkprop.job.train.TrainingListener;

/**
 * What happens between rounds and epochs of one run: after every epoch, evaluation on the per-epoch part, early
 * stopping and the epoch-schedule checkpoint; after every round, the time-schedule checkpoint and the progress bar.
 * Keeps the best epoch's network when early stopping is on, and knows the last checkpoint written, for the message
 * of a run that diverges.
 */
public final class EpochPolicy implements TrainingListener {
    /** What the run identifies itself by in checkpoints. */
    public record RunIdentity(long seed, Map<String, String> configValues, boolean graph) {
    }

    private final EvaluationSection evaluationConfig;
    private final CheckpointSection checkpointConfig;
    private final int epochs;
    private final boolean midEpochCheckpoints;
    private final SplitEvaluator evaluator;
    private final String evaluationSplit;
    private final MetricsReport report;
    private final CheckpointStore store;
    private final RunIdentity identity;
    private final ConsoleReporter console;
    private final double elapsedBefore;
    private final long startNanos;
    private final EarlyStopping stopping;
    private NeuralNetwork best;
    private EvaluationResult lastEvaluation;
    private EvaluationResult bestEvaluation;
    private String lastCheckpoint;
    private int lastCheckpointEpoch;
    private long lastCheckpointNanos = System.nanoTime();

    /**
     * @param config     the run's evaluation, checkpoint and trainer settings (epochs; whether the trainer resumes
     *                   exactly inside an epoch, which gradient sharing does not)
     * @param resumed    the checkpoint the run continues from, or null: its figures, early-stopping state and
     *                   elapsed time carry on
     * @param startNanos when this run (or its resumption) started, for the elapsed time
     */
    public EpochPolicy(TrainConfig config, SplitEvaluator evaluation, MetricsReport report, CheckpointStore store,
                       RunIdentity identity, Checkpoint resumed, long startNanos, ConsoleReporter console)
            throws IOException {
        this.evaluationConfig = config.evaluation();
        this.checkpointConfig = config.checkpoint();
        this.epochs = config.trainer().epochs();
        this.midEpochCheckpoints = config.trainer().method().resumesInsideAnEpoch();
        this.evaluator = evaluation;
        this.evaluationSplit = evaluation.split();
        this.report = report;
        this.store = store;
        this.identity = identity;
        this.startNanos = startNanos;
        this.console = console;
        if (resumed == null) {
            elapsedBefore = 0;
            stopping = new EarlyStopping(evaluationConfig.earlyStoppingMetric(),
                    evaluationConfig.earlyStoppingPatience(), evaluationConfig.earlyStoppingMinDelta());
        } else {
            CheckpointState state = resumed.state();
            elapsedBefore = state.elapsedSeconds();
            state.epochs().forEach(report::addEpoch);
            stopping = new EarlyStopping(evaluationConfig.earlyStoppingMetric(),
                    evaluationConfig.earlyStoppingPatience(), evaluationConfig.earlyStoppingMinDelta(),
                    state.bestEpoch(), state.bestMetric(), state.epochsWithoutImprovement());
            lastCheckpoint = resumed.uri();
            lastCheckpointEpoch = state.next().epoch() - 1; // whole epochs done, as the checkpoint records them
            if (stopping.enabled() && state.bestEpoch() > 0) {
                best = store.readBest(identity.graph());
            }
        }
    }

    /** Wall time of the run so far, including the time before a resumption. */
    public double elapsed() {
        return elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    public EarlyStopping stopping() {
        return stopping;
    }

    /** The epoch whose network early stopping keeps, or null when early stopping is off or never improved. */
    public NeuralNetwork best() {
        return stopping.enabled() ? best : null;
    }

    /** The evaluation of {@link #best()} (null when it was restored from a checkpoint). */
    public EvaluationResult bestEvaluation() {
        return bestEvaluation;
    }

    public EvaluationResult lastEvaluation() {
        return lastEvaluation;
    }

    /** Whole epochs done when the last checkpoint was written (0: none was). */
    public int lastCheckpointEpoch() {
        return lastCheckpointEpoch;
    }

    /** The same failure, naming the last good checkpoint. */
    public TrainingDivergedException withLastCheckpoint(TrainingDivergedException e) {
        return e.withLastCheckpoint(lastCheckpoint, lastCheckpointEpoch);
    }

    @Override
    public void onRound(EpochProgress progress, NeuralNetwork network) {
        console.round(progress, epochs);
        double minutes = checkpointConfig.everyMinutes();
        if (minutes > 0 && !progress.epochDone() && midEpochCheckpoints
                && (System.nanoTime() - lastCheckpointNanos) / 60e9 >= minutes) {
            checkpoint(network, progress, progress.epoch() - 1);
        }
    }

    @Override
    public boolean onEpochEnd(EpochStats stats, NeuralNetwork network) {
        EvaluationResult evaluation;
        try {
            evaluation = evaluator.evaluate(network);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot evaluate epoch " + stats.epoch() + " on the "
                    + evaluationSplit + " part: " + e.getMessage(), e);
        }
        lastEvaluation = evaluation;
        report.addEpoch(MetricsReport.Epoch.of(stats.epoch(), stats.meanLoss(), evaluationSplit,
                evaluation.accuracy(), stats.imagesPerSecond(), stats.trainSeconds(), elapsed(), evaluation.loss(),
                evaluation.f1()));
        boolean improved = stopping.record(stats.epoch(), evaluation.metric(evaluationConfig.earlyStoppingMetric()));
        if (stopping.enabled() && improved) {
            best = copy(network);
            bestEvaluation = evaluation;
            if (checkpointConfig.enabled()) {
                try {
                    store.writeBest(best);
                } catch (IOException e) {
                    throw new CheckpointWriteException(store.dir(), e);
                }
            }
        }
        boolean stop = stopping.shouldStop();
        int every = checkpointConfig.everyEpochs();
        if (every > 0 && (stats.epoch() % every == 0 || stats.epoch() == epochs || stop)) {
            checkpoint(network, EpochProgress.startOf(stats.epoch() + 1), stats.epoch());
        }
        double perEpoch = elapsed() / Math.max(1, report.epochs().size());
        console.epoch(stats, epochs, evaluationSplit, evaluation, elapsed(), perEpoch * (epochs - stats.epoch()),
                stop ? "early stopping: no " + evaluationConfig.earlyStoppingMetric() + " improvement in "
                        + evaluationConfig.earlyStoppingPatience() + " epochs" : null);
        return !stop;
    }

    private void checkpoint(NeuralNetwork network, EpochProgress next, int epochsDone) {
        CheckpointState state = new CheckpointState(next, identity.seed(), CheckpointStore.hash(identity.configValues()),
                identity.configValues(), identity.graph(), report.epochs(), stopping.bestEpoch(), stopping.best(),
                stopping.withoutImprovement(), elapsed());
        try {
            lastCheckpoint = store.write(network, state);
        } catch (IOException e) {
            throw new CheckpointWriteException(store.dir(), e);
        }
        lastCheckpointEpoch = epochsDone;
        lastCheckpointNanos = System.nanoTime();
    }

    private static NeuralNetwork copy(NeuralNetwork network) {
        return network instanceof MultiLayerNetwork mln ? mln.clone() : ((ComputationGraph) network).clone();
    }
}
