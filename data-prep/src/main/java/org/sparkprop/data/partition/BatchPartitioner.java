package org.sparkprop.data.partition;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Spreads mini-batches over the executors: {@code partitions} contiguous slices whose sizes differ by at most one
 * batch, so every worker gets the same amount of work in a parameter-averaging round.
 */
public final class BatchPartitioner {
    private BatchPartitioner() {
    }

    public static JavaRDD<DataSet> spread(JavaSparkContext sc, List<DataSet> batches, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be at least 1");
        }
        return sc.parallelize(batches, Math.min(partitions, Math.max(1, batches.size())));
    }
}
