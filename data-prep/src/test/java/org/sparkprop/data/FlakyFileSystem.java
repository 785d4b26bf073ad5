package org.sparkprop.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code flaky://}, refusing to list folders and open files whose names
 * start with {@code locked}: how an unreadable folder or file looks when tests run as root, where permissions
 * cannot make one.
 */
public class FlakyFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "flaky";

    public static org.apache.hadoop.conf.Configuration conf() {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.set("fs." + SCHEME + ".impl", FlakyFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
        return conf;
    }

    public static String uri(java.nio.file.Path local) {
        return SCHEME + "://" + local.toAbsolutePath();
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileStatus[] listStatus(Path path) throws IOException {
        if (path.getName().startsWith("locked")) {
            throw new AccessDeniedException(path.toString(), null, "Permission denied");
        }
        return super.listStatus(path);
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        if (path.getName().startsWith("locked")) {
            throw new AccessDeniedException(path.toString(), null, "Permission denied");
        }
        return super.open(path, bufferSize);
    }
}
