package org.sparkprop.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.data.export.PreparedDataset;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.split.Split;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.output.ModelStore;

/** Image folder -> pre-batched copy on Spark -> training with augmentation on the workers -> saved, tested model. */
class FolderTrainJobTest extends LocalSparkTestBase {
    @TempDir
    Path dir;

    /** 3 classes x 40 noisy 12x12 gray PNG/JPEG images, class k bright in band k; plus two broken files. */
    private Path imageFolder() throws IOException {
        Path root = dir.resolve("shapes");
        SplittableRandom random = new SplittableRandom(1);
        String[] classes = {"band-0", "band-1", "band-2"};
        for (int k = 0; k < 3; k++) {
            Files.createDirectories(root.resolve(classes[k]));
            for (int i = 0; i < 40; i++) {
                BufferedImage image = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 12; x++) {
                        int base = y / 4 == k ? 200 : 30;
                        image.getRaster().setSample(x, y, 0, Math.min(255, base + random.nextInt(40)));
                    }
                }
                String format = i % 4 == 0 ? "jpg" : "png";
                ImageIO.write(image, format, root.resolve(classes[k] + "/" + i + "." + format).toFile());
            }
        }
        Files.write(root.resolve("band-1/empty.png"), new byte[0]);
        Files.writeString(root.resolve("band-2/readme.txt"), "not an image");
        return root;
    }

    private TrainConfig config(Path root, Path out) {
        return TestConfig.smallFolder(root.toString(), out).set("data.split=0.6,0.2,0.2",
                "data.bad-input-threshold=0.05", "batch-size=8", "averaging-frequency=2", "epochs=4")
                .set("data.augment", "[{\"type\": \"translate\", \"probability\": 0.5, \"range\": 0.05},"
                        + " {\"type\": \"noise\", \"probability\": 0.5, \"range\": 0.02}]").build();
    }

    private String run(TrainConfig config) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new TrainJob(config, RunOptions.NEW_RUN, new PrintStream(console, true, StandardCharsets.UTF_8), new DatasetFetcher())
                .run(sc());
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anImageFolderTrainsThroughThePreBatchedCopyAndTheSavedModelScoresItsTestAccuracy() throws IOException {
        Path root = imageFolder();
        Path out = dir.resolve("run");
        TrainConfig config = config(root, out);
        String printed = run(config);

        assertTrue(printed.contains("image folder " + root + ": 3 classes, 122 files"), printed);
        assertTrue(printed.contains("pre-batched copy " + root + "-batches built (no complete copy at " + root
                + "-batches): 73 train / 24 val / 23 test images, scale"), printed); // the 2 bad files were planned for test
        assertTrue(printed.contains("bad input: 2 of 122 files skipped {empty-file=1, not-an-image=1}, listed in "
                + out.resolve("bad-input.tsv")), printed);
        assertTrue(printed.contains("epoch 4/4  loss "), printed);
        assertTrue(printed.contains("val accuracy"), printed);

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(73, metrics.get("train_examples").asInt());
        assertEquals(23, metrics.get("final").get("test_examples").asInt());
        assertEquals("val", metrics.get("epoch_evaluation").asText());
        for (JsonNode epoch : metrics.get("epochs")) { // test_accuracy means the test set, never the val part
            assertTrue(epoch.get("val_accuracy").asDouble() > 0, epoch.toString());
            assertNull(epoch.get("test_accuracy"), epoch.toString());
        }
        double accuracy = metrics.get("final").get("accuracy").asDouble();
        assertTrue(accuracy > 0.8, "test accuracy " + accuracy + " on bands that a linear model separates");

        List<String> report = Files.readAllLines(out.resolve("bad-input.tsv"));
        assertEquals(4, report.size(), report.toString());
        assertTrue(report.get(2).startsWith("file:" + root + "/band-1/empty.png\tempty-file\t"), report.toString());
        assertTrue(report.get(3).startsWith("file:" + root + "/band-2/readme.txt\tnot-an-image\t"),
                report.toString());

        assertEquals(List.of("band-0", "band-1", "band-2"), Files.readAllLines(out.resolve("labels.txt")));
        JsonNode input = ModelStore.input(out.resolve("model.zip"));
        assertEquals("{\"image_size\":\"12x12x1\",\"resize\":\"crop\",\"classes\":[\"band-0\",\"band-1\",\"band-2\"],"
                + "\"normalization\":{\"mode\":\"scale\"}}", input.toString());
        MultiLayerNetwork model = ModelStore.load(out.resolve("model.zip"));
        PreparedDataset copy = PreparedDataset.open(root + "-batches", sc().hadoopConfiguration());
        // The final test ran on the executors over the batch files; the driver's evaluation gives the same figures.
        org.sparkprop.job.eval.EvaluationResult driver = DriverEvaluator.evaluate(model, copy.load(Split.TEST),
                List.of("band-0", "band-1", "band-2"));
        JsonNode last = metrics.get("final");
        assertEquals(driver.accuracy(), accuracy);
        assertEquals(driver.f1(), last.get("f1_macro").asDouble());
        assertEquals(new ObjectMapper().valueToTree(driver.confusion()), last.get("confusion_matrix"));
        assertEquals(driver.loss(), last.get("loss").asDouble(), 1e-12 * driver.loss());

        String again = run(config(root, dir.resolve("run2")));
        assertTrue(again.contains("pre-batched copy " + root + "-batches reused (manifest matches"), again);
        double second = new ObjectMapper().readTree(dir.resolve("run2/metrics.json").toFile()).get("final")
                .get("accuracy").asDouble();
        assertEquals(accuracy, second, 1e-9, "same seed and config from the reused copy: the same run");
    }

    @Test
    void trainValidationAndTestPartsNeverShareAnImage() throws IOException {
        Path root = imageFolder();
        run(config(root, dir.resolve("run")));
        PreparedDataset copy = PreparedDataset.open(root + "-batches", sc().hadoopConfiguration());
        List<String> seen = new ArrayList<>();
        for (Split split : Split.values()) {
            for (var batch : copy.load(split)) {
                float[] values = batch.getFeatures().data().asFloat();
                for (int row = 0; row < batch.numExamples(); row++) {
                    float[] image = java.util.Arrays.copyOfRange(values, row * 144, (row + 1) * 144);
                    seen.add(java.util.Arrays.toString(image));
                }
            }
        }
        assertEquals(120, seen.size());
        assertEquals(120, new java.util.HashSet<>(seen).size(), "an image is in two parts (or twice in one)");
    }
}
