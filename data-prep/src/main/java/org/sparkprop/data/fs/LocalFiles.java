package org.sparkprop.data.fs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Where a Hadoop path of the local file system lies on the local disk, for what Hadoop cannot do (O_EXCL, lstat). */
public final class LocalFiles {
    private LocalFiles() {
    }

    /** {@code path} as a local path when {@code fs} is the local file system ({@code file:}), else null. */
    public static java.nio.file.Path of(FileSystem fs, Path path) {
        return "file".equals(fs.getUri().getScheme()) ? java.nio.file.Path.of(fs.makeQualified(path).toUri()) : null;
    }
}
