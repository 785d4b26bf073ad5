package org.sparkprop.job.run;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkprop.job.checkpoint.Checkpoint;
import org.sparkprop.job.checkpoint.CheckpointChanges;
import org.sparkprop.job.data.EvaluationData;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.TrainingSource;
import org.sparkprop.job.transfer.FeaturizedData;
import org.sparkprop.job.transfer.TransferModel;
import org.sparkprop.model.build.NetworkDefinition;
import org.sparkprop.model.hyper.OptimizerSpec;

/**
 * How the network a run trains begins, chosen once by {@link RunPlan} from the config: a catalogue or custom model
 * with fresh weights ({@link Scratch}); a pretrained network with a new head and frozen layers, its body run in
 * every epoch ({@link Transfer}); a model trained for these classes that keeps its head and trains on
 * ({@link WarmStart}); a pretrained body run once over the data so that only the head trains
 * ({@link FeaturizeOnce}). {@link Resume} continues any of them from a checkpoint. Each owns the network that
 * trains, the data it trains on, what model.zip holds in the end and what the console says about it; a new start
 * is one more type here.
 */
public sealed interface NetworkStart permits NetworkStart.Scratch, NetworkStart.Pretrained, NetworkStart.Resume {
    /** What the trainer trains on and what each epoch is evaluated on. */
    record Prepared(TrainingSource source, EvaluationData epochEvaluation) {
    }

    /** For messages and metrics: the model's name, or where the pretrained network came from. */
    String modelName();

    /** Parameters of the whole network. */
    long parameters();

    /** Whether the whole network is a ComputationGraph (a transfer model never is). */
    boolean isGraph();

    /** The whole network, freshly initialized (or the prepared transfer model itself). */
    NeuralNetwork wholeNetwork();

    /** For {@code train --dry-run}: the network's layers and parameter counts (which are frozen, when transferred). */
    String summary();

    /** Checks of the loaded data, before Spark starts; fails with a message naming the key to change. */
    default void check(TrainingData data) {
    }

    /** Once Spark is up: prepares the data (and what this start derives from it) and says what trains on what. */
    default Prepared prepare(JavaSparkContext sc, TrainingData data, PrintStream console, RunOutput output)
            throws IOException {
        data.prepare(sc, console, output);
        return new Prepared(data.trainingSource(), data.epochEvaluation());
    }

    /** The network training starts from. */
    default NeuralNetwork initial() {
        return wholeNetwork();
    }

    /** What trains, as the console's training line names it. */
    String trains();

    /** The optimizer of the trained layers, as the console's training line shows it. */
    OptimizerSpec optimizer();

    /** The lines before the training line: where the network came from and what of it trains. */
    default void announce(ConsoleReporter console, int classes) {
    }

    /** The line after it: where a resumed run picks up. */
    default void announceResumption(ConsoleReporter console) {
    }

    /** The epoch position training starts at. */
    default EpochProgress first() {
        return EpochProgress.startOf(1);
    }

    /** The checkpoint the run continues from, or null. */
    default Checkpoint resumedFrom() {
        return null;
    }

    /** The trained network as model.zip holds it: the whole network, nothing frozen. */
    default NeuralNetwork forSaving(NeuralNetwork trained) {
        return trained;
    }

    /** Whether the per-epoch evaluation ran on the network that is saved, so its test figures are final. */
    default boolean evaluatesTheSavedNetwork() {
        return true;
    }

    /** metrics.json's {@code transfer} entry, or null when the network was not transferred. */
    default Map<String, Object> describe() {
        return null;
    }

    /** Deletes what {@link #prepare} wrote for this run alone (stored features); other files stay. */
    default void close() throws IOException {
    }

    /** The configured model ({@code model.name} or a custom layer list) from fresh weights. */
    record Scratch(NetworkDefinition model, String name, OptimizerSpec optimizer) implements NetworkStart {
        @Override
        public String modelName() {
            return name;
        }

        @Override
        public long parameters() {
            return model.summary().totalParams();
        }

        @Override
        public boolean isGraph() {
            return model.isGraph();
        }

        @Override
        public NeuralNetwork wholeNetwork() {
            return model.isGraph() ? model.newComputationGraph() : model.newMultiLayerNetwork();
        }

        @Override
        public String summary() {
            return model.summary().render();
        }

        @Override
        public String trains() {
            return name;
        }
    }

    /** A start from a pretrained network ({@code transfer.source}), prepared by TransferModels before Spark. */
    sealed interface Pretrained extends NetworkStart permits Transfer, WarmStart, FeaturizeOnce {
        /** The pretrained network as prepared: head, frozen layers, learning rates. */
        TransferModel transfer();

        @Override
        default String modelName() {
            return "transfer from " + transfer().source();
        }

        @Override
        default long parameters() {
            return transfer().network().numParams();
        }

        @Override
        default boolean isGraph() {
            return false;
        }

        @Override
        default NeuralNetwork wholeNetwork() {
            return transfer().network();
        }

        @Override
        default String summary() {
            return transfer().summary();
        }

        @Override
        default NeuralNetwork forSaving(NeuralNetwork trained) {
            return TransferModel.unfrozen((MultiLayerNetwork) trained);
        }

        @Override
        default Map<String, Object> describe() {
            return transfer().describe(null);
        }
    }

