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

    /** With the default partition bytes. */
    public ExportSpec(String source, String target, InputShape shape, ResizePolicy resize, SplitRatios ratios,
                      int batchSize, long seed, Normalization.Mode normalization, int partitions,
                      double badInputThreshold, ImageLimits limits, SettingNames names) {
        this(source, target, shape, resize, ratios, batchSize, seed, normalization, partitions, badInputThreshold,
                limits, DEFAULT_PARTITION_BYTES, names);
    }

    /** With the default {@link ImageLimits} and partition bytes. */
    public ExportSpec(String source, String target, InputShape shape, ResizePolicy resize, SplitRatios ratios,
                      int batchSize, long seed, Normalization.Mode normalization, int partitions,
                      double badInputThreshold, SettingNames names) {
        this(source, target, shape, resize, ratios, batchSize, seed, normalization, partitions, badInputThreshold,
                ImageLimits.DEFAULT, DEFAULT_PARTITION_BYTES, names);
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
