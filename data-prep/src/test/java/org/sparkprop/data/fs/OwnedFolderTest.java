package org.sparkprop.data.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedFolderTest {
    @TempDir
    Path dir;

    private OwnedFolder features(Path folder) throws IOException {
        return new OwnedFolder(folder.toString(), new Configuration(), "_sparkprop-features",
                Pattern.compile("train-\\d{6}\\.bin"), "features folder", "transfer.features-dir");
    }

    @Test
    void aHomeFolderIsNeverEmptied() throws IOException {
        Files.writeString(dir.resolve("thesis.tex"), "years of work");
        Files.createDirectories(dir.resolve("photos"));

        IOException e = assertThrows(IOException.class, () -> features(dir).claim());

        assertEquals("Folder " + dir + " is not empty and is not a features folder made by sparkprop (no"
                + " _sparkprop-features in it), so it is left alone. Point transfer.features-dir at a new or empty"
                + " folder.", e.getMessage());
        features(dir).release();
        assertTrue(Files.exists(dir.resolve("thesis.tex")));
        assertTrue(Files.isDirectory(dir.resolve("photos")));
    }

    @Test
    void releaseDeletesOnlyTheRunsFilesAndKeepsAFolderThatStillHoldsOthers() throws IOException {
        Path folder = dir.resolve("features");
        OwnedFolder owned = features(folder);
        owned.claim();
        Files.writeString(folder.resolve("train-000000.bin"), "features");
        Files.writeString(folder.resolve("train-000001.bin"), "features");
        Files.writeString(folder.resolve("model.zip"), "the user's");

        owned.release();

        assertFalse(Files.exists(folder.resolve("train-000000.bin")));
        assertFalse(Files.exists(folder.resolve("_sparkprop-features")));
        assertEquals("the user's", Files.readString(folder.resolve("model.zip")));
    }

    @Test
    void aFolderLeftEmptyIsRemovedAndClaimingOursAgainStartsClean() throws IOException {
        Path folder = dir.resolve("features");
        OwnedFolder owned = features(folder);
        owned.claim();
        Files.writeString(folder.resolve("train-000000.bin"), "old");

        owned.claim();

        assertFalse(Files.exists(folder.resolve("train-000000.bin")), "an earlier run's features");
        assertTrue(owned.isOurs());
        owned.release();
        assertFalse(Files.exists(folder));
    }
}
