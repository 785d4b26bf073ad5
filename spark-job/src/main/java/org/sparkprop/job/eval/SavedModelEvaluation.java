package org.sparkprop.job.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.folder.ImageLimits;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.Split;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.DataSection;
import org.sparkprop.job.data.ExecutorBatches;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.model.InputShape;

/**
 * Evaluates a saved model.zip on labelled images: a built-in dataset's test set ({@code mnist}, {@code fashion}) on
 * the driver, which holds it, or an image folder on any Hadoop file system (its {@code test/} part when it is split
 * into train/val/test, else every image) on the executors, which read and decode the files (Spark local mode unless
 * run inside a Spark program; an unreadable file fails the run naming it). Images are prepared as in training,
 * from the description stored in the zip
 * (image size, class names, normalization with its statistics).
 */
public final class SavedModelEvaluation {
    private static final int BATCH = 256;

    private SavedModelEvaluation() {
    }

    /** What was evaluated: the data's name, skipped files and the figures. */
    public record Outcome(String data, int skipped, EvaluationResult result) {
    }

    public static Outcome run(Path modelFile, String data, DatasetFetcher fetcher, PrintStream console)
            throws IOException {
        JsonNode input = ModelStore.input(modelFile);
        if (input == null) {
            throw new ConfigException("Model " + modelFile + " has no " + ModelStore.INPUT_ENTRY + " entry (image size,"
                    + " classes, normalization), so its input cannot be prepared. Evaluate a model.zip written by"
                    + " sparkprop train.");
        }
        NeuralNetwork network = ModelStore.loadAny(modelFile);
        InputShape shape = InputShape.parseImage(input.get("image_size").asText());
        List<String> classes = new ArrayList<>();
        input.get("classes").forEach(c -> classes.add(c.asText()));
        Normalization normalization = normalization(input.get("normalization"));
        KnownDataset known = KnownDataset.find(data);
        if (known != null) {
            LabeledImages test = fetcher.fetch(known, null, DataSection.SETTING_NAMES).files().readTest();
            int skipped = 0;
            if (!classes.equals(known.classNames())) { // a model of some classes only (data.classes)
                int[] subset = new int[classes.size()];
                for (int k = 0; k < subset.length; k++) {
                    subset[k] = known.classNames().indexOf(classes.get(k));
                    if (subset[k] < 0) {
                        throw new ConfigException("Model " + modelFile + " predicts classes " + classes + ", which are"
                                + " not " + known.id() + "'s classes " + known.classNames() + ". Evaluate it on the"
                                + " data it was trained for.");
                    }
                }
                int all = test.size();
                test = test.onlyClasses(subset);
                skipped = all - test.size();
                console.printf(java.util.Locale.ROOT, "the model knows %d of %s's %d classes: evaluating the %d test"
                                + " images of those, %d others left out%n", classes.size(), known.id(),
                        known.classNames().size(), test.size(), skipped);
            }
            return new Outcome(known.id() + " test", skipped, DriverEvaluator.evaluate(network,
                    MiniBatcher.inOrder(test, BATCH, normalization), classes));
        }
        ResizePolicy resize = ResizePolicy.parse(input.has("resize") ? input.get("resize").asText() : "crop");
        return folder(network, data, shape, resize, classes, normalization, console);
    }

    private static Outcome folder(NeuralNetwork network, String root, InputShape shape, ResizePolicy resize,
                                  List<String> classes, Normalization normalization, PrintStream console)
            throws IOException {
        Configuration hadoop = new Configuration();
        ImageFolder.Listing listing = ImageFolder.list(root, DataSection.SETTING_NAMES, hadoop);
        List<ImageItem> items = listing.preSplit() ? listing.items().getOrDefault(Split.TEST, List.of())
                : listing.items().get(Split.TRAIN);
        if (items.isEmpty()) {
            throw new ConfigException("Image folder " + root + " has no test/ images to evaluate on. Pass a folder of"
                    + " labelled held-out images (ROOT/<class>/<image>), or one split into train/val/test.");
        }
        int[] toModel = new int[listing.classes().size()];
        List<String> unknown = new ArrayList<>();
        for (int k = 0; k < toModel.length; k++) {
            toModel[k] = classes.indexOf(listing.classes().get(k));
            if (toModel[k] < 0) {
                unknown.add(listing.classes().get(k));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("Image folder " + root + " has classes the model does not know: "
                    + String.join(", ", unknown) + ". The model's classes: " + String.join(", ", classes) + ".");
        }
        ExecutorBatches.Images images = new ExecutorBatches.Images(List.copyOf(items), new ImageDecoder(shape, resize,
                ImageLimits.DEFAULT, DataSection.SETTING_NAMES),
                normalization, toModel, classes.size(), BATCH);
        ExecutorEvaluator.Scored scored;
        if (org.apache.spark.SparkEnv.get() != null) { // inside a Spark program (or a test): its context, left running
            scored = ExecutorEvaluator.score(JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext
                    .getOrCreate()), network, images, classes);
        } else {
            try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop evaluate", "local[*]"))) {
                scored = ExecutorEvaluator.score(sc, network, images, classes);
            }
        }
        for (BadInput bad : scored.skipped()) {
            console.println("skipped " + bad.path() + ": " + bad.reason().id() + " " + bad.detail());
        }
        String part = listing.preSplit() ? root + " (test/)" : root;
        return new Outcome(part, scored.skipped().size(), scored.result());
    }

    private static Normalization normalization(JsonNode node) {
        Normalization.Mode mode = Normalization.Mode.parse(node.get("mode").asText());
        return switch (mode) {
            case SCALE -> Normalization.scale();
            case NONE -> Normalization.none();
            case STANDARDIZE -> new Normalization(mode, doubles(node.get("mean")), doubles(node.get("std")));
        };
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** One line per figure, for the console. */
    public static String describe(Outcome outcome) {
        EvaluationResult r = outcome.result();
        return String.format(Locale.ROOT, "%s: %d images%s, accuracy %.2f%%, macro precision %.4f, recall %.4f,"
                        + " F1 %.4f%s, loss %.4f", outcome.data(), r.examples(),
                outcome.skipped() > 0 ? " (" + outcome.skipped() + " unreadable skipped)" : "", 100 * r.accuracy(),
                r.evaluation().precision(), r.evaluation().recall(), r.f1(), r.top5Accuracy() == null ? ""
                        : String.format(Locale.ROOT, ", top-5 %.2f%%", 100 * r.top5Accuracy()), r.loss());
    }

}
