package org.sparkprop.data.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which examples form which mini-batch, and which partition writes or trains each batch. Batches are consecutive
 * runs of a seeded permutation; batch {@code k} goes to partition {@code k mod partitions}, so partitions differ by
 * at most one batch (and so by at most one batch's worth of examples).
 */
public final class BatchPlan {
    private final List<int[]> batches;
    private final int partitions;

    private BatchPlan(List<int[]> batches, int partitions) {
        this.batches = batches;
        this.partitions = partitions;
    }

    /**
     * Plans batches of {@code batchSize} over {@code ids} (shuffled by {@code seed}; the last batch may be smaller)
     * spread over {@code partitions} partitions.
     */
    public static BatchPlan of(int[] ids, int batchSize, int partitions, long seed) {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " and partitions " + partitions
                    + " must be at least 1");
        }
        int[] order = ids.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] batch = new int[to - from];
            System.arraycopy(order, from, batch, 0, batch.length);
            batches.add(batch);
        }
        return new BatchPlan(batches, partitions);
    }

    public int batchCount() {
        return batches.size();
    }

    /** Example ids of batch {@code k}, in row order. */
    public int[] batch(int k) {
        return batches.get(k);
    }

    public int partitionOf(int batch) {
        return partitionOf(batch, partitions);
    }

    /** The one placement rule: batch {@code k} to {@code k mod partitions}. */
    static int partitionOf(int batch, int partitions) {
        return Math.floorMod(batch, partitions);
    }

    /** Examples each partition holds. */
    public long[] examplesPerPartition() {
        long[] counts = new long[partitions];
        for (int k = 0; k < batches.size(); k++) {
            counts[partitionOf(k)] += batches.get(k).length;
        }
        return counts;
    }
}
