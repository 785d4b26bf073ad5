package org.sparkprop.job.eval;

import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.job.data.EvaluationData;

/**
 * Evaluates networks on one data part, where the part lives: an image folder's pre-batched split on the executors
 * ({@link ExecutorEvaluator}, the driver never holds it), batches only the driver has (an IDX dataset, features
 * computed on the driver) on the driver, loaded once.
 */
public final class SplitEvaluator {
    @FunctionalInterface
    private interface Run {
        EvaluationResult evaluate(NeuralNetwork network) throws IOException;
    }

    private final String split;
    private final boolean onExecutors;
    private final Run run;

    private SplitEvaluator(String split, boolean onExecutors, Run run) {
        this.split = split;
        this.onExecutors = onExecutors;
        this.run = run;
    }

    /** On the executors when {@code sc} is given and the part is in files they read, else on the driver. */
    public static SplitEvaluator of(JavaSparkContext sc, EvaluationData data, List<String> classes)
            throws IOException {
        if (sc != null && data.executors() != null) {
            return new SplitEvaluator(data.split(), true, network -> ExecutorEvaluator.evaluate(sc, network,
                    data.executors(), classes));
        }
        List<DataSet> batches = data.load();
        return new SplitEvaluator(data.split(), false, network -> DriverEvaluator.evaluate(network, batches,
                classes));
    }

    /** {@code val}, {@code test} or {@code train}. */
    public String split() {
        return split;
    }

    public boolean onExecutors() {
        return onExecutors;
    }

    public EvaluationResult evaluate(NeuralNetwork network) throws IOException {
        return run.evaluate(network);
    }
}
