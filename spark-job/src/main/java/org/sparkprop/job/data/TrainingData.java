package org.sparkprop.job.data;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.TrainingSource;
import org.sparkprop.model.InputShape;

/**
 * The data of one training run: a built-in IDX dataset held on the driver ({@link IdxData}), or an image folder
 * prepared into a pre-batched copy that the executors read ({@link FolderData}). Shape and classes are known before
 * Spark starts; {@link #prepare} does what needs Spark, and the rest is read after it.
 */
public interface TrainingData {
    /** For messages and metrics: {@code mnist}, or the folder's URI. */
    String name();

    InputShape shape();

    /** Class names in label-index order. */
    List<String> classNames();

    default int numClasses() {
        return classNames().size();
    }

    /** Runs once Spark is up, before training (decoding, export); may write files next to the run's output. */
    void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) throws IOException;

    long trainExamples();

    /** What the trainer trains on: shuffled anew each epoch, augmented when configured. */
    TrainingSource trainingSource();

    /** What the per-epoch evaluation runs on: the validation part when there is one, else the test set. */
    EvaluationData epochEvaluation();

    EvaluationData test();

    /** The training set, normalized and not augmented, for a final train-accuracy figure. */
    EvaluationData trainForEvaluation();

    /** The training set, normalized and not augmented, for the executors (featurizing); call after prepare. */
    ExecutorBatches trainBatchesForExecutors();

    /** The test set as {@link #test()} loads it, for evaluation on the executors; call after prepare. */
    ExecutorBatches testBatchesForExecutors();

    /**
     * Images per class (label-index order) in the data as configured, known before Spark starts: every listed file
     * of an image folder (all its splits), the training and test images of an IDX dataset. What the data check of
     * {@code train --promote-to} compares from one run to the next.
     */
    long[] classCounts();

    /**
     * A digest that changes when the data does: an image folder's listing fingerprint (every path, size and
     * modification time), an IDX dataset's labels and limits. Recorded in the promotion history.
     */
    String fingerprint();

    /**
     * What a user of the trained model needs to prepare its input: {@code image_size}, {@code classes} (names in
     * index order) and {@code normalization} ({@code mode}, and {@code mean}/{@code std} per channel when
     * standardizing). Stored in model.zip.
     */
    Map<String, Object> modelInput();
}
