package org.sparkprop.job.transfer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.job.data.TrainBatches;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.EpochBatchFiles;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.TrainingListener;
import org.sparkprop.model.InputShape;

/**
 * Training data for a transfer model's head in featurize-once mode: {@link #prepare} prepares the underlying data,
 * then runs the frozen body over its training set once on the executors ({@link Featurizer}) and over the per-epoch
 * evaluation set on the driver; {@link #fit} trains the head from the stored features, each epoch in a new
 * seed-determined batch order. Test figures come from the whole network on the underlying data, not from here.
 */
public final class FeaturizedData implements TrainingData {
    private final TrainingData images;
    private final TransferModel model;
    private final String dir;
    private final long seed;
    private JavaSparkContext sc;
    private Featurizer.Features features;
    private List<DataSet> evaluation;

    public FeaturizedData(TrainingData images, TransferModel model, String dir, long seed) {
        this.images = images;
        this.model = model;
        this.dir = dir;
        this.seed = seed;
    }

    /** Featurizing's figures, once prepared. */
    public Featurizer.Features features() {
        return features;
    }

    @Override
    public void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) throws IOException {
        this.sc = sc;
        images.prepare(sc, console, output);
        TrainBatches input = images.trainBatchesForExecutors();
        features = Featurizer.featurize(sc, model, input, dir);
        evaluation = featurize(images.epochEvaluationBatches());
        console.printf(Locale.ROOT, "featurized %,d training images once through the %d frozen layers on the"
                        + " executors in %.1f s (%d batch files in %s)%n", features.totalExamples(),
                model.frozenLayers(), features.seconds(), features.files().size(), dir);
    }

    /** Deletes the stored features. */
    public void deleteFeatures() throws IOException {
        if (sc != null) {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(sc.hadoopConfiguration());
            fs.delete(root, true);
        }
    }

    @Override
    public NeuralNetwork fit(SparkTrainer trainer, NeuralNetwork head, int epochs, EpochProgress start,
                             TrainingListener listener) {
        List<String> files = features.files();
        Featurizer.FeatureFileLoader loader = new Featurizer.FeatureFileLoader();
        EpochBatchFiles data = epoch -> {
            int[] order = MiniBatcher.permutation(files.size(), seed, epoch);
            List<String> shuffled = new ArrayList<>(files.size());
            List<Integer> sizes = new ArrayList<>(files.size());
            for (int k : order) {
                shuffled.add(files.get(k));
                sizes.add(features.examples().get(k));
            }
            return new EpochBatchFiles.Epoch(shuffled, sizes, loader);
        };
        return trainer.fitFiles(head, data, epochs, start, listener);
    }

    @Override
    public List<DataSet> epochEvaluationBatches() {
        return evaluation;
    }

    @Override
    public String name() {
        return images.name();
    }

    @Override
    public InputShape shape() {
        return images.shape();
    }

    @Override
    public int numClasses() {
        return images.numClasses();
    }

    @Override
    public List<String> classNames() {
        return images.classNames();
    }

    @Override
    public long trainExamples() {
        return images.trainExamples();
    }

    @Override
    public String epochEvaluationSplit() {
        return images.epochEvaluationSplit();
    }

    @Override
    public long testExamples() {
        return images.testExamples();
    }

    @Override
    public List<DataSet> testBatches() throws IOException {
        return featurize(images.testBatches());
    }

    @Override
    public List<DataSet> trainBatchesForEvaluation() throws IOException {
        return featurize(images.trainBatchesForEvaluation());
    }

    /** Batches held by the driver through the frozen body, on the driver. */
    private List<DataSet> featurize(List<DataSet> batches) {
        List<DataSet> out = new ArrayList<>(batches.size());
        for (DataSet batch : batches) {
            out.add(model.featurize(batch));
        }
        return out;
    }

    @Override
    public TrainBatches trainBatchesForExecutors() {
        return new TrainBatches.Files(features.files(), new Featurizer.FeatureFileLoader());
    }

    @Override
    public Map<String, Object> modelInput() {
        return images.modelInput();
    }
}
