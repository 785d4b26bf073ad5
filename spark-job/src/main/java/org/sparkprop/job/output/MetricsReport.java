package org.sparkprop.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one run, written as {@code metrics.json}: the resolved config, one entry per epoch and a
 * {@code final} block.
 */
public final class MetricsReport {
    /** One epoch's line. */
    public record Epoch(int epoch, double loss, double testAccuracy, double imagesPerSecond, double trainSeconds,
                        double elapsedSeconds) {
    }

    /** Final test-set figures (macro averages over classes). */
    public record Final(double accuracy, double precision, double recall, double f1, int testExamples,
                        double wallSeconds) {
    }

    private final Map<String, Object> run = new LinkedHashMap<>();
    private final List<Epoch> epochs = new ArrayList<>();
    private Final result;

    public MetricsReport put(String key, Object value) {
        run.put(key, value);
        return this;
    }

    public void addEpoch(Epoch epoch) {
        epochs.add(epoch);
    }

    public List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    public void setFinal(Final result) {
        this.result = result;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>(run);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Epoch e : epochs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("loss", e.loss());
            row.put("test_accuracy", e.testAccuracy());
            row.put("images_per_second", e.imagesPerSecond());
            row.put("train_seconds", e.trainSeconds());
            row.put("elapsed_seconds", e.elapsedSeconds());
            rows.add(row);
        }
        out.put("epochs", rows);
        if (result != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("accuracy", result.accuracy());
            f.put("precision_macro", result.precision());
            f.put("recall_macro", result.recall());
            f.put("f1_macro", result.f1());
            f.put("test_examples", result.testExamples());
            f.put("wall_seconds", result.wallSeconds());
            out.put("final", f);
        }
        return out;
    }

    public void write(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(file, tmp -> mapper.writeValue(tmp.toFile(), toMap()));
    }
}
