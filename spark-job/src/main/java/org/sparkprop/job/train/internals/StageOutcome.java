package org.sparkprop.job.train.internals;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Internal: what rank 0 hands the driver at the end of a barrier stage: the averaged parameters and optimizer state
 * (null when not kept), each round's loss, and where its time went. Plain class (Spark's Kryo and records).
 */
final class StageOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    INDArray params;
    INDArray updaterState;
    double[] losses;
    /** Per rank: its host and its GPU placement ({@link GpuPlacement#bind}). */
    String[] placements;
    /** Nanoseconds rank 0 spent building its replica, training, waiting for batches, and in syncs. */
    long setupNanos;
    /** Of the setup: getting the rank's share (broadcast fetch, deserialization), joining the ring. */
    long shareNanos;
    long joinNanos;
    long fitNanos;
    long dataNanos;
    long syncNanos;
    int syncs;

    StageOutcome() {
    }
}
