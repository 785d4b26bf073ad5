package org.sparkprop.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.job.run.RunPlan;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.train.TrainingDivergedException;
import org.sparkprop.model.InputShape;

/**
 * Checkpoints, exact resume, refusal of incompatible resumes, early stopping, the divergence guard, and the
 * exactness and determinism of the whole train path (config -> TrainJob -> model.zip) on a slice of real MNIST.
 */
class CheckpointResumeTest extends LocalSparkTestBase {
    @TempDir
    Path dir;

    @BeforeAll
    static void mnist() throws Exception {
        TestData.requireMnist();
    }

    private static TrainConfig config(Path out, String... overrides) {
        return TestConfig.quickStart(out).set("model.name=seed-mlp", "epochs=2", "data.train-limit=640",
                "data.test-limit=200", "batch-size=16", "averaging-frequency=2", "spark.workers=2", "report=false")
                .set(overrides).build();
    }

    private String train(TrainConfig config, boolean overwrite, boolean resume) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new TrainJob(config, RunOptions.NEW_RUN.overwriting(overwrite).resuming(resume),
                new PrintStream(console, true, StandardCharsets.UTF_8),
                new DatasetFetcher()).run(sc());
        return console.toString(StandardCharsets.UTF_8);
    }

    private static MultiLayerNetwork model(Path out) throws Exception {
        return ModelStore.load(out.resolve("model.zip"));
    }

    @Test
    void resumingFromAMidEpochCheckpointEndsWithExactlyTheUninterruptedParameters() throws Exception {
        Path whole = dir.resolve("whole");
        train(config(whole, "spark.trainer=averaging"), false, false);

        Path cut = dir.resolve("cut");

        Resumed resumed = cutInEpoch2AndResume(cut, "spark.trainer=averaging");

        assertTrue(resumed.printed().contains("resuming from " + resumed.from()
                + ": epoch 2, 8 batches of it done, iteration 24"), resumed.printed());
        assertEquals(model(whole).params(), model(cut).params());
        assertEquals(model(whole).getUpdater().getStateViewArray(), model(cut).getUpdater().getStateViewArray());
        JsonNode a = new ObjectMapper().readTree(whole.resolve("metrics.json").toFile());
        JsonNode b = new ObjectMapper().readTree(cut.resolve("metrics.json").toFile());
        assertEquals(a.get("final").get("accuracy"), b.get("final").get("accuracy"));
        assertEquals(2, b.get("epochs").size(), "epoch 1's figures come from the checkpoint");
        assertEquals(a.get("epochs").get(1).get("loss"), b.get("epochs").get(1).get("loss"));
    }

    @Test
    void theAllreduceTrainerResumesExactlyFromAMidEpochCheckpointAndComputesTheAveragingTrainersParameters()
            throws Exception {
        // stages of one round each (the stage ends after the first round past its time): a checkpoint after every one
        String[] allreduce = {"spark.trainer=allreduce", "spark.allreduce.stage-seconds=0.000001"};
        Path averaging = dir.resolve("averaging");
        train(config(averaging, "spark.trainer=averaging"), false, false);
        Path whole = dir.resolve("whole");
        train(config(whole, allreduce), false, false);
        Path cut = dir.resolve("cut");

        Resumed resumed = cutInEpoch2AndResume(cut, allreduce);

        assertTrue(resumed.printed().contains("resuming from " + resumed.from()
                + ": epoch 2, 8 batches of it done, iteration 24"), resumed.printed());
        assertEquals(model(whole).params(), model(cut).params());
        assertEquals(model(whole).getUpdater().getStateViewArray(), model(cut).getUpdater().getStateViewArray());
        double difference = model(whole).params().sub(model(averaging).params()).norm2Number().doubleValue();
        assertTrue(difference < 1e-5 * model(averaging).params().norm2Number().doubleValue(),
                "allreduce and averaging differ by " + difference);
    }

    /** The checkpoint a cut run resumed from, and what the resumed run printed. */
    private record Resumed(String from, String printed) {
    }

    /**
     * Trains {@code cut} with a checkpoint after every round, "kills" it in epoch 2 by keeping only the checkpoint
     * after 8 of epoch 2's batches (and deleting its outputs), then resumes it; {@code overrides} for every run.
     */
    private Resumed cutInEpoch2AndResume(Path cut, String... overrides) throws Exception {
        List<String> checkpointing = new java.util.ArrayList<>(List.of(overrides));
        checkpointing.addAll(List.of("checkpoint.every-minutes=0.000001", "checkpoint.keep=1000"));
        train(config(cut, checkpointing.toArray(String[]::new)), false, false);
        CheckpointStore store = new CheckpointStore(cut.resolve("checkpoints").toString(), 1000,
                new org.apache.hadoop.conf.Configuration());
        List<String> all = store.list();
        String resumeFrom = all.stream().filter(p -> p.endsWith("checkpoint-00002-00000008.zip")).findFirst()
                .orElseThrow(() -> new AssertionError("no mid-epoch-2 checkpoint in " + all));
        deleteCheckpointsAfter(store, resumeFrom);
        Files.delete(cut.resolve("model.zip"));
        Files.delete(cut.resolve("metrics.json"));
        return new Resumed(resumeFrom, train(config(cut, overrides), false, true));
    }

    @Test
    void aResumeWithAnotherLearningRateOrWorkerCountIsRefusedNamingTheKey() throws Exception {
        Path out = dir.resolve("run");
        train(config(out, "epochs=1"), false, false);
        String checkpoint = out.resolve("checkpoints").toAbsolutePath().toUri().toString()
                .replace("file:///", "file:/") + "checkpoint-00002-00000000.zip";

        ConfigException e = assertThrows(ConfigException.class,
                () -> train(config(out, "optimizer.learning-rate=0.02"), true, true));
        assertEquals("Cannot resume from " + checkpoint + ": it was trained with another configuration:"
                + " optimizer.learning-rate = 0.02 (checkpoint: 0.01). Resume with the checkpoint's values, or start a"
                + " new run (--overwrite, or another output).", e.getMessage());

        ConfigException workers = assertThrows(ConfigException.class,
                () -> train(config(out, "spark.workers=1"), true, true));
        assertTrue(workers.getMessage().contains(": spark.workers = 1 (checkpoint: 2)."), workers.getMessage());

        ConfigException done = assertThrows(ConfigException.class, () -> train(config(out, "epochs=1"), true, true));
        assertEquals("Nothing to resume: " + checkpoint + " is the end of epoch 1 and epochs = 1. Raise epochs to"
                + " train on from it.", done.getMessage());
    }

    @Test
    void aLearningRateAllowedToChangeTakesEffectFromTheCheckpointAndIsRecorded() throws Exception {
        Path out = dir.resolve("run");
        train(config(out, "epochs=1"), false, false);
        int iterationsOfEpoch1 = model(out).getLayerWiseConfigurations().getIterationCount();
        TrainConfig lower = config(out, "epochs=2", "optimizer.learning-rate=0.005");

        new TrainJob(lower, RunOptions.NEW_RUN.overwriting(true).resuming(true)
                .allowing(java.util.Set.of("optimizer.learning-rate")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new DatasetFetcher())
                .run(sc());

        com.fasterxml.jackson.databind.JsonNode metrics = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("metrics.json").toFile());
        assertEquals("{\"optimizer.learning-rate\":{\"checkpoint\":\"0.01\",\"now\":\"0.005\"}}",
                metrics.get("resumed_with_changes").toString());
        assertEquals(2, metrics.get("epochs").size(), "epoch 1 from the checkpoint, epoch 2 trained on");
        org.deeplearning4j.nn.conf.layers.BaseLayer first = (org.deeplearning4j.nn.conf.layers.BaseLayer) model(out)
                .getLayerWiseConfigurations().getConf(0).getLayer();
        assertEquals(0.005, ((org.nd4j.linalg.learning.config.Nesterovs) first.getIUpdater()).getLearningRate(),
                1e-12, "the saved network trains at the new rate");
        assertEquals(2 * iterationsOfEpoch1, model(out).getLayerWiseConfigurations().getIterationCount(),
                "the iteration counter carried on from the checkpoint");
    }

    @Test
    void aFreshRunRefusesAnEarlierRunsCheckpointsAndResumeNeedsOne() throws Exception {
        Path out = dir.resolve("run");
        train(config(out, "epochs=1"), false, false);
        Files.delete(out.resolve("model.zip"));
        Files.delete(out.resolve("metrics.json"));
        String checkpoints = out.resolve("checkpoints").toAbsolutePath().toUri().toString()
                .replace("file:///", "file:/").replaceAll("/$", "");

        ConfigException fresh = assertThrows(ConfigException.class, () -> train(config(out), false, false));
        assertEquals("Checkpoint folder " + checkpoints + " already holds 1 checkpoint(s) of an earlier run. Pass"
                + " --resume to continue that run, --overwrite to start over (deletes them), or set checkpoint.dir"
                + " elsewhere.", fresh.getMessage());

        Path other = dir.resolve("other");
        ConfigException none = assertThrows(ConfigException.class, () -> train(config(other), false, true));
        assertTrue(none.getMessage().startsWith("Nothing to resume: no complete checkpoint in "), none.getMessage());
        assertFalse(Files.exists(other), "nothing is created when the resume is refused");

        // --resume-or-start (scheduled retraining): a finished run starts afresh, an unfinished one resumes.
        CheckpointStore store = new CheckpointStore(checkpoints, 2, new org.apache.hadoop.conf.Configuration());
        assertFalse(store.hasUnfinishedRun(1, warning -> { }));
        assertTrue(store.hasUnfinishedRun(2, warning -> { }));
        assertFalse(new CheckpointStore(other.resolve("checkpoints").toString(), 2,
                new org.apache.hadoop.conf.Configuration()).hasUnfinishedRun(2, warning -> { }));
    }

    @Test
    void theWholeTrainPathWithPlainSgdAndAveragingEveryStepEqualsSingleMachineTrainingOnTheUnionBatches()
            throws Exception {
        Path out = dir.resolve("exact");
        TrainConfig config = config(out, "epochs=1", "optimizer.name=sgd", "optimizer.learning-rate=0.1",
                "regularization.l2=0", "averaging-frequency=1", "checkpoint.every-epochs=0");
        train(config, false, false);

        MultiLayerNetwork local = (MultiLayerNetwork) RunPlan.of(config, new DataShape("mnist",
                new InputShape(28, 28, 1), 10)).newNetwork();
        LabeledImages train = config.data().dataset().filesIn(DatasetFetcher.defaultDirectory(KnownDataset.MNIST))
                .readTrain().head(640);
        List<DataSet> batches = MiniBatcher.shuffled(train, 16, config.trainer().seed(), 1);
        for (int i = 0; i < batches.size(); i += 2) {
            local.fit(DataSet.merge(List.of(batches.get(i), batches.get(i + 1))));
        }

        MultiLayerNetwork spark = model(out);
        double maxDiff = spark.params().sub(local.params()).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "largest parameter difference " + maxDiff);
    }

    @Test
    void theSameSeedAndConfigGiveIdenticalParametersTwice() throws Exception {
        train(config(dir.resolve("a"), "epochs=1"), false, false);
        train(config(dir.resolve("b"), "epochs=1"), false, false);

        assertEquals(model(dir.resolve("a")).params(), model(dir.resolve("b")).params());
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsModel() throws Exception {
        Path out = dir.resolve("early");
        // The learning rate drops a billion-fold after epoch 1: epoch 2 cannot improve the loss by min-delta.
        String printed = train(config(out, "epochs=4", "optimizer.name=sgd", "optimizer.learning-rate=0.05",
                "optimizer.schedule=step", "optimizer.decay-rate=1e-9", "early-stopping.patience=1",
                "early-stopping.metric=loss", "early-stopping.min-delta=0.001"), false, false);

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        int kept = metrics.get("kept_epoch").asInt();
        int trained = metrics.get("epochs").size();
        assertEquals(2, trained, "stopped after one epoch without improvement: " + printed);
        assertEquals(1, kept, printed);
        assertEquals(metrics.get("epochs").get(kept - 1).get("test_accuracy").asDouble(),
                metrics.get("final").get("accuracy").asDouble(), 1e-9, "model.zip is the kept epoch's");
        assertTrue(printed.contains("early stopping kept epoch " + kept), printed);
        assertTrue(Files.exists(out.resolve("checkpoints").resolve(CheckpointStore.BEST_FILE)));
    }

    @Test
    void aDivergingLearningRateStopsWithinARoundAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path out = dir.resolve("diverge");
        // Fine in epoch 1, a learning rate of 1e7 from epoch 2 on.
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train(config(out,
                "epochs=3", "optimizer.name=sgd", "optimizer.learning-rate=0.01", "optimizer.schedule=step",
                "optimizer.decay-rate=1e9"), false, false));

        assertEquals(2, e.epoch());
        String checkpoint = out.resolve("checkpoints").toAbsolutePath().toUri().toString()
                .replace("file:///", "file:/") + "checkpoint-00002-00000000.zip";
        assertEquals("Training diverged in epoch 2, averaging round 2 (iteration 24): the loss is NaN. The last good"
                + " checkpoint, " + checkpoint + " (after epoch 1), is kept; nothing else was saved. Lower"
                + " optimizer.learning-rate (e.g. 10x), add optimizer.warmup-iterations, or check the input scaling"
                + " (data.normalization), then train again with --overwrite.", e.getMessage());
        assertTrue(Files.exists(Path.of(java.net.URI.create(checkpoint))));
        assertFalse(Files.exists(out.resolve("model.zip")));
        assertFalse(Files.exists(out.resolve("metrics.json")));
    }
}
