package org.sparkprop.job.output;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file under a temporary name in the same folder, then renames it: readers never see half a file. */
public final class AtomicFiles {
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temporary) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Temporary files are created owner-only; results are rw-r--r-- like any other file written here. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    /** Writes the bytes of one file to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /**
     * {@link #write(Path, Writer)} on any Hadoop file system: a local {@code file:} path as above; elsewhere a
     * temporary file in the same folder, renamed over the target with {@code FileContext.rename(OVERWRITE)}, which
     * HDFS does atomically.
     */
    public static void write(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path target, StreamWriter writer)
            throws IOException {
        if ("file".equals(fs.getScheme())) {
            write(Path.of(fs.makeQualified(target).toUri()), tmp -> {
                try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
                    writer.writeTo(out);
                }
            });
            return;
        }
        org.apache.hadoop.fs.Path temporary = new org.apache.hadoop.fs.Path(target.getParent(),
                "." + target.getName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            try (java.io.OutputStream out = fs.create(temporary, false)) {
                writer.writeTo(out);
            }
            org.apache.hadoop.fs.FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temporary, target,
                    org.apache.hadoop.fs.Options.Rename.OVERWRITE);
        } finally {
            fs.delete(temporary, false);
        }
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            writer.writeTo(temporary);
            readableByAll(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
