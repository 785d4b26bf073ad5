package org.sparkprop.data.fs;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}), except that setting a file's permission, which Hadoop 3.3 does on
 * every file it creates, is a system call rather than a forked {@code chmod} process. Without Hadoop's native
 * library (not shipped in {@code hadoop-client-runtime}) {@link RawLocalFileSystem#setPermission} runs
 * {@code Shell.execCommand("chmod", ...)}: writing the 1,563 batch files of 100,000 images forked about 3,000 times
 * (each file and its checksum), and the fork, not the images, took most of the export's time (a JFR profile of
 * {@code bench-export}; BENCHMARKS.md). Everything else is Hadoop's own: checksums, renames, listings. A permission
 * Java cannot set (sticky bit, a non-POSIX file system) falls back to Hadoop's way.
 * <p>
 * Installed as {@code fs.file.impl} twice: {@link #installAsDefault()} in the driver's JVM before any file system is
 * opened (Hadoop caches the first {@code file:} instance per JVM, whatever later configurations say), and
 * {@code spark.hadoop.fs.file.impl} in the job's Spark configuration for the executors.
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
    private static final String DEFAULTS = "org/sparkprop/data/fs/forkless-local-fs.xml";

    public ForklessLocalFileSystem() {
        super(new Raw());
    }

    /** Makes this the {@code file:} file system of every Hadoop configuration of this JVM; idempotent. */
    public static synchronized void installAsDefault() {
        Configuration.addDefaultResource(DEFAULTS);
    }

    /** The raw local file system with {@code setPermission} through {@link Files#setPosixFilePermissions}. */
    static final class Raw extends RawLocalFileSystem {
        private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };

        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            short mode = permission.toShort();
            if (!POSIX || (mode & ~0777) != 0) {
                super.setPermission(p, permission);
                return;
            }
            Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(mode));
        }

        static Set<PosixFilePermission> posix(short mode) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int bit = 0; bit < BITS.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    set.add(BITS[bit]);
                }
            }
            return set;
        }
    }
}
