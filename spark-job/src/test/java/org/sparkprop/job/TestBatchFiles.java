package org.sparkprop.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.dataset.DataSet;

/** Mini-batches written as DL4J batch files, for tests of what the executors load themselves. */
public final class TestBatchFiles {
    /** Reads a file back as it was written: no augmentation, no normalization. */
    public static final DataSetLoader PLAIN = source -> {
        DataSet batch = new DataSet();
        try (var in = source.getInputStream()) {
            batch.load(in);
        }
        return batch;
    };

    private TestBatchFiles() {
    }

    /** Writes {@code batches} to {@code dir} as batch-0.bin, batch-1.bin, ... and returns their URIs in order. */
    public static List<String> write(List<DataSet> batches, Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            Path file = dir.resolve("batch-" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                batches.get(i).save(out);
            }
            files.add(file.toUri().toString());
        }
        return files;
    }
}
