package org.sparkprop.job.train;

import java.io.Serializable;

/**
 * One vector length's sync times of the allreduce trainer's collective ({@link SparkTrainer#timeSyncs}).
 *
 * @param floats  the vector's length
 * @param seconds rank 0's seconds for each repeat, in order
 */
public record SyncTiming(long floats, double[] seconds) implements Serializable {
}
