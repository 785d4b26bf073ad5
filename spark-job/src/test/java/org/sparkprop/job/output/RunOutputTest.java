package org.sparkprop.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.config.ConfigException;

class RunOutputTest {
    @TempDir
    Path dir;

    @Test
    void anEarlierRunsResultsAreNotOverwrittenWithoutOverwrite() throws Exception {
        Files.writeString(dir.resolve("model.zip"), "earlier");

        ConfigException e = assertThrows(ConfigException.class, () -> RunOutput.prepare(dir, false));

        assertEquals("Output folder " + dir.toAbsolutePath() + " already holds model.zip from an earlier run. Pass"
                + " --overwrite to replace them, or choose another folder with --set output=DIR.", e.getMessage());
        assertEquals("earlier", Files.readString(dir.resolve("model.zip")));
        assertEquals(dir.resolve("model.zip"), RunOutput.prepare(dir, true).modelFile());
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");

        ConfigException e = assertThrows(ConfigException.class, () -> RunOutput.prepare(file, false));

        assertEquals("Invalid value " + file + " for configuration output: it is a file, not a folder. Set output to"
                + " a folder (new or empty).", e.getMessage());
    }

    @Test
    void aFailedWriteLeavesThePreviousFileAndNoTemporaryFile() throws Exception {
        Path target = Files.writeString(dir.resolve("metrics.json"), "previous");

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));

        assertEquals("disk full", e.getMessage());
        assertEquals("previous", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aSuccessfulWriteReplacesTheFileWhole() throws Exception {
        Path target = Files.writeString(dir.resolve("metrics.json"), "previous");

        AtomicFiles.write(target, tmp -> Files.writeString(tmp, "new"));

        assertEquals("new", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
