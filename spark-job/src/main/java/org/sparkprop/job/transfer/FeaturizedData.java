package org.sparkprop.job.transfer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.data.EvaluationData;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.train.EpochBatchFiles;
import org.sparkprop.job.train.TrainingSource;

/**
 * What a transfer model's head trains on in featurize-once mode: {@link #prepare} prepares the underlying data,
 * then runs the frozen body over its training set once on the executors ({@link Featurizer}) and over the per-epoch
 * evaluation set on the driver; {@link #trainingSource} gives the stored features, each epoch in a new
 * seed-determined batch order. Test figures come from the whole network on the underlying data, not from here.
 */
public final class FeaturizedData {
    private final TrainingData images;
    private final TransferModel model;
    private final String dir;
    private final long seed;
    private JavaSparkContext sc;
    private Featurizer.Features features;
    private EvaluationData evaluation;

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

    public void prepare(JavaSparkContext sc, PrintStream console, RunOutput output) throws IOException {
        this.sc = sc;
        images.prepare(sc, console, output);
        features = Featurizer.featurize(sc, model, images.trainBatchesForExecutors(), dir);
        evaluation = images.epochEvaluation().map(model::featurize);
        console.printf(Locale.ROOT, "featurized %,d training images once through the %d frozen layers on the"
                        + " executors in %.1f s (%d batch files in %s)%n", features.totalExamples(),
                model.frozenLayers(), features.seconds(), features.files().size(), dir);
    }

    /** Deletes the stored features (only what featurizing wrote; other files in the folder stay). */
    public void deleteFeatures() throws IOException {
        if (sc != null) {
            Featurizer.folder(dir, sc.hadoopConfiguration()).release();
        }
    }

    /** The feature files, shuffled anew each epoch; call after {@link #prepare}. */
    public TrainingSource trainingSource() {
        Featurizer.FeatureFileLoader loader = new Featurizer.FeatureFileLoader();
        return new TrainingSource.BatchFiles(EpochBatchFiles.shuffled(features.files(), features.examples(), seed,
                epoch -> loader));
    }

    /** The per-epoch evaluation set through the frozen body; call after {@link #prepare}. */
    public EvaluationData epochEvaluation() {
        return evaluation;
    }
}
