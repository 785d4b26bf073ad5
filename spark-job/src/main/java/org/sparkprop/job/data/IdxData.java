package org.sparkprop.job.data;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.DatasetFiles;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.data.normalize.ChannelStats;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.job.config.DataSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.TrainingSource;
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
        DatasetFetcher.Result fetched = fetcher.fetch(config.data().dataset(), config.data().dir(),
                DataSection.SETTING_NAMES);
        DatasetFiles files = fetched.files();
        if (fetched.downloaded()) {
            console.println("fetched " + files.name() + " into " + files.directory());
        }
        LabeledImages train = files.readTrain();
        LabeledImages test = files.readTest();
        List<String> classNames = KnownDataset.byId(files.name()).classNames();
        int[] classes = config.data().classes();
        if (classes != null) {
            train = train.onlyClasses(classes);
            test = test.onlyClasses(classes);
            List<String> all = classNames;
            classNames = java.util.Arrays.stream(classes).mapToObj(all::get).toList();
        }
        if (config.data().trainPerClass() > 0) {
            train = train.firstPerClass(config.data().trainPerClass());
        }
        train = train.head(config.data().trainLimit());
        test = test.head(config.data().testLimit());
        Normalization normalization = switch (config.data().normalization()) {
            case SCALE -> Normalization.scale();
            case NONE -> Normalization.none();
            case STANDARDIZE -> Normalization.standardize(new ChannelStats(1).add(train.images().pixels()));
        };
        return new IdxData(train, test, files, classNames, normalization, config.trainer().batchSize(),
                config.trainer().seed());
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
    public void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) {
    }

    @Override
    public long trainExamples() {
        return train.size();
    }

    @Override
    public TrainingSource trainingSource() {
        return new TrainingSource.InMemory(epoch -> MiniBatcher.shuffled(train, batchSize, seed, epoch,
                normalization));
    }

    @Override
    public EvaluationData epochEvaluation() {
        return test();
    }

    @Override
    public EvaluationData test() {
        return new EvaluationData("test", test.size(), () -> MiniBatcher.inOrder(test, EVAL_BATCH, normalization));
    }

    @Override
    public EvaluationData trainForEvaluation() {
        return new EvaluationData("train", train.size(), () -> MiniBatcher.inOrder(train, EVAL_BATCH,
                normalization));
    }

    @Override
    public ExecutorBatches trainBatchesForExecutors() {
        return new ExecutorBatches.InMemory(MiniBatcher.inOrder(train, batchSize, normalization));
    }

    @Override
    public ExecutorBatches testBatchesForExecutors() {
        return new ExecutorBatches.InMemory(MiniBatcher.inOrder(test, EVAL_BATCH, normalization));
    }

    @Override
    public long[] classCounts() {
        long[] counts = new long[classNames.size()];
        for (LabeledImages part : List.of(train, test)) {
            for (int i = 0; i < part.size(); i++) {
                counts[part.label(i)]++;
            }
        }
        return counts;
    }

    /** SHA-256 of the dataset's name, the image shape and every training and test label, in order. */
    @Override
    public String fingerprint() {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update((files.name() + " " + shape() + " " + train.size() + " " + test.size())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update(train.labels());
            digest.update(test.labels());
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, Object> modelInput() {
        return ModelInputs.describe(train.images().rows() + "x" + train.images().cols() + "x1",
                classNames, normalization);
    }
}
