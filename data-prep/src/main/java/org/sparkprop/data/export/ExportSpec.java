package org.sparkprop.data.export;

import org.sparkprop.data.SettingNames;
import org.sparkprop.data.folder.Fingerprint;
import org.sparkprop.data.folder.ImageLimits;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.SplitRatios;
import org.sparkprop.model.InputShape;

/**
 * What a pre-batched copy of an image folder is made from and how.
 *
 * @param source             the image folder's URI
 * @param target             where the copy goes (any Hadoop URI)
 * @param shape              size every image is brought to
 * @param resize             how images of another size are brought to it
 * @param ratios             train/val/test shares, used when the source is not already split into folders
 * @param batchSize          examples per batch file (the training mini-batch per worker)
 * @param seed               seeds the split and the batch composition
 * @param normalization      mode; standardization statistics come from the training part
 * @param partitions         at least this many Spark tasks decode and write (executors x cores is the usual
 *                           choice); more when the input is large, see {@code partitionBytes}
 * @param badInputThreshold  largest share of bad files accepted before the export fails
 * @param limits             largest file read and largest image decoded; larger ones are bad input
 * @param partitionBytes     most input bytes a task is planned to read, like Spark SQL's
 *                           {@code spark.sql.files.maxPartitionBytes}: large folders get more, smaller tasks, so a
 *                           failed task repeats little work and the tasks spread over every core
 * @param names              the settings of these values, as the export's messages name them
 */
public record ExportSpec(String source, String target, InputShape shape, ResizePolicy resize, SplitRatios ratios,
                         int batchSize, long seed, Normalization.Mode normalization, int partitions,
                         double badInputThreshold, ImageLimits limits, long partitionBytes, SettingNames names) {
    /**
     * Bumped whenever the layout of a copy changes, so old copies are rebuilt rather than misread. 2: the split and
     * the batches are planned on the listed files, and a bad file leaves its batch a row short.
     */
    public static final int FORMAT = 2;
    /** The default {@code partitionBytes}, Spark SQL's default {@code maxPartitionBytes}: 128 MiB. */
    public static final long DEFAULT_PARTITION_BYTES = 128L << 20;

    public ExportSpec {
        if (batchSize < 1 || partitions < 1 || partitionBytes < 1) {
            throw new IllegalArgumentException("batch size, partitions and partition bytes must be at least 1");
        }
    }

    /** A spec built by name, from {@code source} to {@code target}; see {@link Builder}. */
    public static Builder from(String source, String target) {
        return new Builder(source, target);
    }

    /** A builder holding this spec's values, to change some of them. */
    public Builder toBuilder() {
        return from(source, target).shape(shape).resize(resize).split(ratios).batchSize(batchSize).seed(seed)
                .normalization(normalization).partitions(partitions).badInputThreshold(badInputThreshold)
                .limits(limits).partitionBytes(partitionBytes).names(names);
    }

    /**
     * Every value of a spec set by a named method, so that no two numbers can trade places; the limits default to
     * {@link ImageLimits#DEFAULT} and the partition bytes to {@link #DEFAULT_PARTITION_BYTES}, every other value
     * must be set.
     */
    public static final class Builder {
        private final String source;
        private final String target;
        private InputShape shape;
        private ResizePolicy resize;
        private SplitRatios ratios;
        private Integer batchSize;
        private Long seed;
        private Normalization.Mode normalization;
        private Integer partitions;
        private Double badInputThreshold;
        private ImageLimits limits = ImageLimits.DEFAULT;
        private long partitionBytes = DEFAULT_PARTITION_BYTES;
        private SettingNames names;

        private Builder(String source, String target) {
            this.source = source;
            this.target = target;
        }

        public Builder shape(InputShape value) {
            shape = value;
            return this;
        }

        public Builder resize(ResizePolicy value) {
            resize = value;
            return this;
        }

        public Builder split(SplitRatios value) {
            ratios = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder normalization(Normalization.Mode value) {
            normalization = value;
            return this;
        }

        public Builder partitions(int value) {
            partitions = value;
            return this;
        }

        public Builder badInputThreshold(double value) {
            badInputThreshold = value;
            return this;
        }

        public Builder limits(ImageLimits value) {
            limits = value;
            return this;
        }

        public Builder partitionBytes(long value) {
            partitionBytes = value;
            return this;
        }

        public Builder names(SettingNames value) {
            names = value;
            return this;
        }

        /** @throws IllegalStateException naming the first value that was not set */
        public ExportSpec build() {
            java.util.Map<String, Object> required = new java.util.LinkedHashMap<>();
            required.put("shape", shape);
            required.put("resize", resize);
            required.put("split", ratios);
            required.put("batchSize", batchSize);
            required.put("seed", seed);
            required.put("normalization", normalization);
            required.put("partitions", partitions);
            required.put("badInputThreshold", badInputThreshold);
            required.put("names", names);
            required.forEach((name, value) -> {
                if (value == null) {
                    throw new IllegalStateException("ExportSpec." + name + " was not set");
                }
            });
            return new ExportSpec(source, target, shape, resize, ratios, batchSize, seed, normalization, partitions,
                    badInputThreshold, limits, partitionBytes, names);
        }
    }

    /**
     * How many tasks export {@code batches} batches read from {@code inputBytes} of files: at least
     * {@code partitions}, one more per {@code partitionBytes} of input, never more than there are batches. The
     * count never changes a copy's content.
     */
    public int tasks(long inputBytes, int batches) {
        long bySize = (inputBytes + partitionBytes - 1) / partitionBytes;
        return (int) Math.max(1, Math.min(batches, Math.max(partitions, bySize)));
    }

    /**
     * A digest of everything that decides a copy's content: the same recipe means the copy can be reused. The
     * listing fingerprint covers every file's path, size and modification time.
     */
    public String recipe(String listingFingerprint, boolean preSplit) {
        return new Fingerprint().add(FORMAT, source, listingFingerprint, shape, resize.id(),
                preSplit ? "folders" : ratios, batchSize, seed, normalization.id(), limits.maxPixels(),
                limits.maxBytes()).hex();
    }
}
