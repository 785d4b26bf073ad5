package org.sparkprop.data.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.idx.IdxImages;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.data.normalize.Normalization;

/**
 * Turns labelled images into mini-batches: features as NCHW floats (scaled to [0, 1] unless told otherwise by a
 * {@link Normalization}), labels one-hot.
 * An epoch's order is a seeded permutation, so the same (seed, epoch) always gives the same batches and every
 * epoch a different order.
 */
public final class MiniBatcher {
    private MiniBatcher() {
    }

    /** All examples in order, in batches of {@code batchSize} (the last one may be smaller). */
    public static List<DataSet> inOrder(LabeledImages data, int batchSize) {
        return inOrder(data, batchSize, Normalization.scale());
    }

    public static List<DataSet> inOrder(LabeledImages data, int batchSize, Normalization normalization) {
        return batches(data, identity(data.size()), batchSize, normalization);
    }

    /** All examples in the order of {@link #permutation(int, long, int)}, in batches of {@code batchSize}. */
    public static List<DataSet> shuffled(LabeledImages data, int batchSize, long seed, int epoch) {
        return shuffled(data, batchSize, seed, epoch, Normalization.scale());
    }

    public static List<DataSet> shuffled(LabeledImages data, int batchSize, long seed, int epoch,
                                         Normalization normalization) {
        return batches(data, permutation(data.size(), seed, epoch), batchSize, normalization);
    }

    /** A Fisher-Yates permutation of 0..n-1 drawn from (seed, epoch). */
    public static int[] permutation(int n, long seed, int epoch) {
        int[] order = identity(n);
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static List<DataSet> batches(LabeledImages data, int[] order, int batchSize, Normalization normalization) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        }
        List<DataSet> out = new ArrayList<>((order.length + batchSize - 1) / batchSize);
        for (int from = 0; from < order.length; from += batchSize) {
            out.add(toDataSet(data, order, from, Math.min(order.length, from + batchSize), normalization));
        }
        return out;
    }

    /** Examples {@code order[from..to)} as one DataSet. */
    public static DataSet toDataSet(LabeledImages data, int[] order, int from, int to, Normalization normalization) {
        IdxImages images = data.images();
        int n = to - from;
        int pixels = images.pixelsPerImage();
        float[] features = new float[n * pixels];
        float[] labels = new float[n * data.numClasses()];
        byte[] raw = images.pixels();
        for (int row = 0; row < n; row++) {
            int example = order[from + row];
            int src = example * pixels;
            int dst = row * pixels;
            for (int p = 0; p < pixels; p++) {
                features[dst + p] = raw[src + p] & 0xFF;
            }
            labels[row * data.numClasses() + data.label(example)] = 1f;
        }
        normalization.apply(features, 1); // one channel: the whole batch is one plane
        return new DataSet(
                Nd4j.create(features, new long[] {n, 1, images.rows(), images.cols()}, 'c'),
                Nd4j.create(labels, new long[] {n, data.numClasses()}, 'c'));
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
