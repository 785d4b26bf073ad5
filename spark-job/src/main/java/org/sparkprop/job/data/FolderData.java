package org.sparkprop.job.data;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.augment.AugmentationPipeline;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.export.BatchExporter;
import org.sparkprop.data.export.BatchFileLoader;
import org.sparkprop.data.export.ExportManifest;
import org.sparkprop.data.export.ExportSpec;
import org.sparkprop.data.export.PreparedDataset;
import org.sparkprop.data.folder.BadInputReport;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageShape;
import org.sparkprop.data.split.Split;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.EpochBatchFiles;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.TrainingListener;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.model.InputShape;

/**
 * An image folder on any Hadoop file system: listed on the driver before Spark starts (a missing root or an empty
 * class fails there), then turned into a pre-batched copy on the executors, or the matching copy reused. Training
 * sends only batch file paths to the workers, which load, augment and normalize their own batches.
 */
public final class FolderData implements TrainingData {
    private final TrainConfig config;
    private final ImageFolder.Listing listing;
    private final ImageShape shape;
    private PreparedDataset prepared;

    private FolderData(TrainConfig config, ImageFolder.Listing listing) {
        this.config = config;
        this.listing = listing;
        this.shape = config.imageSize();
    }

    /** Lists the folder (metadata only). */
    public static FolderData list(TrainConfig config, Configuration hadoop) throws IOException {
        return new FolderData(config, ImageFolder.list(config.dataPath(), hadoop));
    }

    /** What the copy is made from and how, for this config on a context of {@code defaultParallelism}. */
    public static ExportSpec exportSpec(TrainConfig config, int defaultParallelism) {
        return new ExportSpec(config.dataPath(), config.batchesPath(), config.imageSize(), config.resize(),
                config.split(), config.batchSize(), config.seed(), config.normalization(),
                config.partitions() > 0 ? config.partitions() : defaultParallelism, config.badInputThreshold());
    }

    @Override
    public String name() {
        return listing.root();
    }

    @Override
    public InputShape shape() {
        return new InputShape(shape.height(), shape.width(), shape.channels());
    }

    @Override
    public List<String> classNames() {
        return listing.classes();
    }

    @Override
    public int numClasses() {
        return listing.classes().size();
    }

    @Override
    public void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) throws IOException {
        console.printf(Locale.ROOT, "image folder %s: %d classes, %,d files%s%n", listing.root(),
                listing.classes().size(), listing.fileCount(), listing.preSplit() ? " already split into "
                        + String.join(", ", listing.items().keySet().stream().map(s -> s.id() + "/").toList()) : "");
        BatchExporter.Outcome outcome = BatchExporter.prepare(sc, exportSpec(config, sc.defaultParallelism()),
                listing);
        prepared = outcome.dataset();
        ExportManifest m = prepared.manifest();
        console.printf(Locale.ROOT, "pre-batched copy %s %s (%s): %,d train / %,d val / %,d test images, %s%n",
                prepared.root(), prepared.reused() ? "reused" : "built", outcome.reason(),
                prepared.examples(Split.TRAIN), prepared.examples(Split.VAL), prepared.examples(Split.TEST),
                prepared.normalization());
        console.printf(Locale.ROOT, "bad input: %,d of %,d files skipped%s%n", m.badInput().skipped(),
                m.badInput().examined(), m.badInput().skipped() > 0 ? " " + m.badInput().byReason()
                        + ", listed in " + output.dir().resolve(BadInputReport.FILE_NAME) : "");
        copyReport(sc.hadoopConfiguration(), output);
    }

    /** Puts the copy's bad-input report and labels file next to the run's other output. */
    private void copyReport(Configuration hadoop, RunOutput output) throws IOException {
        for (String name : List.of(BadInputReport.FILE_NAME, BatchExporter.LABELS_FILE)) {
            Path file = new Path(prepared.root(), name);
            FileSystem fs = file.getFileSystem(hadoop);
            if (fs.exists(file)) {
                Path target = new Path(output.dir().toAbsolutePath().toUri());
                FileUtil.copy(fs, file, target.getFileSystem(hadoop), new Path(target, name), false, true, hadoop);
            }
        }
    }

    public PreparedDataset prepared() {
        return prepared;
    }

    /** Batches covering the first {@code limit} examples (all when 0), as data.train-limit/test-limit ask. */
    private int batches(Split split, int limit) {
        int all = prepared.has(split) ? prepared.manifest().split(split).batches() : 0;
        int batchSize = prepared.manifest().batchSize();
        return limit <= 0 ? all : Math.min(all, (limit + batchSize - 1) / batchSize);
    }

    /** Examples in the first {@code batches} batch files of {@code split} (only the last file may be short). */
    private long examples(Split split, int batches) {
        int all = prepared.has(split) ? prepared.manifest().split(split).batches() : 0;
        return batches < all ? (long) batches * prepared.manifest().batchSize() : prepared.examples(split);
    }

    @Override
    public long trainExamples() {
        return examples(Split.TRAIN, batches(Split.TRAIN, config.trainLimit()));
    }

    @Override
    public String epochEvaluationSplit() {
        return prepared.has(Split.VAL) ? "val" : "test";
    }

    @Override
    public List<DataSet> epochEvaluationBatches() throws IOException {
        return prepared.has(Split.VAL) ? prepared.load(Split.VAL) : testBatches();
    }

    @Override
    public long testExamples() {
        return examples(Split.TEST, batches(Split.TEST, config.testLimit()));
    }

    @Override
    public List<DataSet> testBatches() throws IOException {
        return prepared.load(Split.TEST, batches(Split.TEST, config.testLimit()));
    }

    @Override
    public List<DataSet> trainBatchesForEvaluation() throws IOException {
        return prepared.load(Split.TRAIN, batches(Split.TRAIN, config.trainLimit()));
    }

    @Override
    public TrainBatches trainBatchesForExecutors() {
        List<String> files = prepared.batchFiles(Split.TRAIN).subList(0, batches(Split.TRAIN, config.trainLimit()));
        return new TrainBatches.Files(files, BatchFileLoader.forEvaluation(prepared.normalization(),
                prepared.manifest().batchSize()));
    }

    @Override
    public Map<String, Object> modelInput() {
        return ModelInputs.describe(prepared.manifest().imageSize(), config.resize().id(),
                prepared.manifest().classes(), prepared.normalization());
    }

    @Override
    public NeuralNetwork fit(SparkTrainer trainer, NeuralNetwork network, int epochs, EpochProgress start,
                             TrainingListener listener) {
        List<String> files = prepared.batchFiles(Split.TRAIN).subList(0, batches(Split.TRAIN, config.trainLimit()));
        int batchSize = prepared.manifest().batchSize();
        long examples = trainExamples();
        AugmentationPipeline augmentation = config.augmentation();
        EpochBatchFiles data = epoch -> {
            int[] order = MiniBatcher.permutation(files.size(), config.seed(), epoch);
            List<String> shuffled = new ArrayList<>(files.size());
            List<Integer> sizes = new ArrayList<>(files.size());
            for (int k : order) {
                shuffled.add(files.get(k));
                sizes.add(k < files.size() - 1 ? batchSize : (int) (examples - (long) batchSize * (files.size() - 1)));
            }
            return new EpochBatchFiles.Epoch(shuffled, sizes,
                    prepared.trainingLoader(augmentation, config.seed(), epoch));
        };
        return trainer.fitFiles(network, data, epochs, start, listener);
    }
}
