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
import org.sparkprop.data.augment.AugmentationPipeline;
import org.sparkprop.data.export.BatchExporter;
import org.sparkprop.data.export.BatchFileLoader;
import org.sparkprop.data.export.ExportManifest;
import org.sparkprop.data.export.ExportSpec;
import org.sparkprop.data.export.PreparedDataset;
import org.sparkprop.data.folder.BadInputReport;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.split.Split;
import org.sparkprop.job.config.DataSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.EpochBatchFiles;
import org.sparkprop.job.train.TrainingSource;
import org.sparkprop.model.InputShape;

/**
 * An image folder on any Hadoop file system: listed on the driver before Spark starts (a missing root or an empty
 * class fails there), then turned into a pre-batched copy on the executors, or the matching copy reused. Training
 * sends only batch file paths to the workers, which load, augment and normalize their own batches.
 */
public final class FolderData implements TrainingData {
    private final TrainConfig config;
    private final ImageFolder.Listing listing;
    private final InputShape shape;
    private PreparedDataset prepared;

    private FolderData(TrainConfig config, ImageFolder.Listing listing) {
        this.config = config;
        this.listing = listing;
        this.shape = config.data().imageSize();
    }

    /** Lists the folder (metadata only). */
    public static FolderData list(TrainConfig config, Configuration hadoop) throws IOException {
        return new FolderData(config, ImageFolder.list(config.data().path(), DataSection.SETTING_NAMES, hadoop));
    }

    /** What the copy is made from and how, for this config on a context of {@code defaultParallelism}. */
    public static ExportSpec exportSpec(TrainConfig config, int defaultParallelism) {
        DataSection data = config.data();
        return ExportSpec.from(data.path(), data.batchesPath()).shape(data.imageSize()).resize(data.resize())
                .split(data.split()).batchSize(config.trainer().batchSize()).seed(config.trainer().seed())
                .normalization(data.normalization())
                .partitions(data.partitions() > 0 ? data.partitions() : defaultParallelism)
                .badInputThreshold(data.badInputThreshold()).limits(data.limits())
                .partitionBytes(data.partitionBytes()).names(DataSection.SETTING_NAMES).build();
    }

    /** The folder's URI, a password in it masked. */
    @Override
    public String name() {
        return TrainConfig.withoutSecrets(listing.root());
    }

    @Override
    public InputShape shape() {
        return shape;
    }

    @Override
    public List<String> classNames() {
        return listing.classes();
    }

    @Override
    public void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) throws IOException {
        console.printf(Locale.ROOT, "image folder %s: %d classes, %,d files%s%n", name(),
                listing.classes().size(), listing.fileCount(), listing.preSplit() ? " already split into "
                        + String.join(", ", listing.items().keySet().stream().map(s -> s.id() + "/").toList()) : "");
        BatchExporter.Outcome outcome = BatchExporter.prepare(sc, exportSpec(config, sc.defaultParallelism()),
                listing);
        prepared = outcome.dataset();
        ExportManifest m = prepared.manifest();
        console.printf(Locale.ROOT, "pre-batched copy %s %s (%s): %,d train / %,d val / %,d test images, %s%n",
                TrainConfig.withoutSecrets(prepared.root()), prepared.reused() ? "reused" : "built", outcome.reason(),
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

    /** Examples in the first {@code batches} batch files of {@code split}. */
    private long examples(Split split, int batches) {
        int all = prepared.has(split) ? prepared.manifest().split(split).batches() : 0;
        return batches < all ? prepared.manifest().split(split).examples(batches, prepared.manifest().batchSize())
                : prepared.examples(split);
    }

    /** The first batch files of {@code split}, as data.train-limit / data.test-limit ask. */
    private List<String> files(Split split, int limit) {
        return prepared.batchFiles(split).subList(0, batches(split, limit));
    }

    private EvaluationData evaluation(Split split, int limit) {
        return new EvaluationData(split.id(), examples(split, batches(split, limit)),
                () -> prepared.load(split, batches(split, limit)), new ExecutorBatches.Files(files(split, limit),
                BatchFileLoader.forEvaluation(prepared.normalization(), prepared.manifest().batchSize())));
    }

    @Override
    public long trainExamples() {
        return examples(Split.TRAIN, batches(Split.TRAIN, config.data().trainLimit()));
    }

    @Override
    public TrainingSource trainingSource() {
        List<String> files = files(Split.TRAIN, config.data().trainLimit());
        int batchSize = prepared.manifest().batchSize();
        ExportManifest.SplitInfo train = prepared.manifest().split(Split.TRAIN);
        List<Integer> sizes = new ArrayList<>(files.size());
        for (int k = 0; k < files.size(); k++) {
            sizes.add(train.rows(k, batchSize));
        }
        AugmentationPipeline augmentation = config.data().augmentation();
        long seed = config.trainer().seed();
        return new TrainingSource.BatchFiles(EpochBatchFiles.shuffled(files, sizes, seed,
                epoch -> prepared.trainingLoader(augmentation, seed, epoch)));
    }

    @Override
    public EvaluationData epochEvaluation() {
        return prepared.has(Split.VAL) ? evaluation(Split.VAL, 0) : test();
    }

    @Override
    public EvaluationData test() {
        return evaluation(Split.TEST, config.data().testLimit());
    }

    @Override
    public EvaluationData trainForEvaluation() {
        return evaluation(Split.TRAIN, config.data().trainLimit());
    }

    @Override
    public ExecutorBatches trainBatchesForExecutors() {
        return new ExecutorBatches.Files(files(Split.TRAIN, config.data().trainLimit()),
                BatchFileLoader.forEvaluation(prepared.normalization(), prepared.manifest().batchSize()));
    }

    @Override
    public ExecutorBatches testBatchesForExecutors() {
        return test().executors();
    }

    @Override
    public long[] classCounts() {
        long[] counts = new long[listing.classes().size()];
        listing.items().values().forEach(items -> items.forEach(item -> counts[item.label()]++));
        return counts;
    }

    @Override
    public String fingerprint() {
        return listing.fingerprint();
    }

    @Override
    public Map<String, Object> modelInput() {
        return ModelInputs.describe(prepared.manifest().imageSize(), config.data().resize().id(),
                prepared.manifest().classes(), prepared.normalization());
    }
}
