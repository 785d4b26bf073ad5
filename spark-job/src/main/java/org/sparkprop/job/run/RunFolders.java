package org.sparkprop.job.run;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.sparkprop.job.checkpoint.Checkpoint;
import org.sparkprop.job.checkpoint.CheckpointChanges;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.CheckpointSection;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.OutputSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.config.TrainerSection;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.output.RunLock;
import org.sparkprop.job.output.RunOutput;

/**
 * The folders a run writes, checked and taken before Spark starts, in this order (nothing is created when a check
 * fails): the checkpoint to resume from, or that no earlier run's checkpoints are in the way; with
 * {@code --promote-to}, the served folder (checked against the data, then locked); the output folder, created and
 * locked, and the checkpoint folder, locked when it lies outside it. Closing releases every lock.
 */
final class RunFolders implements AutoCloseable {
    private final TrainConfig config;
    private final RunOptions options;
    private final PrintStream console;
    private final CheckpointStore store;
    private final List<RunLock> locks = new ArrayList<>();
    private Checkpoint checkpoint;
    private RunOutput output;

    private RunFolders(TrainConfig config, RunOptions options, PrintStream console) throws IOException {
        this.config = config;
        this.options = options;
        this.console = console;
        this.store = new CheckpointStore(config.checkpoint().dir(), config.checkpoint().keep(), new Configuration());
    }

    /** Checks and takes the run's folders; an earlier run's checkpoints are deleted (only with --overwrite). */
    static RunFolders take(TrainConfig config, RunOptions options, TrainingData data, PrintStream console)
            throws IOException {
        RunFolders folders = new RunFolders(config, options, console);
        folders.checkpoint = options.resume() ? folders.resumePoint() : folders.checkNoEarlierRun();
        if (!options.resume()) {
            folders.store.checkWritable(); // a user's folder is never written into
        }
        try {
            if (options.promotion() != null) { // the data and the served model checked; the served folder locked
                folders.locks.add(options.promotion().checkBeforeSpark(data, console));
            }
            folders.output = RunOutput.prepare(config.output().dir(), options.overwrite()); // the first write
            folders.lockOutputAndCheckpoints();
            if (!options.resume()) {
                folders.store.deleteAll(); // an earlier run's checkpoints, only reached with --overwrite
            }
            return folders;
        } catch (IOException | RuntimeException e) {
            folders.close();
            throw e;
        }
    }

    CheckpointStore store() {
        return store;
    }

    /** The checkpoint the run resumes from, or null for a new run. */
    Checkpoint checkpoint() {
        return checkpoint;
    }

    RunOutput output() {
        return output;
    }

    /** Releases the locks taken. */
    @Override
    public void close() throws IOException {
        for (RunLock lock : locks) {
            lock.close();
        }
    }

    /** Locks the output folder, and the checkpoint folder when it lies outside it: one run at a time in each. */
    private void lockOutputAndCheckpoints() throws IOException {
        Configuration hadoop = new Configuration();
        locks.add(RunLock.acquire(output.dir().toAbsolutePath().normalize().toString(), OutputSection.DIR.name(),
                hadoop));
        if (!config.checkpoint().insideOutput()) {
            locks.add(RunLock.acquire(store.dir(), CheckpointSection.DIR.name(), hadoop));
        }
    }

    /** The newest checkpoint, checked against this config (except the worker count, known once Spark runs). */
    private Checkpoint resumePoint() throws IOException {
        Checkpoint checkpoint = store.newest(console::println); // a damaged newest one: the one before
        if (checkpoint == null) {
            throw new ConfigException("Nothing to resume: no complete checkpoint in " + store.dir() + " ("
                    + CheckpointSection.DIR + "). Run without --resume to start training, or point "
                    + CheckpointSection.DIR + " at the interrupted run's checkpoints.");
        }
        Map<String, String> expected = new LinkedHashMap<>(config.resultDefiningValues());
        expected.put("workers", checkpoint.state().config().get("workers"));
        CheckpointChanges.check(checkpoint, expected, options.allowedChanges());
        if (checkpoint.state().next().epoch() > config.trainer().epochs()) {
            throw new ConfigException("Nothing to resume: " + checkpoint.uri() + " is the end of epoch "
                    + (checkpoint.state().next().epoch() - 1) + " and " + TrainerSection.EPOCHS + " = "
                    + config.trainer().epochs() + ". Raise " + TrainerSection.EPOCHS + " to train on from it.");
        }
        return checkpoint;
    }

    /** A fresh run refuses checkpoints of an earlier run unless --overwrite (they are deleted once Spark may start). */
    private Checkpoint checkNoEarlierRun() throws IOException {
        List<String> old = store.list();
        if (!old.isEmpty() && !options.overwrite()) {
            throw new ConfigException("Checkpoint folder " + store.dir() + " already holds " + old.size()
                    + " checkpoint(s) of an earlier run. Pass --resume to continue that run, --overwrite to start"
                    + " over (deletes them), or set " + CheckpointSection.DIR + " elsewhere.");
        }
        return null;
    }
}
