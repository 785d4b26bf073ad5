package org.sparkprop.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one run, written as {@code metrics.json}: facts about the run (model, dataset, resolved config,
 * workers), one entry per epoch and a {@code final} block (test-set figures with confusion matrix). JSON names are
 * the snake_case of the record components.
 */
public final class MetricsReport {
    /**
     * One epoch's line. {@code testAccuracy}, {@code evaluationLoss} and {@code evaluationF1Macro} are measured on
     * the per-epoch evaluation part (validation when the data has one, else test).
     */
    public record Epoch(int epoch, double loss, double testAccuracy, double imagesPerSecond, double trainSeconds,
                        double elapsedSeconds, double evaluationLoss, double evaluationF1Macro) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> run = new LinkedHashMap<>();
    private final List<Epoch> epochs = new ArrayList<>();
    private Map<String, Object> result;

    public MetricsReport put(String key, Object value) {
        run.put(key, value);
        return this;
    }

    public Object get(String key) {
        return run.get(key);
    }

    public List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    public void addEpoch(Epoch epoch) {
        epochs.add(epoch);
    }

    /** The final block: accuracy, macro precision/recall/F1, top-5, loss, confusion matrix, wall time... */
    public void setFinal(Map<String, Object> result) {
        this.result = new LinkedHashMap<>(result);
    }

    public Map<String, Object> result() {
        return result;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>(run);
        out.put("epochs", epochs);
        if (result != null) {
            out.put("final", result);
        }
        return out;
    }

    public void write(Path file) throws IOException {
        writeJson(file, toMap());
    }

    /** Writes any map as indented JSON, atomically. */
    public static void writeJson(Path file, Map<String, Object> content) throws IOException {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), content));
    }
}
