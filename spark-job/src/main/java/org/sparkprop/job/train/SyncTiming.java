package org.sparkprop.job.train;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One vector length's sync times of the allreduce trainer's collective ({@link SparkTrainer#timeSyncs}).
 *
 * @param floats  the vector's length
 * @param seconds rank 0's seconds for each repeat, in order
 */
public record SyncTiming(long floats, double[] seconds) implements Serializable {
    public double median() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
