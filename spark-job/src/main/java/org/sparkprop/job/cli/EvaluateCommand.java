package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.eval.SavedModelEvaluation;
import org.sparkprop.job.output.MetricsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate --model model.zip --data mnist|fashion|FOLDER [--out FILE] [--overwrite]}. */
@Command(name = "evaluate",
        customSynopsis = "usage: sparkprop evaluate --model MODEL.zip --data mnist|fashion|FOLDER [--out FILE] "
                + "[--overwrite]",
        header = "evaluate a saved model.zip: accuracy, macro P/R/F1, confusion matrix, top-5 -> JSON",
        description = {"", "Evaluates a model written by train on labelled images, preparing them as training did "
                + "(image size, resize, normalization and class names are stored in the zip). Writes accuracy, macro "
                + "precision/recall/F1, top-5 accuracy (more than 10 classes), loss and the confusion matrix, the "
                + "same block as metrics.json's final.", ""})
final class EvaluateCommand implements Callable<Integer> {
    private final PrintStream out;
    private final DatasetFetcher fetcher;

    @Mixin
    private HelpOption help;

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "a model.zip written by train")
    private Path model;

    @Option(names = "--data", paramLabel = "mnist|fashion|FOLDER", description = "mnist|fashion: the dataset's "
            + "10,000 test images; FOLDER: an image folder on any Hadoop file system (ROOT/<class>/<image>): its "
            + "test/ part when split into train/val/test, else every image")
    private String data;

    @Option(names = "--out", paramLabel = "FILE", description = "where the figures go as JSON (default: "
            + "evaluation.json next to the model); an existing file is kept unless --overwrite")
    private Path target;

    @Option(names = "--overwrite", description = "replace an existing --out file")
    private boolean overwrite;

    EvaluateCommand(PrintStream out, DatasetFetcher fetcher) {
        this.out = out;
        this.fetcher = fetcher;
    }

    @Override
    public Integer call() throws Exception {
        if (model == null || data == null) {
            throw new UsageException("evaluate needs --model MODEL.zip and --data mnist|fashion|FOLDER");
        }
        if (!Files.isRegularFile(model)) {
            throw new ConfigException("Model file " + model.toAbsolutePath() + " not found. Pass the model.zip a "
                    + "train run wrote, e.g. --model runs/mnist-lenet/model.zip");
        }
        if (target == null) {
            target = model.toAbsolutePath().getParent().resolve("evaluation.json");
        }
        if (Files.exists(target) && !overwrite) {
            throw new ConfigException("Output file " + target.toAbsolutePath() + " already exists. Pass --overwrite "
                    + "to replace it, or choose another with --out FILE.");
        }
        SavedModelEvaluation.Outcome outcome = SavedModelEvaluation.run(model, data, fetcher, out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("data", outcome.data());
        json.put("skipped", outcome.skipped());
        json.putAll(outcome.result().toMap());
        MetricsReport.writeJson(target, json);
        out.println(SavedModelEvaluation.describe(outcome));
        out.println("wrote " + target);
        return 0;
    }
}
