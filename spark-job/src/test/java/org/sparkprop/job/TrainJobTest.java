package org.sparkprop.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.output.ModelStore;

/** The whole train command on a slice of real MNIST: files written, figures consistent, model reloadable. */
class TrainJobTest extends LocalSparkTestBase {
    @TempDir
    Path dir;

    @Test
    void aShortMnistRunWritesAModelAndMetricsThatAgreeWithEachOther() throws Exception {
        TestData.requireMnist();
        Path out = dir.resolve("run");
        TrainConfig config = TestConfig.quickStart(out).set("epochs=2", "data.train-limit=1280",
                "data.test-limit=500").build();
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        new TrainJob(config, RunOptions.NEW_RUN, new PrintStream(console, true, StandardCharsets.UTF_8), new DatasetFetcher())
                .run(sc());

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(2, metrics.get("epochs").size());
        double finalAccuracy = metrics.get("final").get("accuracy").asDouble();
        assertEquals(metrics.get("epochs").get(1).get("test_accuracy").asDouble(), finalAccuracy);
        assertEquals(500, metrics.get("final").get("test_examples").asInt());
        assertTrue(metrics.get("final").get("f1_macro").asDouble() > 0.5, metrics.toString());
        assertTrue(metrics.get("epochs").get(0).get("images_per_second").asDouble() > 0, metrics.toString());
        assertEquals(1280, metrics.get("train_examples").asInt());
        assertTrue(finalAccuracy > 0.7, "accuracy " + finalAccuracy + " after 2 epochs on 1,280 images");

        MultiLayerNetwork model = ModelStore.load(out.resolve("model.zip"));
        LabeledImages test = config.data().dataset().filesIn(DatasetFetcher.defaultDirectory(KnownDataset.MNIST))
                .readTest().head(500);
        assertEquals(finalAccuracy, DriverEvaluator.evaluate(model, MiniBatcher.inOrder(test, 100), 10).accuracy(),
                1e-9);

        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("epoch 2/2  loss "), printed);
        assertTrue(printed.contains(String.format("final test accuracy %.2f%%", 100 * finalAccuracy)), printed);
        try (var files = Files.list(out)) {
            assertEquals(List.of("accuracy.png", "checkpoints", "confusion.png", "loss.png", "metrics.json",
                    "model.zip", "report.html"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String png : List.of("accuracy.png", "confusion.png", "loss.png")) {
            assertTrue(javax.imageio.ImageIO.read(out.resolve(png).toFile()).getWidth() >= 400, png);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"), "charts are inlined");
        assertEquals(10, metrics.get("final").get("confusion_matrix").size());
        int diagonal = 0;
        for (int k = 0; k < 10; k++) {
            diagonal += metrics.get("final").get("confusion_matrix").get(k).get(k).asInt();
        }
        assertEquals(Math.round(finalAccuracy * 500), diagonal, "confusion diagonal = correct predictions");
        assertTrue(metrics.get("final").get("top5_accuracy") == null, "top-5 only above 10 classes");
        try (var files = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("checkpoint-00002-00000000.zip", "checkpoint-00003-00000000.zip"),
                    files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint-")).sorted()
                            .toList(), "after epochs 1 and 2, keep 2");
        }
    }

    @Test
    void withStatsCollectionTheReportEmbedsDl4jsSparkTimeline() throws Exception {
        TestData.requireMnist();
        Path out = dir.resolve("stats");
        TrainConfig config = TestConfig.quickStart(out).set("model.name=seed-mlp", "epochs=1",
                "data.train-limit=640", "data.test-limit=100", "spark.trainer=averaging", "spark.collect-stats=true")
                .build();
        String clock = "org.deeplearning4j.spark.time.TimeSource";
        String before = System.clearProperty(clock); // set by an earlier stats run in this JVM, if any
        new TrainJob(config, RunOptions.NEW_RUN, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new DatasetFetcher()).run(sc());

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h2>Spark training statistics (DL4J)</h2>"), "stats section");
        assertTrue(html.contains("srcdoc=\"&lt;"), "DL4J's page inlined");
        assertEquals("org.deeplearning4j.spark.time.SystemClockTimeSource", System.getProperty(clock),
                "never the NTP clock, set by this run");
        if (before != null) {
            System.setProperty(clock, before);
        }
    }
}
