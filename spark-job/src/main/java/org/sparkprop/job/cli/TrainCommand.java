package org.sparkprop.job.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.TrainJob;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.transfer.TransferModel;
import org.sparkprop.job.transfer.TransferModels;

/** {@code train CONFIG [--set key=value ...] [--overwrite]}. */
final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a network on Spark, evaluate, checkpoint; save model.zip, metrics.json, report.html";
    }

    @Override
    public String usage() {
        return "usage: sparkprop train CONFIG [--set key=value ...] [--overwrite] [--resume | --resume-or-start]\n"
                + "       [--dry-run]\n\n"
                + "Trains the configured model on Spark, evaluates after every epoch (the validation part when\n"
                + "there is one, else the test set), tests at the end and writes model.zip and metrics.json\n"
                + "(and bad-input.tsv for an image folder) to the output folder.\n\n"
                + "  CONFIG             HOCON file with the keys below, e.g. examples/mnist-lenet.conf\n"
                + "  --set key=value    override one key (repeatable), e.g. --set epochs=1 --set output=runs/x\n"
                + "  --overwrite        replace model.zip and metrics.json already in the output folder, and start\n"
                + "                     over when checkpoint.dir holds checkpoints of an earlier run\n"
                + "  --resume           continue from the newest complete checkpoint in checkpoint.dir (same config;\n"
                + "                     a larger epochs is allowed); ends as an uninterrupted run would. With\n"
                + "                     --overwrite as well, a finished run's model.zip and metrics.json are replaced\n"
                + "  --resume-or-start  for scheduled runs: --resume when checkpoint.dir holds an unfinished run, else a\n"
                + "                     fresh run that replaces the last one's output (--overwrite)\n"
                + "  --dry-run          print the resolved config and the model summary, then exit (no data, no Spark)\n\n"
                + "Keys:\n" + TrainConfig.DEF.describe();
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path configFile = null;
        List<String> overrides = new ArrayList<>();
        boolean overwrite = false;
        boolean dryRun = false;
        boolean resume = false;
        boolean resumeOrStart = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--set")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--set needs key=value");
                }
                overrides.add(args.get(++i));
            } else if (arg.startsWith("--set=")) {
                overrides.add(arg.substring("--set=".length()));
            } else if (arg.equals("--overwrite")) {
                overwrite = true;
            } else if (arg.equals("--resume")) {
                resume = true;
            } else if (arg.equals("--resume-or-start")) {
                resumeOrStart = true;
            } else if (arg.equals("--dry-run")) {
                dryRun = true;
            } else if (arg.startsWith("-")) {
                throw new UsageException("unknown option " + arg + " for train");
            } else if (configFile == null) {
                configFile = Paths.get(arg);
            } else {
                throw new UsageException("train takes one CONFIG file, got a second: " + arg);
            }
        }
        if (configFile == null) {
            throw new UsageException("train needs a CONFIG file, e.g. examples/mnist-lenet.conf");
        }
        TrainConfig config = TrainConfig.of(ConfigLoader.read(configFile, overrides));
        if (dryRun) {
            printDryRun(config, out);
            return 0;
        }
        if (resumeOrStart) {
            if (resume) {
                throw new UsageException("--resume-or-start already resumes when it can; drop --resume");
            }
            resume = new CheckpointStore(config.checkpointDir(), config.checkpointKeep(), new Configuration())
                    .hasUnfinishedRun(config.epochs());
            overwrite = !resume;
            out.println(resume ? "resume-or-start: resuming the unfinished run in " + config.checkpointDir()
                    : "resume-or-start: no unfinished run in " + config.checkpointDir() + ", starting afresh");
        }
        new TrainJob(config, overwrite, resume, out, new DatasetFetcher()).run();
        return 0;
    }

    /** Every key with its resolved value, then the model built for the dataset's image shape. */
    private static void printDryRun(TrainConfig config, PrintStream out) throws IOException {
        out.println("resolved config:");
        config.values().forEach((key, value) -> out.println("  " + key + " = " + (value == null ? "(unset)" : value)));
        DataShape data = DataShape.of(config, new Configuration());
        if (config.transferSource() != null) {
            printTransfer(TransferModels.build(config, data.input(), data.classes()), out);
        } else {
            out.print(TrainJob.buildModel(config, data.name(), data.input(), data.classes()).summary().render());
        }
        out.println("optimizer: " + config.hyperparameters().optimizer());
        out.println("dry run: nothing trained, nothing written");
    }

    private static String layerType(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f
                ? f.getLayer().getClass().getSimpleName() : layer.getClass().getSimpleName();
    }

    /** The transfer model's layers, which are frozen, and the parameter counts. */
    private static void printTransfer(TransferModel transfer, PrintStream out) {
        out.printf(Locale.ROOT, "transfer from %s, mode %s:%n", transfer.source(), transfer.mode());
        List<String> names = transfer.layerNames();
        for (int i = 0; i < names.size(); i++) {
            org.deeplearning4j.nn.api.Layer layer = transfer.network().getLayer(i);
            out.printf(Locale.ROOT, "  %2d  %-20s %-26s %,12d  %s%n", i, names.get(i),
                    layerType(transfer.network().getLayerWiseConfigurations().getConf(i).getLayer()),
                    layer.numParams(), i < transfer.frozenLayers() ? "frozen"
                            : i == names.size() - 1 ? "new head" : "trains");
        }
        out.printf(Locale.ROOT, "parameters: %,d, frozen %,d%n", transfer.network().numParams(),
                transfer.frozenParams());
    }
}
