package org.sparkprop.data.partition;

import org.apache.spark.Partitioner;

/**
 * Places records keyed by batch number as {@link BatchPlan} does (batch {@code k} in partition
 * {@code k mod partitions}), so the partitions Spark writes differ by at most one batch.
 */
public final class BatchNumberPartitioner extends Partitioner {
    private final int partitions;

    public BatchNumberPartitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be at least 1");
        }
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return BatchPlan.partitionOf((Integer) key, partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchNumberPartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}
