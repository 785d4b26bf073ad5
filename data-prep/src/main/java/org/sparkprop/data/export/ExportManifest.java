package org.sparkprop.data.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.Split;

/**
 * {@code manifest.json} of a pre-batched copy: where it came from, shapes, counts per class and split, the
 * normalization (with its statistics), the seed, and the recipe digest that decides reuse. Written last, so a copy
 * without a manifest is incomplete and gets rebuilt.
 */
public record ExportManifest(int format, String recipe, String source, String sourceFingerprint, String imageSize,
                             String resize, List<String> classes, String splitMode, String splitRatios, long seed,
                             int batchSize, NormalizationInfo normalization, Map<String, SplitInfo> splits,
                             BadInputInfo badInput, String created) {
    public static final String FILE_NAME = "manifest.json";

    public record NormalizationInfo(String mode, double[] mean, double[] std) {
        public Normalization toNormalization() {
            return new Normalization(Normalization.Mode.parse(mode), mean, std);
        }
    }

    /**
     * Examples, batch files and examples per class (in class index order) of one split.
     *
     * @param shortBatches the rows of each batch file holding fewer than the batch size, by file index: the last
     *                     file of a split, and any whose planned images included bad files
     */
    public record SplitInfo(long examples, int batches, long[] perClass, Map<Integer, Integer> shortBatches) {
        public SplitInfo {
            // sorted, so the manifest lists them in file order
            shortBatches = Collections.unmodifiableMap(shortBatches == null ? new TreeMap<>()
                    : new TreeMap<>(shortBatches));
        }

        /** Examples in batch file {@code index} of a copy of {@code batchSize}. */
        public int rows(int index, int batchSize) {
            return shortBatches.getOrDefault(index, batchSize);
        }

        /** Examples in the first {@code files} batch files of a copy of {@code batchSize}. */
        public long examples(int files, int batchSize) {
            long sum = 0;
            for (int k = 0; k < files; k++) {
                sum += rows(k, batchSize);
            }
            return sum;
        }
    }

    public record BadInputInfo(long skipped, long examined, Map<String, Integer> byReason, String report) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public Normalization toNormalization() {
        return normalization.toNormalization();
    }

    /** The split's counts, or null when the copy has no such split. */
    public SplitInfo split(Split split) {
        return splits.get(split.id());
    }

    public void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    public static ExportManifest read(InputStream in) throws IOException {
        return JSON.readValue(in, ExportManifest.class);
    }
}
