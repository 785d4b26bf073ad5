package org.sparkprop.job.train;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/** The training mini-batches of one epoch, in the order they are to be trained (1-based epoch). */
@FunctionalInterface
public interface EpochBatches {
    List<DataSet> forEpoch(int epoch);
}
