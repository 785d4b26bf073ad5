package org.sparkprop.job.data;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.TrainingListener;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.model.InputShape;

/**
 * The data of one training run: a built-in IDX dataset held on the driver ({@link IdxData}), or an image folder
 * prepared into a pre-batched copy that the executors read ({@link FolderData}). Shape and classes are known before
 * Spark starts; {@link #prepare} does what needs Spark.
 */
public interface TrainingData {
    /** For messages and metrics: {@code mnist}, or the folder's URI. */
    String name();

    InputShape shape();

    int numClasses();

    /** Class names in label-index order. */
    List<String> classNames();

    /** Runs once Spark is up, before training (decoding, export); may write files next to the run's output. */
    void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) throws IOException;

    long trainExamples();

    /** What the per-epoch evaluation runs on: {@code val} when there is a validation part, else {@code test}. */
    String epochEvaluationSplit();

    List<DataSet> epochEvaluationBatches() throws IOException;

    long testExamples();

    List<DataSet> testBatches() throws IOException;

    /** The training set, normalized and not augmented, for a final train-accuracy figure. */
    List<DataSet> trainBatchesForEvaluation() throws IOException;

    /** The training set, normalized and not augmented, for the executors (featurizing); call after prepare. */
    TrainBatches trainBatchesForExecutors() throws IOException;

    /**
     * What a user of the trained model needs to prepare its input: {@code image_size}, {@code classes} (names in
     * index order) and {@code normalization} ({@code mode}, and {@code mean}/{@code std} per channel when
     * standardizing). Stored in model.zip.
     */
    Map<String, Object> modelInput();

    /**
     * Trains {@code network} (fresh, or restored from a checkpoint) on this data from {@code start} through epoch
     * {@code epochs}.
     */
    NeuralNetwork fit(SparkTrainer trainer, NeuralNetwork network, int epochs, EpochProgress start,
                      TrainingListener listener);
}
