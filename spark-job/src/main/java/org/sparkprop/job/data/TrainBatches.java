package org.sparkprop.job.data;

import java.util.List;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training set's mini-batches, normalized and not augmented, in a form Spark executors can read: for work done
 * once over the whole training set on the executors, such as running a frozen network body over it.
 */
public sealed interface TrainBatches {
    /** Batches held by the driver (an IDX dataset), sent to the executors. */
    record InMemory(List<DataSet> batches) implements TrainBatches {
    }

    /** Batch files on a Hadoop file system (an image folder's pre-batched copy), each read by an executor. */
    record Files(List<String> paths, DataSetLoader loader) implements TrainBatches {
    }
}
