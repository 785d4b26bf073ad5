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
 * workers), one entry per epoch and a {@code final} block. JSON names are the snake_case of the record components.
 */
public final class MetricsReport {
    /** One epoch's line. */
    public record Epoch(int epoch, double loss, double testAccuracy, double imagesPerSecond, double trainSeconds,
                        double elapsedSeconds) {
    }

    /** Final test-set figures (precision, recall and F1 are macro averages over classes). */
    public record Final(double accuracy, double precisionMacro, double recallMacro, double f1Macro, int testExamples,
                        double wallSeconds) {
    }

    private final Map<String, Object> run = new LinkedHashMap<>();
    private final List<Epoch> epochs = new ArrayList<>();
    private Final result;

    public MetricsReport put(String key, Object value) {
        run.put(key, value);
        return this;
    }

    public List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    public void addEpoch(Epoch epoch) {
        epochs.add(epoch);
    }

    public void setFinal(Final result) {
        this.result = result;
    }

    private Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>(run);
        out.put("epochs", epochs);
        if (result != null) {
            out.put("final", result);
        }
        return out;
    }

    public void write(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(file, tmp -> mapper.writeValue(tmp.toFile(), toMap()));
    }
}
