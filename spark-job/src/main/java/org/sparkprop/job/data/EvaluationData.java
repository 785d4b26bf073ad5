package org.sparkprop.job.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A set a network is evaluated on, normalized and never augmented: which split it is, how many examples it has,
 * and its mini-batches, loaded when asked for.
 *
 * @param split     {@code val}, {@code test} or {@code train}
 * @param examples  examples in it
 * @param executors the same batches in files the executors read, or null when only the driver has them
 */
public record EvaluationData(String split, long examples, Loader batches, ExecutorBatches executors) {
    /** A set only the driver has. */
    public EvaluationData(String split, long examples, Loader batches) {
        this(split, examples, batches, null);
    }

    /** Loads the batches (reading batch files, or batching images the driver holds). */
    @FunctionalInterface
    public interface Loader {
        List<DataSet> load() throws IOException;
    }

    public List<DataSet> load() throws IOException {
        return batches.load();
    }

    /** The same set with every batch passed through {@code transform} (e.g. a frozen body), once. */
    public EvaluationData map(UnaryOperator<DataSet> transform) throws IOException {
        List<DataSet> out = new ArrayList<>();
        for (DataSet batch : load()) {
            out.add(transform.apply(batch));
        }
        List<DataSet> mapped = List.copyOf(out);
        return new EvaluationData(split, examples, () -> mapped);
    }
}
