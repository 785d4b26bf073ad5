package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.eval.SavedModelEvaluation;
import org.sparkprop.job.output.MetricsReport;

/** {@code evaluate --model model.zip --data mnist|fashion|FOLDER [--out FILE] [--overwrite]}. */
final class EvaluateCommand implements Command {
    private final DatasetFetcher fetcher;

    EvaluateCommand(DatasetFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "evaluate a saved model.zip: accuracy, macro P/R/F1, confusion matrix, top-5 -> JSON";
    }

    @Override
    public String usage() {
        return "usage: sparkprop evaluate --model MODEL.zip --data mnist|fashion|FOLDER [--out FILE] [--overwrite]\n\n"
                + "Evaluates a model written by train on labelled images, preparing them as training did (image\n"
                + "size, resize, normalization and class names are stored in the zip):\n"
                + "  --data mnist|fashion  the dataset's 10,000 test images\n"
                + "  --data FOLDER         an image folder on any Hadoop file system (ROOT/<class>/<image>): its\n"
                + "                        test/ part when split into train/val/test, else every image\n"
                + "  --out FILE            where the figures go as JSON (default: evaluation.json next to the model);\n"
                + "                        an existing file is kept unless --overwrite\n"
                + "Writes accuracy, macro precision/recall/F1, top-5 accuracy (more than 10 classes), loss and the\n"
                + "confusion matrix, the same block as metrics.json's final.\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path model = null;
        String data = null;
        Path target = null;
        boolean overwrite = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--model" -> model = Path.of(Command.optionValue(args, ++i, "--model"));
                case "--data" -> data = Command.optionValue(args, ++i, "--data");
                case "--out" -> target = Path.of(Command.optionValue(args, ++i, "--out"));
                case "--overwrite" -> overwrite = true;
                default -> throw new UsageException("unknown argument " + args.get(i) + " for evaluate");
            }
        }
        if (model == null || data == null) {
            throw new UsageException("evaluate needs --model MODEL.zip and --data mnist|fashion|FOLDER");
        }
        if (!Files.isRegularFile(model)) {
            throw new ConfigException("Model file " + model.toAbsolutePath() + " not found. Pass the model.zip a train"
                    + " run wrote, e.g. --model runs/mnist-lenet/model.zip");
        }
        if (target == null) {
            target = model.toAbsolutePath().getParent().resolve("evaluation.json");
        }
        if (Files.exists(target) && !overwrite) {
            throw new ConfigException("Output file " + target.toAbsolutePath() + " already exists. Pass --overwrite to"
                    + " replace it, or choose another with --out FILE.");
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
