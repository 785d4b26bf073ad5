package org.sparkprop.job.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.TestConfig;
import org.sparkprop.job.checkpoint.Checkpoint;
import org.sparkprop.job.checkpoint.CheckpointState;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.EvaluationData;
import org.sparkprop.job.eval.SplitEvaluator;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.TrainingDivergedException;

class EpochPolicyTest {
    @TempDir
    Path dir;

    /** A policy continuing from a checkpoint whose next position is {@code next}. */
    private EpochPolicy resumedAt(EpochProgress next) throws Exception {
        TrainConfig config = TestConfig.quickStart(dir.resolve("out")).build();
        CheckpointState state = new CheckpointState(next, 42, "hash", Map.of(), false,
                List.of(MetricsReport.Epoch.of(1, 0.5, "test", 0.9, 100, 10, 12, 0.4, 0.88)), 0, Double.NaN, 0, 12);
        Checkpoint checkpoint = new Checkpoint("file:/ckpt/checkpoint-x.zip", null, state);
        return new EpochPolicy(config, SplitEvaluator.of(null, new EvaluationData("test", 0, List::of),
                List.of("a", "b")), new MetricsReport(),
                new CheckpointStore(dir.resolve("ckpt").toString(), 2, new Configuration()),
                new EpochPolicy.RunIdentity(42, Map.of(), false), checkpoint, System.nanoTime(),
                new ConsoleReporter(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    @Test
    void aRunResumedInsideAnEpochNamesTheWholeEpochsItsCheckpointHoldsWhenItDiverges() throws Exception {
        EpochPolicy policy = resumedAt(new EpochProgress(2, 8, 20, 4, 1.2, 256, 3.0, 28));

        assertEquals(1, policy.lastCheckpointEpoch(), "a checkpoint 8 batches into epoch 2 holds epoch 1 whole");
        String message = policy.withLastCheckpoint(new TrainingDivergedException(2, 6, 32, Double.NaN)).getMessage();
        assertTrue(message.contains("The last good checkpoint, file:/ckpt/checkpoint-x.zip (after epoch 1), is kept"),
                message);
    }

    @Test
    void aRunResumedAtAnEpochBoundaryNamesTheEpochJustFinished() throws Exception {
        EpochPolicy policy = resumedAt(EpochProgress.startOf(3));

        assertEquals(2, policy.lastCheckpointEpoch());
    }

    @Test
    void theResumedRunsEarlierEpochsAndElapsedTimeCarryOn() throws Exception {
        EpochPolicy policy = resumedAt(EpochProgress.startOf(2));

        assertTrue(policy.elapsed() >= 12, "elapsed " + policy.elapsed());
    }
}
