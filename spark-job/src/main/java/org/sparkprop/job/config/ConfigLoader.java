package org.sparkprop.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Parse;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a HOCON config file and {@code --set key=value} overrides into the flat key/value strings that
 * {@link ConfigDef#parse} takes. Overrides are taken literally (no HOCON parsing), so values such as
 * {@code local[*]} need no quoting.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static Map<String, String> read(Path file, List<String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (file != null) {
            raw.putAll(readFile(file));
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Invalid override '" + override + "': expected --set key=value, e.g."
                        + " --set epochs=3");
            }
            raw.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        return raw;
    }

    static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Config file " + file.toAbsolutePath() + " not found. Pass an existing file,"
                    + " e.g. examples/mnist-lenet.conf");
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                    .resolve();
        } catch (Parse e) {
            throw new ConfigException("Config file " + file + " is not valid HOCON: " + e.getMessage());
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("Config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> raw = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.LIST) {
                raw.put(entry.getKey(), value.render(ConfigRenderOptions.concise()));
            } else {
                raw.put(entry.getKey(), value.valueType() == ConfigValueType.NULL ? ""
                        : String.valueOf(value.unwrapped()));
            }
        }
        return raw;
    }
}
