package org.sparkprop.job.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sparkprop.job.config.ConfigException;

/** The output folder of a training run and the files it holds. */
public final class RunOutput {
    public static final String MODEL_FILE = "model.zip";
    public static final String METRICS_FILE = "metrics.json";

    private final Path dir;

    private RunOutput(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks, before any training, that the run may write to {@code dir}: refuses a folder that already holds
     * results unless {@code overwrite}, and a path that is not a folder.
     */
    public static RunOutput prepare(Path dir, boolean overwrite) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("Invalid value " + dir + " for configuration output: it is a file, not a"
                    + " folder. Set output to a folder (new or empty).");
        }
        List<String> existing = new ArrayList<>();
        for (String name : List.of(MODEL_FILE, METRICS_FILE)) {
            if (Files.exists(dir.resolve(name))) {
                existing.add(name);
            }
        }
        if (!existing.isEmpty() && !overwrite) {
            throw new ConfigException("Output folder " + dir.toAbsolutePath() + " already holds "
                    + String.join(" and ", existing) + " from an earlier run. Pass --overwrite to replace them, or"
                    + " choose another folder with --set output=DIR.");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("Invalid value " + dir + " for configuration output: cannot create the folder ("
                    + e + "). Choose a writable folder with --set output=DIR.");
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("Invalid value " + dir + " for configuration output: the folder is not"
                    + " writable. Choose a writable folder with --set output=DIR.");
        }
        return new RunOutput(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path modelFile() {
        return dir.resolve(MODEL_FILE);
    }

    public Path metricsFile() {
        return dir.resolve(METRICS_FILE);
    }
}
