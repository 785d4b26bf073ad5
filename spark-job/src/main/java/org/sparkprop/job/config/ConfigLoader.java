package org.sparkprop.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Parse;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigParseable;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.io.File;
import java.net.URL;
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
        return read(file, overrides, false);
    }

    /**
     * @param environment whether {@code ${VAR}} substitutions may come from the environment (off by default: a
     *                    config that reaches for a variable it does not define is refused)
     */
    public static Map<String, String> read(Path file, List<String> overrides, boolean environment) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (file != null) {
            raw.putAll(readFile(file, environment));
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

    static Map<String, String> readFile(Path file, boolean environment) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Config file " + file.toAbsolutePath() + " not found. Pass an existing file,"
                    + " e.g. examples/mnist-lenet.conf");
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)
                    .setIncluder(new FileIncludesOnly(file))).resolve(ConfigResolveOptions.defaults()
                    .setUseSystemEnvironment(environment));
        } catch (ConfigException e) {
            throw e;
        } catch (com.typesafe.config.ConfigException.UnresolvedSubstitution e) {
            throw new ConfigException("Config file " + file + " uses a substitution it does not define ("
                    + e.getMessage() + "). Substitutions from the environment are off: define the value in the file,"
                    + " set it with --set, or pass --config-env to let ${VAR} read the environment.");
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

    /**
     * Lets a config include other files ({@code include "base.conf"}, {@code include file(...)}), never a URL
     * ({@code include url(...)}, or a quoted string with a scheme), which would fetch settings from the network,
     * nor a classpath resource.
     */
    private static final class FileIncludesOnly implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
            ConfigIncluderClasspath {
        private final Path file;

        FileIncludesOnly(Path file) {
            this.file = file;
        }

        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            if (what.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
                throw refused("include \"" + what + "\"");
            }
            ConfigParseable relative = context.relativeTo(what);
            if (relative == null || relative.origin() == null || relative.origin().filename() == null) {
                // Typesafe Config falls back to a classpath resource of that name: never read silently
                throw new ConfigException("Config file " + file + " has include \"" + what + "\", and there is no"
                        + " file " + what + " beside the file that includes it. Name an existing file, with its"
                        + " extension (include \"base.conf\").");
            }
            return relative.parse(context.parseOptions());
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File included) {
            return ConfigFactory.parseFileAnySyntax(included, context.parseOptions()).root();
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL url) {
            throw refused("include url(" + url + ")");
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String resource) {
            throw refused("include classpath(" + resource + ")");
        }

        private ConfigException refused(String what) {
            return new ConfigException("Config file " + file + " has " + what + ": a config may include other"
                    + " files only (include \"other.conf\"), never a URL or a classpath resource, so that a run's"
                    + " settings are all on this machine. Copy the settings into a file and include that.");
        }
    }
}
