package org.sparkprop.data.export;

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
 * @param partitions         Spark partitions for decoding and writing (executors x cores is the usual choice)
 * @param badInputThreshold  largest share of bad files accepted before the export fails
 * @param limits             largest file read and largest image decoded; larger ones are bad input
 */
public record ExportSpec(String source, String target, InputShape shape, ResizePolicy resize, SplitRatios ratios,
                         int batchSize, long seed, Normalization.Mode normalization, int partitions,
                         double badInputThreshold, ImageLimits limits) {
    /** Bumped whenever the layout of a copy changes, so old copies are rebuilt rather than misread. */
    public static final int FORMAT = 1;

    public ExportSpec {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("batch size and partitions must be at least 1");
        }
    }

    /** With the default {@link ImageLimits}. */
    public ExportSpec(String source, String target, InputShape shape, ResizePolicy resize, SplitRatios ratios,
                      int batchSize, long seed, Normalization.Mode normalization, int partitions,
                      double badInputThreshold) {
        this(source, target, shape, resize, ratios, batchSize, seed, normalization, partitions, badInputThreshold,
                ImageLimits.DEFAULT);
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
