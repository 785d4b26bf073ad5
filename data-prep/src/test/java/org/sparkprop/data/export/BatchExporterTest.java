package org.sparkprop.data.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.FlakyFileSystem;
import org.sparkprop.data.LocalSparkTestBase;
import org.sparkprop.data.TestImages;
import org.sparkprop.data.TestSettingNames;
import org.sparkprop.data.folder.BadInputReport;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageLimits;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.folder.TooMuchBadInputException;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.Split;
import org.sparkprop.data.split.SplitRatios;
import org.sparkprop.model.InputShape;

class BatchExporterTest extends LocalSparkTestBase {
    @TempDir
    Path tmp;

    private static final InputShape GRAY_12 = new InputShape(12, 12, 1);

    /** 3 classes x 10 good gray images in PNG, JPEG, BMP and GIF of odd sizes, plus one broken file of each kind. */
    private Path grayDataset() {
        Path root = tmp.resolve("data");
        String[] classes = {"bee", "ant", "cat"};
        String[] formats = {"png", "jpg", "bmp", "gif"};
        int n = 0;
        for (String c : classes) {
            for (int i = 0; i < 10; i++) {
                String format = formats[i % formats.length];
                int w = 12 + (i % 3) * 5;
                int h = 12 + (i % 2) * 7;
                TestImages.write(root.resolve(c + "/" + i + "." + format),
                        TestImages.encode(TestImages.gray(w, h, n++), format));
            }
        }
        byte[] png = TestImages.encode(TestImages.gray(12, 12, 99), "png");
        byte[] jpeg = TestImages.encode(TestImages.gray(40, 40, 98), "jpg");
        TestImages.write(root.resolve("ant/empty.png"), new byte[0]);
        TestImages.write(root.resolve("ant/notes.txt"), "not an image".getBytes(StandardCharsets.UTF_8));
        TestImages.write(root.resolve("bee/truncated.png"), TestImages.truncated(png, 0.6));
        TestImages.write(root.resolve("bee/truncated.jpg"), TestImages.truncated(jpeg, 0.5));
        TestImages.write(root.resolve("cat/garbage.png"), TestImages.corrupted(png, 40));
        TestImages.write(root.resolve("cat/colour.png"), TestImages.encode(TestImages.rgb(12, 12, 97), "png"));
        TestImages.write(root.resolve("cat/locked-dir/x.png"), png);
        return root;
    }

    private ExportSpec spec(Path root, String target, int batchSize, double threshold) {
        return ExportSpec.from(FlakyFileSystem.uri(root), target).shape(GRAY_12).resize(ResizePolicy.CROP)
                .split(new SplitRatios(0.6, 0.2, 0.2)).batchSize(batchSize).seed(42)
                .normalization(Normalization.Mode.SCALE).partitions(2).badInputThreshold(threshold)
                .names(TestSettingNames.NAMES).build();
    }

    private BatchExporter.Outcome prepare(ExportSpec spec) throws IOException {
        sc().hadoopConfiguration().set("fs.flaky.impl", FlakyFileSystem.class.getName());
        sc().hadoopConfiguration().setBoolean("fs.flaky.impl.disable.cache", true);
        return BatchExporter.prepare(sc(), spec, ImageFolder.list(spec.source(), TestSettingNames.NAMES,
                sc().hadoopConfiguration()));
    }