    /**
     * A pretrained network with a new head for this data's classes and its lower layers frozen (feature-extractor
     * with the body run every epoch, fine-tune, or the same architecture from scratch).
     *
     * @param pretrainedLearningRate the learning rate of the pretrained layers that train, or null when they train
     *                               at the head's (or none does)
     */
    record Transfer(TransferModel transfer, Double pretrainedLearningRate, OptimizerSpec optimizer)
            implements Pretrained {
        @Override
        public String trains() {
            return "the transfer model";
        }

        @Override
        public void announce(ConsoleReporter console, int classes) {
            console.transfer(transfer, parameters(), classes, pretrainedLearningRate);
        }
    }

    /**
     * A network trained for these same classes (the model in service) keeps its head and trains on, every layer at
     * the pretrained learning rate.
     */
    record WarmStart(TransferModel transfer, double pretrainedLearningRate, OptimizerSpec configured)
            implements Pretrained {
        /** @throws org.sparkprop.job.transfer.PretrainedModelException when its head was trained for other classes */
        @Override
        public void check(TrainingData data) {
            transfer.checkWarmStartClasses(data.classNames());
        }

        @Override
        public String trains() {
            return "the warm-started model";
        }

        @Override
        public OptimizerSpec optimizer() {
            return configured.withLearningRate(pretrainedLearningRate);
        }

        @Override
        public void announce(ConsoleReporter console, int classes) {
            console.warmStart(transfer, parameters(), classes, pretrainedLearningRate);
        }
    }

    /**
     * Feature extraction with {@code transfer.featurize = once}: the frozen body runs once over the training data on
     * the executors, and only the head trains, on the stored features; model.zip holds the body with the trained
     * head on top.
     */
    final class FeaturizeOnce implements Pretrained {
        private final TransferModel transfer;
        private final String featuresDir;
        private final long seed;
        private final OptimizerSpec optimizer;
        private FeaturizedData featurized;

        FeaturizeOnce(TransferModel transfer, String featuresDir, long seed, OptimizerSpec optimizer) {
            this.transfer = transfer;
            this.featuresDir = featuresDir;
            this.seed = seed;
            this.optimizer = optimizer;
        }

        @Override
        public TransferModel transfer() {
            return transfer;
        }

        @Override
        public Prepared prepare(JavaSparkContext sc, TrainingData data, PrintStream console, RunOutput output)
                throws IOException {
            featurized = new FeaturizedData(data, transfer, featuresDir, seed);
            featurized.prepare(sc, console, output);
            return new Prepared(featurized.trainingSource(), featurized.epochEvaluation());
        }

        @Override
        public NeuralNetwork initial() {
            return transfer.head();
        }

        @Override
        public String trains() {
            return "the head";
        }

        @Override
        public OptimizerSpec optimizer() {
            return optimizer;
        }

        @Override
        public void announce(ConsoleReporter console, int classes) {
            console.transfer(transfer, parameters(), classes, null);
        }

        @Override
        public NeuralNetwork forSaving(NeuralNetwork trained) {
            return transfer.withHead((MultiLayerNetwork) trained);
        }

        /** The epochs were evaluated with the head on features; the saved whole network is tested on the images. */
        @Override
        public boolean evaluatesTheSavedNetwork() {
            return false;
        }

        @Override
        public Map<String, Object> describe() {
            return transfer.describe(featurized != null ? featurized.features() : null);
        }

        @Override
        public void close() throws IOException {
            if (featurized != null) {
                featurized.deleteFeatures();
            }
        }
    }

    /**
     * Any start continued from a checkpoint: its parameters and optimizer state, in the network the config builds
     * when {@code changes} (keys allowed to differ, with their old and new values) are not empty.
     */
    record Resume(NetworkStart from, Checkpoint checkpoint, Map<String, Map<String, String>> changes)
            implements NetworkStart {
        @Override
        public String modelName() {
            return from.modelName();
        }

        @Override
        public long parameters() {
            return from.parameters();
        }

        @Override
        public boolean isGraph() {
            return from.isGraph();
        }

        @Override
        public NeuralNetwork wholeNetwork() {
            return from.wholeNetwork();
        }

        @Override
        public String summary() {
            return from.summary();
        }

        @Override
        public void check(TrainingData data) {
            from.check(data);
        }

        @Override
        public Prepared prepare(JavaSparkContext sc, TrainingData data, PrintStream console, RunOutput output)
                throws IOException {
            return from.prepare(sc, data, console, output);
        }

        @Override
        public NeuralNetwork initial() {
            return changes.isEmpty() ? checkpoint.network() : CheckpointChanges.continueIn(from.initial(), checkpoint);
        }

        @Override
        public String trains() {
            return from.trains();
        }

        @Override
        public OptimizerSpec optimizer() {
            return from.optimizer();
        }

        @Override
        public void announce(ConsoleReporter console, int classes) {
            from.announce(console, classes);
        }

        @Override
        public void announceResumption(ConsoleReporter console) {
            console.resuming(checkpoint.uri(), first());
        }

        @Override
        public EpochProgress first() {
            return checkpoint.state().next();
        }

        @Override
        public Checkpoint resumedFrom() {
            return checkpoint;
        }

        @Override
        public NeuralNetwork forSaving(NeuralNetwork trained) {
            return from.forSaving(trained);
        }

        @Override
        public boolean evaluatesTheSavedNetwork() {
            return from.evaluatesTheSavedNetwork();
        }

        @Override
        public Map<String, Object> describe() {
            return from.describe();
        }

        @Override
        public void close() throws IOException {
            from.close();
        }
    }
}
