package org.sparkprop.job.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.sparkprop.job.config.TrainerSection;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.eval.EvaluationResult;
import org.sparkprop.job.output.Clock;
import org.sparkprop.job.output.ProgressBar;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.EpochStats;
import org.sparkprop.job.transfer.TransferModel;

/**
 * What a training run tells the person watching it: one line when it starts, the progress bar while an epoch runs
 * (on a terminal only), one line per epoch, and the final figures. Only prints; decides nothing.
 */
public final class ConsoleReporter {
    private final PrintStream console;
    private final ProgressBar bar;

    public ConsoleReporter(PrintStream console) {
        this.console = console;
        this.bar = ProgressBar.forConsole(console);
    }

    /** For lines of other parts of the run (data preparation, featurizing). */
    public PrintStream console() {
        return console;
    }

    /** @param pretrainedLearningRate of the pretrained layers that train, or null when none has its own */
    public void transfer(TransferModel t, long params, int classes, Double pretrainedLearningRate) {
        console.printf(Locale.ROOT, "transfer from %s: %s, %d of %d layers frozen (%,d of %,d params), new %d-class"
                        + " head%s%n", t.source(), t.mode().id(), t.frozenLayers(), t.network().getnLayers(),
                t.frozenParams(), params, classes, pretrainedLearningRate != null ? String.format(Locale.ROOT,
                        ", pretrained layers at learning rate %s", pretrainedLearningRate) : "");
    }

    public void warmStart(TransferModel t, long params, int classes, double learningRate) {
        console.printf(Locale.ROOT, "warm start from %s: its %d-class head kept, all %d layers train (%,d params)"
                + " at learning rate %s%n", t.source(), classes, t.network().getnLayers(), params, learningRate);
    }

    /**
     * @param what      what trains: the model's name, the transfer model, or its head
     * @param optimizer the optimizer of the layers that train
     */
    public void training(String what, long params, Object optimizer, TrainingData data, TrainerSection trainer,
                         int workers, String master) {
        console.printf(Locale.ROOT, "training %s (%,d params, %s) on %s: %d train / %d test images, %d workers x"
                        + " batch %d, %s, %d epochs (Spark %s)%n", what, params, optimizer, data.name(),
                data.trainExamples(), data.test().examples(), workers, trainer.batchSize(),
                trainer.method().describe(trainer.averagingFrequency()), trainer.epochs(), master);
    }

    public void earlyStoppingOnTheTestSet() {
        console.println("warning: early stopping picks the epoch on the test set (this data has no validation"
                + " part), so the final test figure is optimistic. Train from an image folder with a val share"
                + " in data.split for an unbiased one.");
    }

    public void resuming(String uri, EpochProgress start) {
        console.printf(Locale.ROOT, "resuming from %s: epoch %d, %d batches of it done, iteration %d%n", uri,
                start.epoch(), start.batchesDone(), start.iteration());
    }

    /** Redraws the progress bar after an averaging round. */
    public void round(EpochProgress progress, int epochs) {
        double rate = progress.imagesPerSecond();
        double left = rate > 0 ? (progress.batchesInEpoch() - progress.batchesDone())
                * (double) progress.examples() / Math.max(1, progress.batchesDone()) / rate : 0;
        bar.update(progress.epoch(), epochs, progress.batchesDone(), progress.batchesInEpoch(), rate, left);
    }

    /**
     * @param split    the part the epoch was evaluated on
     * @param stopNote why training stops after it, or null
     */
    public void epoch(EpochStats stats, int epochs, String split, EvaluationResult evaluation, double elapsed,
                      double secondsLeft, String stopNote) {
        bar.clear();
        console.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  %s accuracy %.2f%%  %s loss %.4f  %.0f images/s"
                        + "  elapsed %s  ETA %s%s%n", stats.epoch(), epochs, stats.meanLoss(), split,
                100 * evaluation.accuracy(), split, evaluation.loss(), stats.imagesPerSecond(),
                Clock.format(elapsed), Clock.format(secondsLeft), stopNote == null ? "" : "  (" + stopNote + ")");
    }

    /** Clears the progress bar once training has ended (or failed). */
    public void trainingEnded() {
        bar.clear();
    }

    public void keptEpoch(int epoch, String metric, double value) {
        console.printf(Locale.ROOT, "early stopping kept epoch %d (%s %.4f)%n", epoch, metric, value);
    }

    public void finalTrainAccuracy(double accuracy, long examples) {
        console.printf(Locale.ROOT, "final train accuracy %.2f%% on %d images%n", 100 * accuracy, examples);
    }

    public void finalTest(EvaluationResult test, double elapsed, List<String> written) {
        console.printf(Locale.ROOT, "final test accuracy %.2f%% (macro precision %.4f, recall %.4f, F1 %.4f%s) in %s;"
                        + " wrote %s%n", 100 * test.accuracy(), test.evaluation().precision(),
                test.evaluation().recall(), test.f1(), test.top5Accuracy() == null ? ""
                        : String.format(Locale.ROOT, ", top-5 %.2f%%", 100 * test.top5Accuracy()),
                Clock.format(elapsed), String.join(", ", written));
    }
}
