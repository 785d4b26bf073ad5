package org.sparkprop.job.data;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.DatasetFiles;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.data.normalize.ChannelStats;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.EpochBatches;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.TrainingListener;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.model.InputShape;

/** A built-in IDX dataset (MNIST, Fashion-MNIST) read on the driver; each round's batches are sent to the workers. */
public final class IdxData implements TrainingData {
    private static final int EVAL_BATCH = 500;

    private final LabeledImages train;
    private final LabeledImages test;
    private final DatasetFiles files;
    private final List<String> classNames;
    private final Normalization normalization;
    private final int batchSize;
    private final long seed;

    private IdxData(LabeledImages train, LabeledImages test, DatasetFiles files, List<String> classNames,
                    Normalization normalization, int batchSize, long seed) {
        this.train = train;
        this.test = test;
        this.files = files;
        this.classNames = classNames;
        this.normalization = normalization;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Fetches (when needed) and reads the configured dataset, limited as configured. */
    public static IdxData load(TrainConfig config, DatasetFetcher fetcher, PrintStream console) throws IOException {
        DatasetFetcher.Result fetched = fetcher.fetch(config.dataset(), config.dataDir());
        DatasetFiles files = fetched.files();
        if (fetched.downloaded()) {
            console.println("fetched " + files.name() + " into " + files.directory());
        }
        LabeledImages train = files.readTrain();
        LabeledImages test = files.readTest();
        List<String> classNames = KnownDataset.byId(files.name()).classNames();
        int[] classes = config.dataClasses();
        if (classes != null) {
            train = train.onlyClasses(classes);
            test = test.onlyClasses(classes);
            List<String> all = classNames;
            classNames = java.util.Arrays.stream(classes).mapToObj(all::get).toList();
        }
        if (config.trainPerClass() > 0) {
            train = train.firstPerClass(config.trainPerClass());
        }
        train = train.head(config.trainLimit());
        test = test.head(config.testLimit());
        Normalization normalization = switch (config.normalization()) {
            case SCALE -> Normalization.scale();
            case NONE -> Normalization.none();
            case STANDARDIZE -> Normalization.standardize(new ChannelStats(1).add(train.images().pixels()));
        };
        return new IdxData(train, test, files, classNames, normalization, config.batchSize(), config.seed());
    }

    /** The training images (after data.train-limit), for single-JVM comparisons. */
    public LabeledImages train() {
        return train;
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public String name() {
        return files.name();
    }

    @Override
    public InputShape shape() {
        return new InputShape(train.images().rows(), train.images().cols(), 1);
    }

    @Override
    public int numClasses() {
        return train.numClasses();
    }

    @Override
    public void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) {
    }

    @Override
    public long trainExamples() {
        return train.size();
    }

    @Override
    public String epochEvaluationSplit() {
        return "test";
    }

    @Override
    public List<DataSet> epochEvaluationBatches() {
        return testBatches();
    }

    @Override
    public long testExamples() {
        return test.size();
    }

    @Override
    public List<DataSet> testBatches() {
        return MiniBatcher.inOrder(test, EVAL_BATCH, normalization);
    }

    @Override
    public List<DataSet> trainBatchesForEvaluation() {
        return MiniBatcher.inOrder(train, EVAL_BATCH, normalization);
    }

    @Override
    public TrainBatches trainBatchesForExecutors() {
        return new TrainBatches.InMemory(MiniBatcher.inOrder(train, batchSize, normalization));
    }

    @Override
    public Map<String, Object> modelInput() {
        return ModelInputs.describe(train.images().rows() + "x" + train.images().cols() + "x1",
                classNames, normalization);
    }

    @Override
    public NeuralNetwork fit(SparkTrainer trainer, NeuralNetwork network, int epochs, EpochProgress start,
                             TrainingListener listener) {
        EpochBatches batches = epoch -> MiniBatcher.shuffled(train, batchSize, seed, epoch, normalization);
        return trainer.fit(network, batches, epochs, start, listener);
    }
}
