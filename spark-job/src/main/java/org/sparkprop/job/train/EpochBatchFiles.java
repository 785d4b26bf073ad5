package org.sparkprop.job.train;

import java.util.List;
import org.deeplearning4j.core.loader.DataSetLoader;

/**
 * The training mini-batches of one epoch as files (a pre-batched copy): the workers load them themselves, so only
 * paths leave the driver.
 */
@FunctionalInterface
public interface EpochBatchFiles {
    /**
     * @param files    batch files in training order
     * @param examples examples in each file, same order
     * @param loader   how a worker turns a file into a mini-batch this epoch (augmentation, normalization)
     */
    record Epoch(List<String> files, List<Integer> examples, DataSetLoader loader) {
    }

    /** The batch files of {@code epoch} (1-based). */
    Epoch forEpoch(int epoch);
}