    @Test
    void brokenFilesAreSkippedCountedAndListedInTheReportWhileTheRestIsExported() throws IOException {
        Path root = grayDataset();
        String target = tmp.resolve("batches").toString();
        BatchExporter.Outcome outcome = prepare(spec(root, target, 4, 0.5));

        BadInputReport report = outcome.badInput();
        assertEquals("7 of 37 files skipped (18.92%): 1 empty-file, 1 not-an-image, 3 corrupt-image,"
                + " 1 unexpected-channels, 1 unreadable", report.summary());
        List<String> lines = Files.readAllLines(Path.of(target, BadInputReport.FILE_NAME));
        assertEquals("# " + report.summary(), lines.get(0));
        assertEquals("path\treason\tdetail", lines.get(1));
        List<String> listed = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] cols = line.split("\t");
            listed.add(cols[0].substring(cols[0].indexOf("/data/") + 6) + " " + cols[1]);
        }
        assertEquals(List.of("ant/empty.png empty-file", "ant/notes.txt not-an-image",
                "bee/truncated.jpg corrupt-image", "bee/truncated.png corrupt-image",
                        "cat/colour.png unexpected-channels",
                "cat/garbage.png corrupt-image", "cat/locked-dir unreadable"), listed);

        PreparedDataset data = outcome.dataset();
        ExportManifest m = data.manifest();
        assertEquals(List.of("ant", "bee", "cat"), m.classes());
        assertEquals(30, data.examples(Split.TRAIN) + data.examples(Split.VAL) + data.examples(Split.TEST));
        // the split is planned on the 36 listed files (ant 12, bee 12, cat 12 with its 2 bad files), stratified,
        // before any is decoded: a bad file leaves its split and its batch one image short
        assertArrayEquals(new long[] {6, 7, 6}, m.split(Split.TRAIN).perClass());
        assertArrayEquals(new long[] {2, 2, 2}, m.split(Split.VAL).perClass());
        assertArrayEquals(new long[] {2, 1, 2}, m.split(Split.TEST).perClass());
        assertEquals(6, m.split(Split.TRAIN).batches());
        assertEquals(Map.of(0, 3, 1, 3, 4, 3, 5, 2), m.split(Split.TRAIN).shortBatches());
        assertEquals(Map.of(1, 2), m.split(Split.VAL).shortBatches());
        assertEquals(Map.of(1, 1), m.split(Split.TEST).shortBatches());
        for (Split split : Split.values()) {
            List<Integer> rows = new ArrayList<>();
            for (int k = 0; k < m.split(split).batches(); k++) {
                rows.add(m.split(split).rows(k, 4));
            }
            assertEquals(rows, data.load(split).stream().map(DataSet::numExamples).toList(), split.id());
            assertEquals(m.split(split).examples(), rows.stream().mapToLong(Integer::longValue).sum());
        }
        assertEquals("12x12x1", m.imageSize());
        assertEquals(42, m.seed());
        assertEquals("0.6,0.2,0.2", m.splitRatios());
        assertEquals(Map.of("empty-file", 1, "not-an-image", 1, "corrupt-image", 3, "unexpected-channels", 1,
                "unreadable", 1), m.badInput().byReason());
        assertEquals(List.of("ant", "bee", "cat"), Files.readAllLines(Path.of(target, BatchExporter.LABELS_FILE)));
        for (String file : data.batchFiles(Split.TRAIN)) {
            assertTrue(Files.size(Path.of(file)) > 0, file);
        }

        List<DataSet> train = data.load(Split.TRAIN);
        assertArrayEquals(new long[] {4, 1, 12, 12}, train.get(2).getFeatures().shape());
        assertArrayEquals(new long[] {4, 3}, train.get(2).getLabels().shape());
    }

    @Test
    void batchesHoldExactlyTheDecodedPixelsScaledTo0To1AndNoImageTwice() throws IOException {
        Path root = tmp.resolve("pngs");
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            var image = TestImages.gray(12, 12, 500 + i);
            expected.add(((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData());
            TestImages.write(root.resolve((i % 2 == 0 ? "even" : "odd") + "/" + i + ".png"),
                    TestImages.encode(image, "png"));
        }
        PreparedDataset data = prepare(spec(root, tmp.resolve("b").toString(), 5, 0.01)).dataset();
        List<byte[]> seen = new ArrayList<>();
        for (Split split : Split.values()) {
            for (DataSet batch : data.load(split)) {
                float[] values = batch.getFeatures().data().asFloat();
                for (int row = 0; row < batch.numExamples(); row++) {
                    byte[] pixels = new byte[144];
                    for (int p = 0; p < 144; p++) {
                        float v = values[row * 144 + p] * 255f;
                        assertEquals(Math.round(v), v, 1e-3);
                        pixels[p] = (byte) Math.round(v);
                    }
                    seen.add(pixels);
                }
            }
        }
        Comparator<byte[]> order = Arrays::compare;
        expected.sort(order);
        seen.sort(order);
        assertEquals(expected.size(), seen.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), seen.get(i));
        }
    }

    @Test
    void aMatchingCopyIsReusedAndAChangedSourceOrSettingRebuildsIt() throws IOException {
        Path root = grayDataset();
        Files.delete(root.resolve("cat/locked-dir/x.png")); // every folder listed: a copy that may be reused
        Files.delete(root.resolve("cat/locked-dir"));
        String target = tmp.resolve("batches").toString();
        assertFalse(prepare(spec(root, target, 4, 0.5)).dataset().reused());
        BatchExporter.Outcome again = prepare(spec(root, target, 4, 0.5));
        assertTrue(again.dataset().reused());
        assertTrue(again.reason().startsWith("manifest matches"), again.reason());

        BatchExporter.Outcome otherBatch = prepare(spec(root, target, 3, 0.5));
        assertFalse(otherBatch.dataset().reused());
        assertEquals("the manifest at " + target + " was made from other files or settings", otherBatch.reason());
        // 22 of the 36 listed files are planned for training, 6 are bad: 8 batch files of at most 3
        assertEquals(8, otherBatch.dataset().manifest().split(Split.TRAIN).batches());

        TestImages.write(root.resolve("ant/new.png"), TestImages.encode(TestImages.gray(12, 12, 1234), "png"));
        assertFalse(prepare(spec(root, target, 3, 0.5)).dataset().reused());
    }

    @Test
    void aCopyBuiltWhileAFolderCouldNotBeListedIsNeverReusedSilently() throws IOException {
        Path root = grayDataset();
        String target = tmp.resolve("batches").toString();
        assertFalse(prepare(spec(root, target, 4, 0.5)).dataset().reused());

        BatchExporter.Outcome again = prepare(spec(root, target, 4, 0.5));
        assertFalse(again.dataset().reused());
        assertEquals("the copy at " + target + " was built while 1 folder(s) could not be listed, so it is built"
                + " again", again.reason());
    }

    @Test
    void aFileThatCannotBeReadFailsTheExportNamingItInsteadOfBecomingBadInput() throws IOException {
        Path root = grayDataset();
        TestImages.write(root.resolve("cat/locked.png"), TestImages.encode(TestImages.gray(12, 12, 9), "png"));
        String target = tmp.resolve("batches").toString();

        org.sparkprop.data.folder.UnreadableInputException e = assertThrows(
                org.sparkprop.data.folder.UnreadableInputException.class, () -> prepare(spec(root, target, 4, 0.5)));
        String file = "flaky:" + root.toAbsolutePath() + "/cat/locked.png";
        assertEquals("Cannot read " + file + " (java.nio.file.AccessDeniedException: " + file + ": Permission"
                + " denied). An I/O error fails the export instead of skipping the image (Spark"
                + " retried the task; on a local master it runs once). Check that the file is readable by this user"
                + " and the file system reachable, or remove the file from the folder, then run again.",
                e.getMessage());
        assertNull(PreparedDataset.open(target, sc().hadoopConfiguration()), "no copy without the image");
    }

    @Test
    void filesOverTheByteLimitAndImagesDeclaringTooManyPixelsAreTooLargeBadInput() throws IOException {
        Path root = tmp.resolve("sized");
        for (String c : List.of("ant", "bee")) {
            for (int i = 0; i < 6; i++) {
                TestImages.write(root.resolve(c + "/" + i + ".png"), TestImages.encode(TestImages.gray(12, 12, i),
                        "png"));
            }
        }
        byte[] png = TestImages.encode(TestImages.gray(12, 12, 77), "png");
        TestImages.write(root.resolve("ant/huge.png"), TestImages.declaringSize(png, 50_000, 50_000));
        TestImages.write(root.resolve("bee/big.bmp"), TestImages.encode(TestImages.gray(100, 100, 3), "bmp"));
        ExportSpec spec = spec(root, tmp.resolve("b").toString(), 4, 0.5).toBuilder()
                .limits(new ImageLimits(1_000_000, 5_000)).build();

        BatchExporter.Outcome outcome = prepare(spec);
        assertEquals("2 of 14 files skipped (14.29%): 2 too-large", outcome.badInput().summary());
        List<String> lines = Files.readAllLines(tmp.resolve("b").resolve(BadInputReport.FILE_NAME));
        assertTrue(lines.get(2).endsWith("/ant/huge.png\ttoo-large\tdeclares 50000x50000 = 2,500,000,000 pixels,"
                + " more than data.max-image-pixels = 1,000,000"), lines.get(2));
        assertTrue(lines.get(3).endsWith("/bee/big.bmp\ttoo-large\tmore than data.max-file-bytes = 5,000 bytes"),
                lines.get(3));
        assertEquals(12, outcome.dataset().examples(Split.TRAIN) + outcome.dataset().examples(Split.VAL)
                + outcome.dataset().examples(Split.TEST));
    }

    @Test
    void tooManyBadFilesFailTheJobNamingTheReportAndLeaveNoManifest() throws IOException {
        Path root = grayDataset();
        String target = tmp.resolve("batches").toString();
        TooMuchBadInputException e = assertThrows(TooMuchBadInputException.class,
                () -> prepare(spec(root, target, 4, 0.01)));
        assertEquals("7 of 37 files skipped (18.92%): 1 empty-file, 1 not-an-image, 3 corrupt-image,"
                + " 1 unexpected-channels, 1 unreadable, more than data.bad-input-threshold = 0.01 (1.00%). Every"
                + " skipped file and why is listed in " + target + "/bad-input.tsv. Fix or remove those files, or"
                + " raise data.bad-input-threshold if losing them is acceptable.", e.getMessage());
        assertTrue(Files.exists(Path.of(target, BadInputReport.FILE_NAME)));
        assertNull(PreparedDataset.open(target, sc().hadoopConfiguration()), "an incomplete copy has no manifest");
    }

    @Test
    void aTargetFolderHoldingOtherDataIsNeverCleared() throws IOException {
        Path root = grayDataset();
        Path target = tmp.resolve("precious");
        TestImages.write(target.resolve("thesis.txt"), "do not delete".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> prepare(spec(root, target.toString(), 4, 0.5)));
        assertEquals("Folder " + target + " is not empty and is not a pre-batched copy made by sparkprop (no"
                + " _sparkprop-batches in it), so it is left alone. Point data.batches at a new or empty folder.",
                e.getMessage());
        assertTrue(Files.exists(target.resolve("thesis.txt")));
    }

    @Test
    void aManifestAloneDoesNotMakeAFolderOurs() throws IOException {
        Path root = grayDataset();
        Path target = tmp.resolve("someone-elses");
        TestImages.write(target.resolve("manifest.json"), "{}".getBytes(StandardCharsets.UTF_8));
        TestImages.write(target.resolve("results.csv"), "a,b".getBytes(StandardCharsets.UTF_8));

        assertThrows(IOException.class, () -> prepare(spec(root, target.toString(), 4, 0.5)));

        assertTrue(Files.exists(target.resolve("results.csv")));
        assertTrue(Files.exists(target.resolve("manifest.json")));
    }

    @Test
    void rebuildingOurCopyDeletesOnlyWhatACopyConsistsOf() throws IOException {
        Path root = grayDataset();
        Path target = tmp.resolve("copy");
        prepare(spec(root, target.toString(), 4, 0.5));
        TestImages.write(target.resolve("notes.txt"), "mine".getBytes(StandardCharsets.UTF_8));
        TestImages.write(target.resolve("train/extra.bin"), "mine too".getBytes(StandardCharsets.UTF_8));

        prepare(spec(root, target.toString(), 8, 0.5)); // another batch size: rebuilt

        assertEquals("mine", Files.readString(target.resolve("notes.txt")));
        assertEquals("mine too", Files.readString(target.resolve("train/extra.bin")));
        assertEquals(8, PreparedDataset.open(target.toString(), sc().hadoopConfiguration()).manifest().batchSize());
    }

    @Test
    void standardizationStatisticsComeFromTheTrainingPartAndAreAppliedOnLoad() throws IOException {
        Path root = tmp.resolve("flat");
        // class a: all pixels 100; class b: all pixels 200. Train part is balanced, so mean 150, std 50.
        for (int i = 0; i < 10; i++) {
            for (String c : new String[] {"a", "b"}) {
                var image = new java.awt.image.BufferedImage(12, 12, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                int value = c.equals("a") ? 100 : 200;
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 12; x++) {
                        image.getRaster().setSample(x, y, 0, value);
                    }
                }
                TestImages.write(root.resolve(c + "/" + i + ".png"), TestImages.encode(image, "png"));
            }
        }
        ExportSpec spec = ExportSpec.from(root.toString(), tmp.resolve("s").toString()).shape(GRAY_12)
                .resize(ResizePolicy.CROP).split(new SplitRatios(0.6, 0.2, 0.2)).batchSize(4).seed(42)
                .normalization(Normalization.Mode.STANDARDIZE).partitions(2).badInputThreshold(0.01)
                .names(TestSettingNames.NAMES).build();
        PreparedDataset data = BatchExporter.prepare(sc(), spec,
                ImageFolder.list(spec.source(), TestSettingNames.NAMES, sc().hadoopConfiguration())).dataset();
        Normalization n = data.normalization();
        assertArrayEquals(new double[] {150}, n.mean(), 1e-9);
        assertArrayEquals(new double[] {50}, n.std(), 1e-9);
        assertNotNull(PreparedDataset.open(spec.target(), sc().hadoopConfiguration()).normalization().mean());
        for (DataSet batch : data.load(Split.TEST)) {
            for (float v : batch.getFeatures().data().asFloat()) {
                assertEquals(1f, Math.abs(v), 1e-6);
            }
        }
    }

    @Test
    void aBatchWhoseEveryFileIsBadWritesNoFileAndTheNumberingHasNoGap() throws IOException {
        Path root = grayDataset();
        String target = tmp.resolve("ones").toString();
        PreparedDataset data = prepare(spec(root, target, 1, 0.5)).dataset(); // each bad file is a whole batch

        for (Split split : Split.values()) {
            ExportManifest.SplitInfo info = data.manifest().split(split);
            List<String> names = new ArrayList<>();
            try (var files = Files.list(Path.of(target, split.id()))) {
                files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")) // Hadoop's .crc
                        .forEach(names::add);
            }
            names.sort(null);
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < info.batches(); k++) {
                expected.add(String.format("batch-%06d.bin", k));
            }
            assertEquals(expected, names, split.id());
            assertEquals(info.examples(), info.batches());
            assertEquals(Map.of(), info.shortBatches());
        }
        assertEquals(30, data.examples(Split.TRAIN) + data.examples(Split.VAL) + data.examples(Split.TEST));
    }

    @Test
    void moreTasksForMoreInputBytesNeverChangeTheCopy() throws IOException {
        ExportSpec base = spec(tmp, "/copy", 4, 0.01);
        ExportSpec small = base.toBuilder().partitionBytes(1000).build();
        assertEquals(2, base.tasks(10_000, 50), "the least count, data.partitions, for little input");
        assertEquals(10, small.tasks(10_000, 50), "one task per partition-bytes of input");
        assertEquals(11, small.tasks(10_001, 50));
        assertEquals(7, small.tasks(10_000, 7), "never more tasks than batches");

        Path root = tmp.resolve("pngs");
        for (int i = 0; i < 40; i++) {
            TestImages.write(root.resolve((i % 2 == 0 ? "even" : "odd") + "/" + i + ".png"),
                    TestImages.encode(TestImages.gray(12, 12, 700 + i), "png"));
        }
        ExportSpec few = spec(root, tmp.resolve("few").toString(), 4, 0.01);
        ExportSpec many = ExportSpec.from(few.source(), tmp.resolve("many").toString()).shape(GRAY_12)
                .resize(ResizePolicy.CROP).split(few.ratios()).batchSize(4).seed(42)
                .normalization(Normalization.Mode.SCALE).partitions(2).badInputThreshold(0.01).partitionBytes(1)
                .names(TestSettingNames.NAMES).build();
        assertEquals(10, many.tasks(ImageFolder.list(few.source(), TestSettingNames.NAMES,
                sc().hadoopConfiguration()).bytes(), 10));
        PreparedDataset a = prepare(few).dataset();
        PreparedDataset b = prepare(many).dataset();
        assertEquals(a.manifest().recipe(), b.manifest().recipe());
        for (Split split : Split.values()) {
            List<DataSet> x = a.load(split);
            List<DataSet> y = b.load(split);
            assertEquals(x.size(), y.size());
            for (int k = 0; k < x.size(); k++) {
                assertEquals(x.get(k).getFeatures(), y.get(k).getFeatures(), split + " batch " + k);
                assertEquals(x.get(k).getLabels(), y.get(k).getLabels(), split + " batch " + k);
            }
        }
    }
}
