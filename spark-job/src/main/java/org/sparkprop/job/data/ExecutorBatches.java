package org.sparkprop.job.data;

import java.util.List;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One split's mini-batches, normalized and not augmented, in a form Spark executors can read: for work done once
 * over a whole split on the executors, such as running a frozen network body over the training set, or evaluating a
 * model on the test set.
 */
public sealed interface ExecutorBatches {
    /** Batches held by the driver (an IDX dataset), sent to the executors. */
    record InMemory(List<DataSet> batches) implements ExecutorBatches {
    }

    /** Batch files on a Hadoop file system (an image folder's pre-batched copy), each read by an executor. */
    record Files(List<String> paths, DataSetLoader loader) implements ExecutorBatches {
    }

    /**
     * Image files, read and decoded on the executors and batched there, as a model's stored input description says
     * (size, resize, normalization).
     *
     * @param labels    maps a listed item's label to the model's class index
     * @param classes   the model's class count
     * @param batchSize images per scored batch
     */
    record Images(List<org.sparkprop.data.folder.ImageItem> items, org.sparkprop.data.folder.ImageDecoder decoder,
                  org.sparkprop.data.normalize.Normalization normalization, int[] labels, int classes,
                  int batchSize) implements ExecutorBatches, java.io.Serializable {
        /** The same recipe without the items, for the executors (the items travel as the RDD's data). */
        public Images withoutItems() {
            return new Images(List.of(), decoder, normalization, labels, classes, batchSize);
        }
    }
}
