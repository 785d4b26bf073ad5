package org.sparkprop.job.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.run.RunPlan;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.job.checkpoint.CheckpointChanges;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.promote.Promotion;
import org.sparkprop.job.transfer.TransferModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code train CONFIG [--set key=value ...] [--overwrite] [--resume | --resume-or-start] [--dry-run]}. */
@Command(name = "train",
        customSynopsis = {"usage: sparkprop train CONFIG [--set key=value ...] [--overwrite] [--resume | "
                + "--resume-or-start]",
                "       [--allow-change KEY ...] [--promote-to URI [--allow-class-change]] [--dry-run]"},
        header = "train a network on Spark, evaluate, checkpoint; save model.zip, metrics.json, report.html",
        description = {"", "Trains the configured model on Spark, evaluates after every epoch (the validation part "
                + "when there is one, else the test set), tests at the end and writes model.zip and metrics.json "
                + "(and bad-input.tsv for an image folder) to the output folder. With --promote-to, the new model "
                + "then replaces the one in service there only if it is not worse on the same test data (exit "
                + "code 3 when it stays out of service).", ""})
final class TrainCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "HOCON file with the keys below, e.g. examples/mnist-lenet.conf")
    private Path configFile;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--overwrite", description = "replace model.zip and metrics.json already in the output folder, "
            + "and start over when checkpoint.dir holds checkpoints of an earlier run")
    private boolean overwrite;

    @Option(names = "--resume", description = "continue from the newest complete checkpoint in checkpoint.dir (same "
            + "config; a larger epochs is allowed); ends as an uninterrupted run would. With --overwrite as well, a "
            + "finished run's model.zip and metrics.json are replaced")
    private boolean resume;

    @Option(names = "--resume-or-start", description = "for scheduled runs: --resume when checkpoint.dir holds an "
            + "unfinished run, else a fresh run that replaces the last one's output (--overwrite)")
    private boolean resumeOrStart;

    @Option(names = "--allow-change", paramLabel = "KEY", description = "with --resume: let KEY differ from the "
            + "checkpoint's value (repeatable), e.g. a lower optimizer.learning-rate after a divergence; the run "
            + "continues from the checkpoint's parameters and optimizer state, and metrics.json records the change. "
            + "Only optimizer, regularization and transfer.pretrained-learning-rate keys, which keep the network's "
            + "shape")
    private List<String> allowChange = new ArrayList<>();

    @Option(names = "--promote-to", paramLabel = "URI", description = "after training, evaluate the new model and "
            + "the one in service at URI (any Hadoop URI) on the same test data, on the executors, and promote the "
            + "new one only if its promote.metric is at least promote.min-delta better (the first run always "
            + "promotes). Exit code 3: trained, not promoted. Before Spark starts, the data's classes are checked "
            + "against the last run's (data.max-class-shift). URI keeps model-RUNID.zip files, a current pointer "
            + "and history.jsonl; see promote --help")
    private String promoteTo;

    @Option(names = "--allow-class-change", description = "with --promote-to: promote a model whose classes or input "
            + "size differ from the served model's (no comparison is possible), and let the class set differ from "
            + "the last run's")
    private boolean allowClassChange;

    @Option(names = "--dry-run", description = "print the resolved config and the model summary, then exit: nothing "
            + "trained, nothing written, no Spark (an image folder is listed for its class count)")
    private boolean dryRun;

    TrainCommand(PrintStream out) {
        this.out = out;
    }

    /** The keys, section by section, below the options in {@code train --help}. */
    static String keysHelp() {
        return "%nKeys, by section:%n" + TrainConfig.DEF.describe().replace("%", "%%");
    }

    @Override
    public Integer call() throws Exception {
        if (configFile == null) {
            throw new UsageException("train needs a CONFIG file, e.g. examples/mnist-lenet.conf");
        }
        TrainConfig train = TrainConfig.of(config.raw(configFile));
        if (dryRun) {
            printDryRun(train, out);
            return 0;
        }
        if (!allowChange.isEmpty()) {
            if (!resume && !resumeOrStart) {
                throw new UsageException("--allow-change only applies when resuming; add --resume");
            }
            for (String key : allowChange) {
                if (!CheckpointChanges.ALLOWED.contains(key)) {
                    throw new UsageException("--allow-change " + key + ": only keys that keep the network's shape"
                            + " may change on resume: " + String.join(", ", new TreeSet<>(CheckpointChanges.ALLOWED)));
                }
            }
        }
        if (resumeOrStart) {
            if (resume) {
                throw new UsageException("--resume-or-start already resumes when it can; drop --resume");
            }
            resume = new CheckpointStore(train.checkpoint().dir(), train.checkpoint().keep(), new Configuration())
                    .hasUnfinishedRun(train.trainer().epochs(), out::println);
            overwrite = !resume;
            out.println(resume ? "resume-or-start: resuming the unfinished run in " + train.checkpoint().dir()
                    : "resume-or-start: no unfinished run in " + train.checkpoint().dir() + ", starting afresh");
        }
        if (allowClassChange && promoteTo == null) {
            throw new UsageException("--allow-class-change only applies with --promote-to URI");
        }
        if (promoteTo != null) {
            train.checkApart(Promotion.OPTION, promoteTo);
        }
        Promotion promotion = promoteTo == null ? null
                : new Promotion(promoteTo, allowClassChange, train.promote(), new Configuration());
        new TrainJob(train, RunOptions.NEW_RUN.overwriting(overwrite).resuming(resume)
                .allowing(Set.copyOf(allowChange)).promotingTo(promotion), out, new DatasetFetcher()).run();
        return promotion == null || promotion.outcome().promoted() ? ExitCodes.OK : ExitCodes.NOT_PROMOTED;
    }

    /** Every key with its resolved value, then the model built for the dataset's image shape. */
    private static void printDryRun(TrainConfig config, PrintStream out) throws IOException {
        out.println("resolved config:");
        config.values().forEach((key, value) -> out.println("  " + key + " = " + (value == null ? "(unset)" : value)));
        RunPlan plan = RunPlan.of(config, DataSource.of(config).shape(new Configuration()));
        out.print(plan.start().summary());
        out.println("optimizer: " + config.optimizer().hyperparameters().optimizer());
        out.println("dry run: nothing trained, nothing written");
    }

}
