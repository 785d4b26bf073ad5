package org.sparkprop.data.export;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.common.loader.Source;

/** A file on a Hadoop file system as a DL4J loader {@link Source}: what a {@code DataSetLoader} reads from. */
public final class HadoopSource implements Source {
    private final FileSystem fs;
    private final String file;

    public HadoopSource(FileSystem fs, String file) {
        this.fs = fs;
        this.file = file;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return fs.open(new Path(file));
    }

    @Override
    public String getPath() {
        return file;
    }
}
