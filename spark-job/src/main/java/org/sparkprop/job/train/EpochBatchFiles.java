package org.sparkprop.job.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.sparkprop.data.batch.MiniBatcher;

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

    /**
     * Every epoch the same files in a new order, {@link MiniBatcher#permutation} of (seed, epoch): the same run
     * always sees the same order, and a resumed run the order it was interrupted in.
     *
     * @param examples examples in each of {@code files}, same order
     * @param loader   the loader of an epoch (1-based)
     */
    static EpochBatchFiles shuffled(List<String> files, List<Integer> examples, long seed,
                                    IntFunction<DataSetLoader> loader) {
        List<String> allFiles = List.copyOf(files);
        List<Integer> allExamples = List.copyOf(examples);
        return epoch -> {
            int[] order = MiniBatcher.permutation(allFiles.size(), seed, epoch);
            List<String> shuffled = new ArrayList<>(order.length);
            List<Integer> sizes = new ArrayList<>(order.length);
            for (int k : order) {
                shuffled.add(allFiles.get(k));
                sizes.add(allExamples.get(k));
            }
            return new Epoch(shuffled, sizes, loader.apply(epoch));
        };
    }
}
