package org.sparkprop.job.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;
import picocli.CommandLine.Option;

/** The {@code --set key=value} overrides of the commands that read a training config (a picocli mixin). */
final class ConfigOptions {
    @Option(names = "--set", paramLabel = "key=value",
            description = "override one config key (repeatable), e.g. --set epochs=1 --set output=runs/x")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--config-env", description = "let $${VAR} substitutions in the config read the environment (off:"
            + " a config that uses a variable it does not define is refused)")
    boolean environment;

    /** The config file with the overrides, as raw strings. */
    Map<String, String> raw(Path file) {
        return ConfigLoader.read(file, overrides, environment);
    }

    /** The config file with the overrides and {@code first} before them (so that the user's win). */
    TrainConfig load(Path file, String... first) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(overrides);
        return TrainConfig.of(ConfigLoader.read(file, all, environment));
    }
}
