package org.sparkprop.job;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;

/**
 * The training configs tests start from, built in one place: the quick start's (examples/mnist-lenet.conf) and a
 * small MLP on a generated image folder; each test sets what it is about on top.
 */
public final class TestConfig {
    private final Map<String, String> raw;

    private TestConfig(Map<String, String> raw) {
        this.raw = raw;
    }

    /** The quick-start config, writing to {@code output}. */
    public static TestConfig quickStart(Path output) {
        Map<String, String> raw = new LinkedHashMap<>(ConfigLoader.read(Path.of("../examples/mnist-lenet.conf"),
                java.util.List.of()));
        raw.put("output", output.toString());
        return new TestConfig(raw);
    }

    /** A 16- or 32-unit MLP trained with Adam on 2 workers from the 12x12 gray image folder at {@code dataPath}. */
    public static TestConfig smallFolder(String dataPath, Path output) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("data.path", dataPath);
        raw.put("data.image-size", "12x12x1");
        raw.put("model.name", "mlp");
        raw.put("model.hidden", "[32]");
        raw.put("optimizer.name", "adam");
        raw.put("optimizer.learning-rate", "0.01");
        raw.put("spark.workers", "2");
        raw.put("output", output.toString());
        return new TestConfig(raw);
    }

    /** Sets {@code key} to {@code value}. */
    public TestConfig set(String key, Object value) {
        raw.put(key, String.valueOf(value));
        return this;
    }

    /** Sets each {@code key=value}. */
    public TestConfig set(String... keyValues) {
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            raw.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return this;
    }

    public TrainConfig build() {
        return TrainConfig.of(raw);
    }
}
