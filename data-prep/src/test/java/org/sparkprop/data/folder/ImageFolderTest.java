package org.sparkprop.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.data.FlakyFileSystem;
import org.sparkprop.data.TestImages;
import org.sparkprop.data.TestSettingNames;
import org.sparkprop.data.split.Split;

class ImageFolderTest {
    @TempDir
    Path tmp;

    private static final byte[] PNG = TestImages.encode(TestImages.gray(8, 8, 1), "png");

    @Test
    void classIndicesComeFromSortedFolderNamesAndHiddenNamesAreSkipped() throws IOException {
        TestImages.write(tmp.resolve("dog/a.png"), PNG);
        TestImages.write(tmp.resolve("cat/b.png"), PNG);
        TestImages.write(tmp.resolve("cat/nested/c.png"), PNG);
        TestImages.write(tmp.resolve("ant/d.png"), PNG);
        TestImages.write(tmp.resolve("_SUCCESS/e.png"), PNG);
        TestImages.write(tmp.resolve("cat/.f.png.crc"), PNG);
        ImageFolder.Listing listing = ImageFolder.list(tmp.toUri().toString(), TestSettingNames.NAMES,
                new Configuration());
        assertEquals(List.of("ant", "cat", "dog"), listing.classes());
        assertFalse(listing.preSplit());
        List<ImageItem> items = listing.items().get(Split.TRAIN);
        assertEquals(4, items.size());
        assertEquals(List.of(0, 1, 1, 2), items.stream().map(ImageItem::label).toList());
        assertEquals(List.of(0, 1, 2, 3), items.stream().map(ImageItem::id).toList());
        assertTrue(items.get(2).path().endsWith("cat/nested/c.png"), items.get(2).path());
        assertTrue(listing.badInputs().isEmpty());
    }

    @Test
    void trainValTestFoldersAreKeptAsTheSplit() throws IOException {
        TestImages.write(tmp.resolve("train/a/1.png"), PNG);
        TestImages.write(tmp.resolve("train/b/2.png"), PNG);
        TestImages.write(tmp.resolve("test/b/3.png"), PNG);
        ImageFolder.Listing listing = ImageFolder.list(tmp.toString(), TestSettingNames.NAMES, new Configuration());
        assertTrue(listing.preSplit());
        assertEquals(2, listing.items().get(Split.TRAIN).size());
        assertEquals(1, listing.items().get(Split.TEST).size());
        assertEquals(1, listing.items().get(Split.TEST).get(0).label());
        assertEquals(null, listing.items().get(Split.VAL));
    }

    @Test
    void theFingerprintChangesWhenAFileChanges() throws IOException {
        TestImages.write(tmp.resolve("a/1.png"), PNG);
        String before = ImageFolder.list(tmp.toString(), TestSettingNames.NAMES, new Configuration()).fingerprint();
        assertEquals(before, ImageFolder.list(tmp.toString(), TestSettingNames.NAMES,
                new Configuration()).fingerprint());
        TestImages.write(tmp.resolve("a/2.png"), PNG);
        assertFalse(before.equals(ImageFolder.list(tmp.toString(), TestSettingNames.NAMES,
                new Configuration()).fingerprint()));
    }

    @Test
    void aMissingRootIsAClearErrorUpFront() {
        String root = tmp.resolve("nope").toString();
        DatasetLayoutException e = assertThrows(DatasetLayoutException.class,
                () -> ImageFolder.list(root, TestSettingNames.NAMES, new Configuration()));
        assertEquals("Dataset folder " + root + " does not exist. Point data.path at a folder of class folders"
                + " (ROOT/<class>/<image>), or create one with bin/sparkprop prep --idx.", e.getMessage());
    }

    @Test
    void anEmptyClassIsAClearErrorUpFront() throws IOException {
        TestImages.write(tmp.resolve("a/1.png"), PNG);
        Files.createDirectories(tmp.resolve("b"));
        DatasetLayoutException e = assertThrows(DatasetLayoutException.class,
                () -> ImageFolder.list(tmp.toString(), TestSettingNames.NAMES, new Configuration()));
        assertEquals("Class folder " + tmp + "/b holds no files: every class needs training images. Add images to"
                + " it or remove the folder.", e.getMessage());
    }

