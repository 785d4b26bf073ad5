package org.sparkprop.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
    @TempDir
    Path dir;

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("output", "runs/x");
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return raw;
    }

    private static String errorOf(Map<String, String> raw) {
        return assertThrows(ConfigException.class, () -> TrainConfig.of(raw)).getMessage();
    }

    @Test
    void defaultsFillEveryKeyThatIsNotGiven() {
        TrainConfig config = TrainConfig.of(with());

        assertEquals(3, config.epochs());
        assertEquals(32, config.batchSize());
        assertEquals("local[*]", config.sparkMaster());
        assertEquals(true, config.saveUpdater());
        assertEquals("nesterov", config.hyperparameters().optimizer().name());
        assertEquals(TrainConfig.DEF.keys().keySet(), config.values().keySet());
    }

    @Test
    void aMissingOutputNamesTheKeyAndHowToSetIt() {
        Map<String, String> raw = with();
        raw.remove("output");

        assertEquals("Missing required configuration output: Output folder for model.zip and metrics.json. Existing"
                + " results there are not overwritten unless --overwrite is given. Set it in the config file or with"
                + " --set output=...", errorOf(raw));
    }

    @Test
    void anUnknownKeySuggestsTheClosestKnownOne() {
        String message = errorOf(with("epoch", "3"));

        assertEquals("Unknown configuration key epoch. Did you mean epochs? Known keys: averaging-frequency,"
                + " batch-size, data.dir, data.test-limit, data.train-limit, dataset, epochs, l2, learning-rate,"
                + " model, momentum, optimizer, output, seed, spark.master, spark.prefetch-batches,"
                + " spark.save-updater, spark.workers (bin/sparkprop train --help describes each).", message);
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        assertEquals("Invalid value three for configuration epochs: expected an integer. Change it in the config"
                + " file or with --set epochs=...", errorOf(with("epochs", "three")));
        assertEquals("Invalid value yes for configuration spark.save-updater: expected true or false. Change it in"
                + " the config file or with --set spark.save-updater=...", errorOf(with("spark.save-updater", "yes")));
    }

    @Test
    void aValueOutOfRangeNamesTheLimit() {
        assertEquals("Invalid value 0 for configuration epochs: must be at least 1. Change it in the config file or"
                + " with --set epochs=...", errorOf(with("epochs", "0")));
        assertEquals("Invalid value -0.1 for configuration learning-rate: must be a finite number greater than 0.0."
                + " Change it in the config file or with --set learning-rate=...", errorOf(with("learning-rate", "-0.1")));
        assertEquals("Invalid value 1.0 for configuration momentum: must be at most 0.999. Change it in the config"
                + " file or with --set momentum=...", errorOf(with("momentum", "1")));
    }

    @Test
    void aNameOutsideTheListNamesTheAllowedOnes() {
        assertEquals("Invalid value rmsprop for configuration optimizer: must be one of sgd, nesterov, adam. Change"
                + " it in the config file or with --set optimizer=...", errorOf(with("optimizer", "rmsprop")));
        assertEquals("Invalid value vgg for configuration model: must be one of lenet. Change it in the config file"
                + " or with --set model=...", errorOf(with("model", "vgg")));
        assertEquals("Invalid value cifar for configuration dataset: must be one of mnist, fashion. Change it in the"
                + " config file or with --set dataset=...", errorOf(with("dataset", "cifar")));
    }

    @Test
    void aTrainLimitBelowOneBatchIsRejectedAcrossKeys() {
        assertEquals("Invalid value 10 for configuration data.train-limit: smaller than one mini-batch (batch-size ="
                + " 32). Raise data.train-limit or lower batch-size.", errorOf(with("data.train-limit", "10")));
    }

    @Test
    void aHoconFileAndOverridesResolveTogetherWithOverridesWinning() throws Exception {
        Path file = Files.writeString(dir.resolve("job.conf"), "output = runs/a\nepochs = 5\n"
                + "spark { master = \"local[1]\", save-updater = false }\n");

        TrainConfig config = TrainConfig.of(ConfigLoader.read(file, List.of("epochs=2", "spark.master=local[*]")));

        assertEquals(2, config.epochs());
        assertEquals("local[*]", config.sparkMaster());
        assertEquals(false, config.saveUpdater());
        assertEquals(Path.of("runs/a"), config.output());
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Path file = dir.resolve("nope.conf");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.read(file, List.of()));

        assertEquals("Config file " + file.toAbsolutePath() + " not found. Pass an existing file, e.g."
                + " examples/mnist-lenet.conf", e.getMessage());
    }

    @Test
    void anOverrideWithoutAnEqualsSignIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.read(null, List.of("epochs")));

        assertEquals("Invalid override 'epochs': expected --set key=value, e.g. --set epochs=3", e.getMessage());
    }

    @Test
    void aListWhereOneValueBelongsIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("list.conf"), "output = runs/a\nepochs = [1, 2]\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.read(file, List.of()));

        assertEquals("Invalid value [1,2] for configuration epochs in " + file + ": expected a single value, not a"
                + " list", e.getMessage());
    }

    @Test
    void theExampleConfigIsValid() {
        TrainConfig config = TrainConfig.of(ConfigLoader.read(Path.of("../examples/mnist-lenet.conf"), List.of()));

        assertEquals(Path.of("runs/mnist-lenet"), config.output());
        assertEquals("lenet", config.model());
    }
}
