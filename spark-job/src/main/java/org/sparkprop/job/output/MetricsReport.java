package org.sparkprop.job.output;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
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
     * One epoch's line. The accuracy, {@code evaluationLoss} and {@code evaluationF1Macro} are measured on the
     * per-epoch evaluation part: {@code valAccuracy} when the data has a validation part, else {@code testAccuracy};
     * the other is null and left out of the JSON, so that {@code test_accuracy} always means the test set.
     */
    public record Epoch(int epoch, double loss, @JsonInclude(JsonInclude.Include.NON_NULL) Double valAccuracy,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Double testAccuracy, double imagesPerSecond,
                        double trainSeconds, double elapsedSeconds, double evaluationLoss,
                        double evaluationF1Macro) {
        /** @param split the evaluated part: {@code val} or {@code test} */
        public static Epoch of(int epoch, double loss, String split, double accuracy, double imagesPerSecond,
                               double trainSeconds, double elapsedSeconds, double evaluationLoss,
                               double evaluationF1Macro) {
            boolean val = split.equals("val");
            return new Epoch(epoch, loss, val ? accuracy : null, val ? null : accuracy, imagesPerSecond,
                    trainSeconds, elapsedSeconds, evaluationLoss, evaluationF1Macro);
        }

        /** The accuracy on the per-epoch evaluation part, whichever it is. */
        @JsonIgnore
        public double evaluationAccuracy() {
            return valAccuracy != null ? valAccuracy : testAccuracy;
        }
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