    @Test
    void aRootWithoutClassFoldersIsAClearError() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        String root = tmp.resolve("empty").toString();
        DatasetLayoutException e = assertThrows(DatasetLayoutException.class,
                () -> ImageFolder.list(root, TestSettingNames.NAMES, new Configuration()));
        assertEquals("Dataset folder " + root + " holds no class folders. Expected " + root
                + "/<class name>/<image file>, one folder per class.", e.getMessage());
    }

    @Test
    void unreadableFoldersAndFilesOutsideClassFoldersAreReportedNotDropped() throws IOException {
        TestImages.write(tmp.resolve("a/1.png"), PNG);
        TestImages.write(tmp.resolve("a/locked-sub/2.png"), PNG);
        TestImages.write(tmp.resolve("stray.png"), PNG);
        ImageFolder.Listing listing = ImageFolder.list(FlakyFileSystem.uri(tmp), TestSettingNames.NAMES,
                FlakyFileSystem.conf());
        assertEquals(1, listing.fileCount());
        List<BadInput> bad = listing.badInputs();
        assertEquals(2, bad.size(), bad.toString());
        assertEquals(BadInputReason.UNREADABLE, bad.get(0).reason());
        assertTrue(bad.get(0).path().endsWith("a/locked-sub"), bad.get(0).path());
        assertTrue(bad.get(0).detail().startsWith("cannot list the folder: java.nio.file.AccessDeniedException"),
                bad.get(0).detail());
        assertEquals(BadInputReason.NO_CLASS, bad.get(1).reason());
        assertTrue(bad.get(1).path().endsWith("/stray.png"));
    }

    @Test
    void aClassFolderThatCannotBeReadIsAClearErrorUpFront() {
        TestImages.write(tmp.resolve("a/1.png"), PNG);
        TestImages.write(tmp.resolve("locked-b/2.png"), PNG);
        DatasetLayoutException e = assertThrows(DatasetLayoutException.class,
                () -> ImageFolder.list(FlakyFileSystem.uri(tmp), TestSettingNames.NAMES, FlakyFileSystem.conf()));
        assertEquals("Class folder " + FlakyFileSystem.uri(tmp) + "/locked-b cannot be read (cannot list the folder:"
                + " java.nio.file.AccessDeniedException: flaky:" + tmp + "/locked-b: Permission denied), so the class"
                + " has no training images. Fix its permissions or remove it.", e.getMessage());
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void fifosLinkLoopsAndLinksOutOfTheFolderAreBadInputNeverReadOrFollowed() throws Exception {
        TestImages.write(tmp.resolve("data/cat/a.png"), PNG);
        TestImages.write(tmp.resolve("data/dog/b.png"), PNG);
        TestImages.write(tmp.resolve("elsewhere/secret.png"), PNG);
        Path cat = tmp.resolve("data/cat");
        assertEquals(0, new ProcessBuilder("mkfifo", cat.resolve("pipe.png").toString()).start().waitFor());
        Files.createSymbolicLink(cat.resolve("loop"), Path.of("."));
        Files.createSymbolicLink(cat.resolve("again"), Path.of(".."));
        Files.createSymbolicLink(cat.resolve("out.png"), tmp.resolve("elsewhere/secret.png"));
        Files.createSymbolicLink(cat.resolve("same.png"), cat.resolve("a.png"));

        ImageFolder.Listing listing = ImageFolder.list(tmp.resolve("data").toString(), TestSettingNames.NAMES,
                new Configuration());

        assertEquals(List.of("cat/a.png", "cat/same.png", "dog/b.png"), listing.items().get(Split.TRAIN).stream()
                .map(i -> i.path().substring(i.path().indexOf("data/") + 5)).toList());
        assertEquals(List.of("again link to a folder (" + tmp.toRealPath().resolve("data") + "), not followed",
                "loop link to a folder (" + cat.toRealPath() + "), not followed",
                "out.png link to " + tmp.toRealPath().resolve("elsewhere/secret.png") + ", outside the dataset folder",
                "pipe.png not a regular file (a FIFO, socket or device)"), listing.badInputs().stream()
                .map(b -> b.path().substring(b.path().lastIndexOf('/') + 1) + " " + b.detail()).sorted().toList());
        assertTrue(listing.badInputs().stream().allMatch(b -> b.reason() == BadInputReason.NOT_A_REGULAR_FILE));
    }
}
