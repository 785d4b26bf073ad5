package org.sparkprop.job.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.LocalSparkTestBase;
import org.sparkprop.job.SyntheticImages;
import org.sparkprop.job.TestConfig;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;

/** {@code evaluate} on an image folder decodes and scores its test/ images on the executors. */
class SavedModelEvaluationTest extends LocalSparkTestBase {
    @TempDir
    Path dir;

    @Test
    void evaluatingAFolderOnTheExecutorsGivesTheRunsFinalTestFiguresAndCountsWhatItSkipped() throws Exception {
        Path root = dir.resolve("bands");
        SyntheticImages.bandFolder(root.resolve("train"), 12, 30, 1);
        SyntheticImages.bandFolder(root.resolve("test"), 12, 10, 2);
        Files.writeString(root.resolve("test/band-0/readme.txt"), "not an image");
        Path out = dir.resolve("run");
        new TrainJob(TestConfig.smallFolder(root.toString(), out).set("epochs=2", "batch-size=8", "report=false")
                .build(), RunOptions.NEW_RUN, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new DatasetFetcher()).run(sc());
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        SavedModelEvaluation.Outcome outcome = SavedModelEvaluation.run(out.resolve("model.zip"), root.toString(),
                new DatasetFetcher(), new PrintStream(console, true, StandardCharsets.UTF_8));

        JsonNode last = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("final");
        assertEquals(root + " (test/)", outcome.data());
        assertEquals(30, outcome.result().examples());
        assertEquals(1, outcome.skipped());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("/test/band-0/readme.txt: not-an-image"),
                console.toString(StandardCharsets.UTF_8));
        assertEquals(last.get("accuracy").asDouble(), outcome.result().accuracy());
        assertEquals(last.get("f1_macro").asDouble(), outcome.result().f1());
        int[][] confusion = new ObjectMapper().convertValue(last.get("confusion_matrix"), int[][].class);
        assertArrayEquals(confusion, outcome.result().confusion());
        // the run's final test (the pre-batched copy's files) and evaluate (decoded images, other partitions) sum
        // the loss in other groupings; for a loss this small (0.003) that float rounding reaches 1e-6 of it
        assertEquals(last.get("loss").asDouble(), outcome.result().loss(), 1e-5 * last.get("loss").asDouble());
    }
}
