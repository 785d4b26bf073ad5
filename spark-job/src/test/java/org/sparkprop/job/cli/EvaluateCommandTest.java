package org.sparkprop.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.LocalSparkTestBase;
import org.sparkprop.job.TestConfig;
import org.sparkprop.job.TestData;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.job.config.TrainConfig;

/** {@code evaluate} on a model a short real-MNIST run wrote. */
class EvaluateCommandTest extends LocalSparkTestBase {
    @TempDir
    Path dir;

    @Test
    void evaluateScoresASavedModelOnTheFullTestSetAndKeepsAnExistingResult() throws Exception {
        TestData.requireMnist();
        Path out = dir.resolve("run");
        TrainConfig config = TestConfig.quickStart(out).set("model.name=seed-mlp", "epochs=1",
                "data.train-limit=1280", "data.test-limit=200", "report=false").build();
        new TrainJob(config, RunOptions.NEW_RUN, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new DatasetFetcher()).run(sc());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        SparkPropCli cli = new SparkPropCli(
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8));

        assertEquals(0, cli.entryPoint(new String[] {"evaluate", "--model", out.resolve("model.zip").toString(),
                "--data", "mnist"}), errors.toString(StandardCharsets.UTF_8));

        JsonNode json = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals(10_000, json.get("examples").asInt());
        assertEquals("mnist test", json.get("data").asText());
        long total = 0;
        long diagonal = 0;
        for (int a = 0; a < 10; a++) {
            for (int p = 0; p < 10; p++) {
                total += json.get("confusion_matrix").get(a).get(p).asLong();
            }
            diagonal += json.get("confusion_matrix").get(a).get(a).asLong();
        }
        assertEquals(10_000, total);
        assertEquals(json.get("accuracy").asDouble(), diagonal / 10_000.0, 1e-9);
        assertTrue(json.get("accuracy").asDouble() > 0.3, "far above chance (0.1): " + json);
        assertTrue(printed.toString(StandardCharsets.UTF_8).startsWith("mnist test: 10000 images, accuracy "));

        errors.reset();
        assertEquals(2, cli.entryPoint(new String[] {"evaluate", "--model", out.resolve("model.zip").toString(),
                "--data", "mnist"}));
        assertEquals("error: Output file " + out.resolve("evaluation.json").toAbsolutePath() + " already exists."
                + " Pass --overwrite to replace it, or choose another with --out FILE.\n",
                errors.toString(StandardCharsets.UTF_8));
    }
}
