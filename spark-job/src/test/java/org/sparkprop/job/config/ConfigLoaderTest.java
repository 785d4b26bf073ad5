package org.sparkprop.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a config file may pull in: other files, never the network; the environment only when asked. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void aUrlIncludeIsRefusedBeforeAnythingIsFetched() throws Exception {
        Path conf = Files.writeString(dir.resolve("remote.conf"), "include url(\"http://127.0.0.1:9/x.conf\")\n"
                + "epochs = 2\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.read(conf, List.of()));

        assertEquals("Config file " + conf + " has include url(http://127.0.0.1:9/x.conf): a config may include"
                + " other files only (include \"other.conf\"), never a URL or a classpath resource, so that a run's"
                + " settings are all on this machine. Copy the settings into a file and include that.",
                e.getMessage());
        Path bare = Files.writeString(dir.resolve("bare.conf"), "include \"https://127.0.0.1:9/x.conf\"\n");
        assertThrows(ConfigException.class, () -> ConfigLoader.read(bare, List.of()));
    }

    @Test
    void anIncludedFileNextToTheConfigIsRead() throws Exception {
        Files.writeString(dir.resolve("base.conf"), "epochs = 7\nbatch-size = 16\n");
        Path conf = Files.writeString(dir.resolve("run.conf"), "include \"base.conf\"\nbatch-size = 8\n");

        assertEquals("7", ConfigLoader.read(conf, List.of()).get("epochs"));
        assertEquals("8", ConfigLoader.read(conf, List.of()).get("batch-size"));
    }

    @Test
    void theEnvironmentIsReadOnlyWhenAskedFor() throws Exception {
        Path conf = Files.writeString(dir.resolve("env.conf"), "output = ${HOME}\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.read(conf, List.of()));

        assertTrue(e.getMessage().startsWith("Config file " + conf + " uses a substitution it does not"
                + " define ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("). Substitutions from the environment are off: define the value"
                + " in the file, set it with --set, or pass --config-env to let ${VAR} read the environment."),
                e.getMessage());
        assertEquals(System.getenv("HOME"), ConfigLoader.read(conf, List.of(), true).get("output"));
    }

    @Test
    void anIncludeOfAMissingFileIsRefusedRatherThanReadFromTheClasspath() throws Exception {
        Path conf = Files.writeString(dir.resolve("run.conf"), "include \"log4j2-test.properties\"\nbatch-size = 8\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.read(conf, List.of()));

        assertEquals("Config file " + conf + " has include \"log4j2-test.properties\", and there is no file"
                + " log4j2-test.properties beside the file that includes it. Name an existing file, with its"
                + " extension (include \"base.conf\").", e.getMessage());
    }

    @Test
    void aListValueCarryingAnIncludeIsRefusedRatherThanReplacedByWhatItIncludes() throws Exception {
        Path other = Files.writeString(dir.resolve("other.conf"), "v = [999]\n");
        Path conf = Files.writeString(dir.resolve("list.conf"), "model.name = mlp\nmodel.hidden = \"[64]\\ninclude"
                + " file(\\\"" + other + "\\\")\"\ndataset = mnist\noutput = " + dir.resolve("out") + "\n");

        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.of(ConfigLoader.read(conf,
                List.of())));

        assertTrue(e.getMessage().startsWith("Invalid value [64]\ninclude file(\"" + other + "\") for configuration"
                + " model.hidden: expected a list such as [64, 32]"), e.getMessage());
    }
}
