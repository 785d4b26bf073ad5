package org.sparkprop.job.promote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.IUpdater;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.LocalSparkTestBase;
import org.sparkprop.job.run.NetworkStart;
import org.sparkprop.job.run.RunPlan;
import org.sparkprop.job.SyntheticImages;
import org.sparkprop.job.TestConfig;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.job.cli.SparkPropCli;
import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.transfer.PretrainedModelException;

/**
 * train --promote-to on a generated image folder (3 classes of 12x12 bands), with real runs: a model trained at a
 * learning rate of 1e-7 is the worse one (its initial weights), the same run at 0.01 the better one.
 */
class PromotionTest extends LocalSparkTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path bands;

    @TempDir
    Path dir;

    @BeforeAll
    static void images() throws IOException {
        bands = SyntheticImages.bandFolder(shared.resolve("bands"), 12, 30, 4);
    }

    private static TestConfig config(Path data, Path out, String... overrides) {
        return TestConfig.smallFolder(data.toString(), out).set("model.hidden=[16]", "batch-size=8", "epochs=3",
                "report=false").set(overrides);
    }

    private static TrainConfig good(Path out) {
        return config(bands, out).build();
    }

    private static TrainConfig bad(Path out) {
        return config(bands, out, "optimizer.learning-rate=1e-7").build();
    }

    /** One run with --promote-to {@code served}; its console in {@code log} when given. */
    private static Promotion.Outcome train(TrainConfig config, Path served, boolean allowClassChange,
                                           List<String> log) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Promotion promotion = new Promotion(served.toString(), allowClassChange, config.promote(),
                new Configuration());
        try {
            new TrainJob(config, RunOptions.NEW_RUN.promotingTo(promotion), new PrintStream(console, true,
                    StandardCharsets.UTF_8), new DatasetFetcher()).run(sc());
        } finally {
            if (log != null) {
                log.add(console.toString(StandardCharsets.UTF_8));
            }
        }
        return promotion.outcome();
    }

    private static List<JsonNode> history(Path served) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(served.resolve("history.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static Set<String> files(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return new TreeSet<>(list.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static String current(Path served) throws IOException {
        return Files.readString(served.resolve("current")).trim();
    }

    @Test
    void theFirstRunPromotesABetterOneReplacesItAndRollbackRestoresTheFirstByteForByte() throws IOException {
        Path served = dir.resolve("served");

        Promotion.Outcome first = train(bad(dir.resolve("run1")), served, false, null);
        assertTrue(first.promoted());
        assertEquals("promoted: the first model at " + served, first.reason());
        assertEquals(first.model(), current(served));
        assertArrayEquals(Files.readAllBytes(dir.resolve("run1/model.zip")), Files.readAllBytes(
                served.resolve(first.model())));

        Promotion.Outcome second = train(good(dir.resolve("run2").resolve("out")), served, false, null);
        assertTrue(second.promoted(), second.reason());
        assertTrue(second.candidate().accuracy() > second.served().accuracy() + 0.2, second.reason());
        assertEquals(second.model(), current(served));
        assertEquals(new TreeSet<>(List.of("_sparkprop-served", "current", "history.jsonl", first.model(),
                second.model())), files(served), "no temporary file, no lock left");

        List<JsonNode> history = history(served);
        assertEquals(2, history.size());
        JsonNode line = history.get(1);
        assertEquals("train", line.get("event").asText());
        assertTrue(line.get("promoted").asBoolean());
        assertEquals(first.model(), line.get("served_model").asText());
        assertEquals(second.served().accuracy(), line.get("served").get("accuracy").asDouble());
        assertEquals(second.candidate().accuracy(), line.get("candidate").get("accuracy").asDouble());
        assertEquals("accuracy", line.get("metric").asText());
        assertEquals(64, line.get("config_hash").asText().length());
        assertEquals(30, line.get("data").get("class_counts").get("band-2").asInt());
        assertFalse(line.get("data").get("fingerprint").asText().isEmpty());
        JsonNode metrics = JSON.readTree(dir.resolve("run2/out/metrics.json").toFile());
        assertTrue(metrics.get("promotion").get("promoted").asBoolean());
        assertEquals(second.model(), metrics.get("promotion").get("model").asText());

        ServedModels.Rollback rollback = ServedModels.at(served.toString(), "--to", new Configuration())
                .rollback(new Configuration());
        assertEquals(new ServedModels.Rollback(second.model(), first.model()), rollback);
        assertEquals(first.model(), current(served));
        assertArrayEquals(Files.readAllBytes(dir.resolve("run1/model.zip")), Files.readAllBytes(
                served.resolve(current(served))), "the first model back in service, byte for byte");
        assertEquals("rollback", history(served).get(2).get("event").asText());
        ConfigException none = assertThrows(ConfigException.class, () -> ServedModels.at(served.toString(), "--to",
                new Configuration()).rollback(new Configuration()));
        assertEquals("Nothing to roll back to: " + first.model() + " is the oldest promoted model still kept in "
                + ServedModels.at(served.toString(), "--to", new Configuration()).uri() + " (promote.keep keeps the"
                + " newest ones).", none.getMessage());
    }

    @Test
    void aWorseModelIsNotPromotedAndTrainExitsWithCode3() throws Exception {
        Path served = dir.resolve("served");
        Promotion.Outcome first = train(good(dir.resolve("run1")), served, false, null);
        Path conf = Files.writeString(dir.resolve("bad.conf"), String.join("\n", "data.path = \"" + bands + "\"",
                "data.image-size = 12x12x1", "model.name = mlp", "model.hidden = [16]", "optimizer.name = adam",
                "optimizer.learning-rate = 1e-7", "spark.workers = 2", "batch-size = 8", "epochs = 3",
                "report = false", "output = \"" + dir.resolve("run2") + "\"", ""));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Xmx") || a.startsWith("-XX:+Ignore"))
                .toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkPropCli.class.getName(), "train",
                conf.toString(), "--promote-to", served.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run2.log").toFile()).start();
        assertTrue(process.waitFor(240, TimeUnit.SECONDS), "train finished");
        String log = Files.readString(dir.resolve("run2.log"));

        assertEquals(ExitCodes.NOT_PROMOTED, process.exitValue(), log);
        assertEquals(3, ExitCodes.NOT_PROMOTED);
        assertTrue(log.contains("not promoted: accuracy "), log);
        assertTrue(log.contains("promotion: " + first.model() + " stays in service; this run's model is only in its"
                + " output folder"), log);
        assertEquals(first.model(), current(served));
        assertTrue(Files.exists(dir.resolve("run2/model.zip")), "the run's own output is written");
        JsonNode line = history(served).get(1);
        assertFalse(line.get("promoted").asBoolean());
        assertTrue(line.get("model").isNull());
        assertTrue(line.get("candidate").get("accuracy").asDouble() < line.get("served").get("accuracy").asDouble());
        assertFalse(JSON.readTree(dir.resolve("run2/metrics.json").toFile()).get("promotion").get("promoted")
                .asBoolean());
    }

    @Test
    void theDataAndTheServedModelAreCheckedBeforeAnythingIsWritten() throws IOException {
        Path served = dir.resolve("served");
        Promotion.Outcome first = train(good(dir.resolve("run1")), served, false, null);
        Path twoClasses = dir.resolve("two-classes");
        for (String kept : List.of("band-0", "band-1")) {
            Files.createDirectories(twoClasses.resolve(kept));
            try (Stream<Path> images = Files.list(bands.resolve(kept))) {
                for (Path image : images.toList()) {
                    Files.copy(image, twoClasses.resolve(kept).resolve(image.getFileName()));
                }
            }
        }

        DataShiftException vanished = assertThrows(DataShiftException.class, () -> train(config(twoClasses,
                dir.resolve("run2")).build(), served, false, null));
        assertEquals("Data check failed before training: class band-2 vanished since the last run (last run's"
                + " classes: band-0, band-1, band-2; this run's: band-0, band-1). This is usually a broken upstream"
                + " export; fix the data, or pass --allow-class-change if the class set really changed.",
                vanished.getMessage());
        assertFalse(Files.exists(dir.resolve("run2")), "nothing written for a run that stopped");

        ConfigException size = assertThrows(ConfigException.class, () -> train(config(bands, dir.resolve("run3"),
                "data.image-size=10x10x1").build(), served, false, null));
        assertEquals("The served model " + ServedModels.at(served.toString(), "x", new Configuration())
                .uriOf(first.model()) + " predicts classes [band-0, band-1, band-2] from 12x12x1 images; this run's"
                + " data has classes [band-0, band-1, band-2] at 10x10x1. A model for other classes or inputs is"
                + " never promoted silently: pass --allow-class-change to replace it anyway, or point --promote-to"
                + " at another folder.", size.getMessage());
        assertFalse(Files.exists(dir.resolve("run3")));
        assertEquals(1, history(served).size());

        Promotion.Outcome allowed = train(config(bands, dir.resolve("run4"), "data.image-size=10x10x1").build(),
                served, true, null);
        assertTrue(allowed.promoted());
        assertEquals("promoted: classes or input size changed (--allow-class-change), no comparison made",
                allowed.reason());
        assertNull(allowed.served());
    }

    @Test
    void warmStartContinuesFromTheServedModelWithItsHeadAndItsOwnLearningRate() throws IOException {
        Path served = dir.resolve("served");
        Promotion.Outcome first = train(good(dir.resolve("run1")), served, false, null);
        MultiLayerNetwork servedNet = ModelStore.load(served.resolve(first.model()));
        TrainConfig warm = config(bands, dir.resolve("run2"), "transfer.source=" + served, "transfer.mode=warm-start",
                "epochs=1").build();

        RunPlan plan = RunPlan.of(warm, DataSource.of(warm).shape(new Configuration()));
        MultiLayerNetwork start = (MultiLayerNetwork) plan.newNetwork();
        assertArrayEquals(servedNet.params().data().asFloat(), start.params().data().asFloat(),
                "the served model's parameters, head included, are the starting point");
        assertEquals(0, assertInstanceOf(NetworkStart.WarmStart.class, plan.start()).transfer().frozenLayers());
        for (int i = 0; i < start.getnLayers(); i++) {
            IUpdater updater = ((org.deeplearning4j.nn.conf.layers.BaseLayer) start.getLayer(i).conf().getLayer())
                    .getIUpdater();
            assertEquals(0.001, updater.getLearningRate(0, 0), 1e-12, "a tenth of optimizer.learning-rate");
        }

        List<String> log = new ArrayList<>();
        Promotion.Outcome second = train(warm, served, false, log);
        assertTrue(log.get(0).contains("warm start from " + served + ": its 3-class head kept, all 2 layers train"),
                log.get(0));
        assertTrue(second.candidate().accuracy() >= first.candidate().accuracy() - 0.05, second.reason());

        Path other = dir.resolve("other");
        Files.createDirectories(other);
        ModelStore.save(servedNet, other.resolve("model.zip"), java.util.Map.of("image_size", "12x12x1", "classes",
                List.of("a", "b", "c")));
        TrainConfig renamed = config(bands, dir.resolve("run3"), "transfer.source=" + other.resolve("model.zip"),
                "transfer.mode=warm-start").build();
        PretrainedModelException e = assertThrows(PretrainedModelException.class, () -> new TrainJob(renamed,
                RunOptions.NEW_RUN,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new DatasetFetcher())
                .run(sc()));
        assertEquals("Cannot use " + other.resolve("model.zip") + " (transfer.source): it was trained for classes"
                + " [a, b, c] and this data has [band-0, band-1, band-2], so its head cannot be kept. Warm-start from"
                + " a model of these classes, or set transfer.mode = feature-extractor or fine-tune to replace the"
                + " head.", e.getMessage());
    }

    @Test
    void aFolderSparkpropDidNotMakeIsNeverWrittenTo() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("models"));
        Files.writeString(foreign.resolve("production.zip"), "someone else's");

        ConfigException e = assertThrows(ConfigException.class, () -> ServedModels.at(foreign.toString(),
                "--promote-to", new Configuration()));
        assertEquals("Folder " + foreign + " (--promote-to) is not empty and holds no _sparkprop-served, so it is not"
                + " a folder of served models made by sparkprop and nothing is written there (it holds"
                + " production.zip). Point --promote-to at a new or empty folder.", e.getMessage());
        assertEquals(Set.of("production.zip"), files(foreign));
    }
}
