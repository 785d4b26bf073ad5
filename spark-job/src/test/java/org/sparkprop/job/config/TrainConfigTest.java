package org.sparkprop.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkprop.job.train.TrainerSettings;
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

        assertEquals(3, config.trainer().epochs());
        assertEquals(32, config.trainer().batchSize());
        assertEquals("local[*]", config.trainer().sparkMaster());
        assertEquals(true, config.trainer().saveUpdater());
        assertEquals("nesterov", config.optimizer().hyperparameters().optimizer().name());
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

        assertEquals("Unknown configuration key epoch. Did you mean epochs? bin/sparkprop train --help describes all"
                + " 90 keys.", message);
        assertEquals("Unknown configuration key optimizer.lr. Keys under optimizer: optimizer.beta1, optimizer.beta2,"
                + " optimizer.cosine-period, optimizer.decay-rate, optimizer.decay-steps, optimizer.epsilon,"
                + " optimizer.learning-rate, optimizer.min-learning-rate, optimizer.momentum, optimizer.name,"
                + " optimizer.power, optimizer.rho, optimizer.schedule, optimizer.schedule-unit,"
                + " optimizer.warmup-iterations. bin/sparkprop train --help describes all 90 keys.",
                errorOf(with("optimizer.lr", "0.1")));
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
        assertEquals("Invalid value -0.1 for configuration optimizer.learning-rate: must be a finite number greater"
                + " than 0.0. Change it in the config file or with --set optimizer.learning-rate=...",
                errorOf(with("optimizer.learning-rate", "-0.1")));
        assertEquals("Invalid value 1.0 for configuration optimizer.momentum: must be at most 0.999. Change it in the"
                + " config file or with --set optimizer.momentum=...", errorOf(with("optimizer.momentum", "1")));
    }

    @Test
    void aNameOutsideTheListNamesTheAllowedOnes() {
        assertEquals("Invalid value adamw for configuration optimizer.name: must be one of sgd, momentum, nesterov,"
                + " adam, nadam, rmsprop, adagrad. Change it in the config file or with --set optimizer.name=...",
                errorOf(with("optimizer.name", "adamw")));
        assertEquals("Invalid value vgg for configuration model.name: must be one of mlp, seed-mlp, dropout-mlp,"
                + " bn-mlp, seed-cnn, lenet, lenet-bn, alexnet, vgg16, resnet18, resnet50, custom. Change it in the"
                + " config file or with --set model.name=...", errorOf(with("model.name", "vgg")));
        assertEquals("Invalid value gelu for configuration model.activation: must be one of sigmoid, tanh, relu, elu,"
                + " softmax, identity. Change it in the config file or with --set model.activation=...",
                errorOf(with("model.activation", "gelu")));
        assertEquals("Invalid value hinge for configuration model.loss: must be one of categorical-crossentropy,"
                + " binary-crossentropy, squared-error. Change it in the config file or with --set model.loss=...",
                errorOf(with("model.loss", "hinge")));
        assertEquals("Invalid value linear for configuration optimizer.schedule: must be one of constant, step,"
                + " exponential, inverse-time, cosine. Change it in the config file or with --set"
                + " optimizer.schedule=...", errorOf(with("optimizer.schedule", "linear")));
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

        assertEquals(2, config.trainer().epochs());
        assertEquals("local[*]", config.trainer().sparkMaster());
        assertEquals(false, config.trainer().saveUpdater());
        assertEquals(Path.of("runs/a"), config.output().dir());
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

        assertEquals("Invalid value [1,2] for configuration epochs: expected an integer. Change it in the config file"
                + " or with --set epochs=...", errorOf(ConfigLoader.read(file, List.of())));
    }

    @Test
    void aCustomLayerListInHoconBuildsTheModelItDescribes() throws Exception {
        Path file = Files.writeString(dir.resolve("custom.conf"), "output = runs/a\nmodel {\n  name = custom\n"
                + "  layers = [\n    {type = conv, filters = 4, kernel = 3}\n    {type = maxpool, size = 2}\n"
                + "    {type = flatten}\n    {type = dense, units = 16, activation = tanh}\n"
                + "    {type = output, loss = squared-error}\n  ]\n}\n");

        TrainConfig config = TrainConfig.of(ConfigLoader.read(file, List.of()));

        assertEquals(List.of("conv", "maxpool", "flatten", "dense", "output"),
                config.model().spec().layers().stream().map(l -> l.type()).toList());
        assertEquals("identity", config.model().spec().output().effectiveActivation());
    }

    @Test
    void aBadLayerNamesItsIndexAndTheAllowedValues() {
        assertEquals("Invalid configuration model.layers[1]: unknown layer type 'pool'; allowed types: dense, conv,"
                + " maxpool, avgpool, globalavgpool, flatten, dropout, batchnorm, activation, output, residual.",
                errorOf(with("model.name", "custom", "model.layers", "[{type = dense, units = 8}, {type = pool},"
                        + " {type = output}]")));
        assertEquals("Invalid configuration model.layers[0]: unknown key 'filter' for a conv layer; allowed:"
                + " activation, bias, filters, kernel, padding, stride, weight-init.",
                errorOf(with("model.name", "custom", "model.layers", "[{type = conv, filter = 8}, {type = output}]")));
        assertEquals("Invalid configuration model.layers[0]: unknown activation 'gelu'; known: sigmoid, tanh, relu,"
                + " elu, softmax, identity.", errorOf(with("model.name", "custom", "model.layers",
                "[{type = dense, units = 8, activation = gelu}, {type = output}]")));
        assertEquals("Invalid configuration model.layers: the last layer must be of type output, got dense.",
                errorOf(with("model.name", "custom", "model.layers", "[{type = dense, units = 8}]")));
    }

    @Test
    void modelKeysThatDoNotFitTheChosenModelAreRefusedNamingTheKey() {
        assertEquals("Invalid configuration model.hidden: option hidden applies to mlp, seed-mlp, dropout-mlp, bn-mlp"
                + " only, not to lenet (write a custom layer list to change its layers).",
                errorOf(with("model.hidden", "[64]")));
        assertEquals("Invalid configuration model.dropout: option dropout applies to mlp, seed-mlp, dropout-mlp, bn-mlp"
                + " only, not to custom (write the layers into the list itself).", errorOf(with("model.name", "custom",
                "model.layers", "[{type = dense, units = 8}, {type = output}]", "model.dropout", "0.5")));
        assertEquals("Missing configuration model.layers: model.name = custom needs a layer list, e.g. [{type = dense,"
                + " units = 64}, {type = output}]. Set it, or pick a catalogue model.",
                errorOf(with("model.name", "custom")));
        assertEquals("Invalid configuration model.layers: a layer list is only read when model.name = custom, but"
                + " model.name = lenet. Set model.name = custom or remove model.layers.",
                errorOf(with("model.layers", "[{type = output}]")));
        assertEquals("Invalid value [64, 0] for configuration model.hidden: every width must be an integer >= 1."
                + " Change it in the config file or with --set model.hidden=...",
                errorOf(with("model.name", "mlp", "model.hidden", "[64, 0]")));
    }

    @Test
    void anOptimizerScheduleAndRegularizationResolveFromKeys() {
        TrainConfig config = TrainConfig.of(with("optimizer.name", "adam", "optimizer.learning-rate", "0.002",
                "optimizer.schedule", "cosine", "optimizer.warmup-iterations", "100", "epochs", "4",
                "regularization.l1", "1e-5", "regularization.weight-decay", "1e-4"));

        var hp = config.optimizer().hyperparameters();
        assertEquals("adam lr 0.002, beta1 0.9, beta2 0.999, epsilon 1.0E-8, schedule cosine to 0.0 over 4 epochs,"
                + " 100 warmup iterations", hp.optimizer().toString());
        assertEquals(1e-5, hp.regularization().l1());
        assertEquals(1e-4, hp.regularization().weightDecay());
    }

    @Test
    void theCustomCnnExampleDescribesTheCatalogueSeedCnn() {
        TrainConfig custom = TrainConfig.of(ConfigLoader.read(Path.of("../examples/mnist-custom-cnn.conf"),
                List.of()));
        TrainConfig catalogue = TrainConfig.of(with("model.name", "seed-cnn"));
        var input = new org.sparkprop.model.InputShape(28, 28, 1);

        var a = org.sparkprop.model.build.NetworkBuilder.build(custom.model().spec(), input, 10,
                custom.optimizer().hyperparameters()).summary();
        var b = org.sparkprop.model.build.NetworkBuilder.build(catalogue.model().spec(), input, 10,
                catalogue.optimizer().hyperparameters()).summary();
        assertEquals(b.rows(), a.rows());
        assertEquals(9_269, a.totalParams());
        assertEquals("rmsprop lr 0.002, rho 0.9, epsilon 1.0E-8, schedule cosine to 1.0E-4 over 5 epochs, 200 warmup"
                + " iterations", custom.optimizer().hyperparameters().optimizer().toString());
    }

    @Test
    void theExampleConfigIsValid() {
        TrainConfig config = TrainConfig.of(ConfigLoader.read(Path.of("../examples/mnist-lenet.conf"), List.of()));

        assertEquals(Path.of("runs/mnist-lenet"), config.output().dir());
        assertEquals("lenet", config.model().name());
    }

    @Test
    void anImageFolderNeedsAnImageSize() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.of(Map.of("output", "x", "data.path", "hdfs://nn/data/flowers")));
        assertEquals("Missing configuration data.image-size: data.path = hdfs://nn/data/flowers needs the size its"
                + " images are brought to, e.g. data.image-size = 28x28x1 (gray) or 224x224x3 (RGB).", e.getMessage());
    }

    @Test
    void malformedImageSizesSplitsAndAugmentationsNameTheKey() {
        assertEquals("Invalid value 28x28x2 for configuration data.image-size: channels must be 1 (gray) or 3 (RGB),"
                        + " got 2. Change it in the config file or with --set data.image-size=...",
                assertThrows(ConfigException.class, () -> TrainConfig.of(Map.of("output", "x", "data.path", "/d",
                        "data.image-size", "28x28x2"))).getMessage());
        assertEquals("Invalid value 0.9,0.2,0.1 for configuration data.split: ratios 0.9,0.2,0.1 must be train > 0,"
                        + " val >= 0, test >= 0 and add up to 1, e.g. 0.8,0.1,0.1. Change it in the config file or"
                        + " with --set data.split=...",
                assertThrows(ConfigException.class, () -> TrainConfig.of(Map.of("output", "x", "data.split",
                        "0.9,0.2,0.1"))).getMessage());
        assertEquals("Invalid configuration data.augment[0].type 'blur' is unknown; types: translate, rotate, mirror,"
                        + " scale, crop, intensity, color-jitter, noise.",
                assertThrows(ConfigException.class, () -> TrainConfig.of(Map.of("output", "x", "data.path", "/d",
                        "data.image-size", "8x8x1", "data.augment", "[{\"type\": \"blur\"}]"))).getMessage());
    }

    @Test
    void augmentationWithoutAnImageFolderSaysHowToMakeOne() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.of(Map.of("output", "x",
                "data.augment", "[{\"type\": \"rotate\"}]")));
        assertEquals("Invalid configuration data.augment: augmentation runs on the executors over an image folder, so"
                + " it needs data.path. For mnist, make one with bin/sparkprop prep --idx mnist --to DIR and set"
                + " data.path = DIR.", e.getMessage());
    }

    @Test
    void theBatchCopyDefaultsToASiblingOfTheData() {
        TrainConfig config = TrainConfig.of(Map.of("output", "x", "data.path", "hdfs://nn/data/flowers/",
                "data.image-size", "64x64x3"));
        assertEquals("hdfs://nn/data/flowers-batches", config.data().batchesPath());
    }

    @Test
    void theImageFolderExampleResolvesToTheQuickStartPlusFolderAndAugmentation() {
        TrainConfig config = TrainConfig.of(ConfigLoader.read(Path.of("../examples/mnist-folder-augmented.conf"),
                List.of()));
        assertEquals("lenet", config.model().name());
        assertEquals("data/mnist-png", config.data().path());
        assertEquals("28x28x1", config.data().imageSize().toString());
        assertEquals("data/mnist-png-batches", config.data().batchesPath());
        assertEquals("translate p=0.5 Translate[range=0.08], rotate p=0.5 Rotate[range=10.0], scale p=0.5"
                + " Scale[range=0.1]", config.data().augmentation().toString());
    }

    @Test
    void taskGpusWithoutExecutorGpusAreRefused() {
        assertEquals("Invalid value 1.0 for configuration spark.gpu.task-amount: tasks cannot use GPUs when executors"
                + " have none (spark.gpu.executor-amount = 0). Set spark.gpu.executor-amount as well, or unset"
                + " spark.gpu.task-amount.", errorOf(with("spark.gpu.task-amount", "1")));
    }

    @Test
    void executorGpusNeedADiscoveryScript() {
        assertEquals("Missing configuration spark.gpu.discovery-script: spark.gpu.executor-amount = 1 needs the script"
                + " Spark runs on each executor host to find its GPUs, e.g. spark.gpu.discovery-script ="
                + " /opt/sparkprop/conf/getGpusResources.sh (deploy/conf/).",
                errorOf(with("spark.gpu.executor-amount", "1", "spark.master", "yarn")));
    }

    @Test
    void executorGpusInLocalModeAreRefused() {
        assertEquals("Invalid value 1 for configuration spark.gpu.executor-amount: Spark local mode (spark.master ="
                + " local[*]) has no executors to give GPUs to. Submit to a cluster (deploy/bin/submit), or set"
                + " spark.gpu.executor-amount = 0; a GPU build (mvn -Pgpu) uses the local GPU without it.",
                errorOf(with("spark.gpu.executor-amount", "1", "spark.gpu.discovery-script", "/gpus.sh")));
    }

    @Test
    void gradientSharingRefusesTheExportApproach() {
        assertEquals("Invalid value export for configuration spark.rdd-approach: spark.trainer = shared-gradients"
                + " takes its data directly. Set spark.rdd-approach = direct or spark.trainer = averaging.",
                errorOf(with("spark.trainer", "shared-gradients", "spark.rdd-approach", "export")));
    }

    @Test
    void theAllreduceTrainerReadsItsOwnKeysAndRefusesDl4jStatisticsAndTheExportApproach() {
        assertEquals(new TrainerSettings.Allreduce(600, 30, 2),
                TrainConfig.of(with("spark.trainer", "allreduce")).trainer().method());
        assertEquals(new TrainerSettings.Allreduce(90, 0.5, 0), TrainConfig.of(with("spark.trainer", "allreduce",
                "spark.allreduce.timeout-seconds", "90", "spark.allreduce.stage-seconds", "0.5",
                "spark.allreduce.retries", "0")).trainer().method());
        assertEquals("Invalid value true for configuration spark.collect-stats: DL4J's statistics come from its"
                + " training masters, and spark.trainer = allreduce uses none. Set spark.collect-stats = false, or"
                + " spark.trainer = averaging to see DL4J's timeline.",
                errorOf(with("spark.trainer", "allreduce", "spark.collect-stats", "true")));
        assertEquals("Invalid value export for configuration spark.rdd-approach: spark.trainer = allreduce"
                + " takes its data directly. Set spark.rdd-approach = direct or spark.trainer = averaging.",
                errorOf(with("spark.trainer", "allreduce", "spark.rdd-approach", "export")));
        assertEquals("Invalid value 4 for configuration spark.workers: spark.trainer = allreduce starts every replica"
                + " at once in a barrier stage, and spark.master = local[2] has 2 task slots. Set spark.workers <= 2"
                + " (0: one per slot), or spark.master = local[4].",
                errorOf(with("spark.trainer", "allreduce", "spark.master", "local[2]", "spark.workers", "4")));
        TrainConfig.of(with("spark.trainer", "allreduce", "spark.master", "local[4,2]", "spark.workers", "4"));
        TrainConfig.of(with("spark.trainer", "allreduce", "spark.master", "spark://h:7077", "spark.workers", "64"));
    }

    @Test
    void aDeserializedStorageLevelIsRefusedBecauseDataSetsLiveOffHeap() {
        assertEquals("Invalid value MEMORY_ONLY for configuration spark.storage-level: must be one of NONE,"
                + " MEMORY_ONLY_SER, MEMORY_AND_DISK_SER, DISK_ONLY, MEMORY_ONLY_SER_2, MEMORY_AND_DISK_SER_2,"
                + " DISK_ONLY_2, OFF_HEAP. Change it in the config file or with --set spark.storage-level=...",
                errorOf(with("spark.storage-level", "MEMORY_ONLY")));
    }

    @Test
    void theTrainerKnobsHaveDocumentedDefaults() {
        TrainConfig config = TrainConfig.of(with());

        assertEquals(new TrainerSettings.Allreduce(600, 30, 2), config.trainer().method());
        assertEquals(new TrainerSettings.Averaging(false, "never", "NONE"),
                TrainConfig.of(with("spark.trainer", "averaging")).trainer().method());
        assertEquals(false, config.trainer().collectStats());
        assertEquals(1, config.checkpoint().everyEpochs());
        assertEquals(2, config.checkpoint().keep());
        assertEquals(0, config.evaluation().earlyStoppingPatience());
        assertEquals(Path.of("runs/x/checkpoints").toAbsolutePath().toString(), config.checkpoint().dir());
    }

    @Test
    void onlyResultDefiningKeysEnterTheCheckpointHash() {
        Map<String, String> base = TrainConfig.of(with()).resultDefiningValues();

        assertEquals(base, TrainConfig.of(with("epochs", "9", "output", "elsewhere", "checkpoint.keep", "5",
                "early-stopping.patience", "2", "spark.prefetch-batches", "4", "report", "false"))
                .resultDefiningValues());
        assertNotEquals(base, TrainConfig.of(with("optimizer.learning-rate", "0.02")).resultDefiningValues());
        assertNotEquals(base, TrainConfig.of(with("seed", "7")).resultDefiningValues());
        assertNotEquals(TrainConfig.of(with("optimizer.schedule", "cosine")).resultDefiningValues(),
                TrainConfig.of(with("optimizer.schedule", "cosine", "epochs", "9")).resultDefiningValues(),
                "a cosine schedule over the whole run changes with the epoch count");
    }

    @Test
    void transferKeysWithoutASourceOrForAnotherModeAreRefusedBeforeSparkStarts() {
        assertEquals("Invalid configuration transfer.freeze: it is only read when transfer.source names a pretrained"
                + " network. Set transfer.source or remove transfer.freeze.", errorOf(with("transfer.freeze", "3")));
        assertEquals("Invalid configuration transfer.unfreeze-top: transfer.mode = feature-extractor does not use it."
                + " Remove it, or pick the mode that does (transfer.mode = fine-tune trains the top pretrained"
                + " layers).", errorOf(with("transfer.source", "m.zip", "transfer.unfreeze-top", "2")));
        assertEquals("Invalid configuration transfer.freeze = 3 with transfer.unfreeze-top = 2: both say which"
                + " pretrained layers train. Set only one.", errorOf(with("transfer.source", "m.zip", "transfer.mode",
                "fine-tune", "transfer.freeze", "3", "transfer.unfreeze-top", "2")));
        assertEquals("Invalid configuration data.augment with transfer.featurize = once: features computed once cannot"
                + " see each epoch's new augmentation. Set transfer.featurize = every-epoch, or remove data.augment.",
                errorOf(with("transfer.source", "m.zip", "data.path", "/d", "data.image-size", "28x28x1",
                        "data.augment", "[{type = mirror}]")));
    }

    @Test
    void classSelectionIsForIdxDataAndNeedsDistinctKnownClasses() {
        assertEquals("Invalid value [3, 3] for configuration data.classes: every entry must be a distinct class index"
                + " 0..9 of mnist. Change it in the config file or with --set data.classes=...",
                errorOf(with("data.classes", "[3, 3]")));
        assertEquals("Invalid configuration data.train-per-class: it selects from an IDX dataset, but data.path = /d"
                + " reads an image folder. Remove data.train-per-class and arrange the folder's classes instead.",
                errorOf(with("data.path", "/d", "data.image-size", "28x28x1", "data.train-per-class", "10")));
        int[] classes = TrainConfig.of(with("data.classes", "[5, 6, 7, 8, 9]")).data().classes();
        assertEquals(5, classes.length);
        assertEquals(0.001, TrainConfig.of(with("transfer.source", "m.zip", "transfer.mode", "fine-tune"))
                .transfer().pretrainedLearningRate(), 1e-12, "a tenth of the default learning rate 0.01");
    }

    @Test
    void foldersThatOverlapAreRefusedNamingBothKeys() {
        String out = dir.resolve("run").toString();
        assertEquals("Invalid configuration output = " + out + " with transfer.features-dir = " + out + ": they are"
                + " the same folder, so one could overwrite or delete the other's files. Give each its own folder.",
                errorOf(with("output", out, "transfer.source", "m.zip", "transfer.features-dir", out)));
        assertEquals("Invalid configuration output = " + out + " with transfer.features-dir = " + dir.toUri() + ":"
                + " output lies inside transfer.features-dir, so one could overwrite or delete the other's files. Give"
                + " each its own folder.", errorOf(with("output", out, "transfer.source", "m.zip",
                "transfer.features-dir", dir.toUri().toString())));
        assertEquals("Invalid configuration output = " + out + " with checkpoint.dir = " + dir + ": output lies inside"
                + " checkpoint.dir, so one could overwrite or delete the other's files. Give each its own folder.",
                errorOf(with("output", out, "checkpoint.dir", dir.toString())));
    }

    @Test
    void theDataFolderHoldsNothingTheRunWrites() {
        assertEquals("Invalid configuration output = /data/photos/run with data.path = /data/photos: output lies"
                + " inside data.path, so one could overwrite or delete the other's files. Give each its own folder.",
                errorOf(with("output", "/data/photos/run", "data.path", "/data/photos", "data.image-size", "28x28x1")));
        assertEquals("Invalid configuration data.path = file:///data/photos with data.batches = /data/photos/copy:"
                + " data.batches lies inside data.path, so one could overwrite or delete the other's files. Give each"
                + " its own folder.", errorOf(with("data.path", "file:///data/photos", "data.batches",
                "/data/photos/copy", "data.image-size", "28x28x1")));
    }

    @Test
    void theRunsOwnFoldersMayLieInsideItsOutput() {
        TrainConfig.of(with("data.path", "/data/photos", "data.image-size", "28x28x1", "data.batches",
                "runs/x/batches", "checkpoint.dir", "runs/x/ckpt", "transfer.source", "m.zip",
                "transfer.features-dir", "runs/x/features"));
        TrainConfig.of(with("transfer.source", "m.zip")); // the defaults: <output>/checkpoints, <output>/features
    }

    @Test
    void gradientSharingOnAClusterNamesItsTrustedNetwork() {
        assertEquals("Missing configuration spark.shared.network-mask: spark.trainer = shared-gradients on"
                + " spark.master = yarn exchanges updates over Aeron UDP, which has no authentication; name the trusted"
                + " network the driver and executors share, e.g. spark.shared.network-mask = 10.0.0.0/16"
                + " (SECURITY.md).", errorOf(with("spark.trainer", "shared-gradients", "spark.master", "yarn")));
        TrainConfig.of(with("spark.trainer", "shared-gradients", "spark.master", "yarn", "spark.shared.network-mask",
                "10.0.0.0/16"));
        TrainConfig.of(with("spark.trainer", "shared-gradients")); // local mode: loopback only
    }

    @Test
    void secretsAreMaskedWhereverTheConfigIsWrittenDown() {
        TrainConfig config = TrainConfig.of(with("data.path", "s3a://AKIA123:hunter2@bucket/photos",
                "data.image-size", "28x28x1"));

        assertEquals("s3a://AKIA123:***@bucket/photos", config.values().get("data.path"));
        assertEquals("s3a://AKIA123:***@bucket/photos", config.resultDefiningValues().get("data.path"));
        assertEquals("s3a://AKIA123:hunter2@bucket/photos", config.data().path(), "the run itself uses the real one");
        assertEquals("***", TrainConfig.mask("spark.shared.auth-token", "abc"));
        assertEquals("***", TrainConfig.mask("storage.key", "abc"));
        assertEquals("abc", TrainConfig.mask("model.name", "abc"));
        assertEquals("hdfs://nn:8020/data", TrainConfig.mask("data.path", "hdfs://nn:8020/data"));
        assertEquals("s3a://:***@bucket/x", TrainConfig.mask("data.path", "s3a://:secret@bucket/x"), "empty user");
        assertEquals("image folder s3a://id:***@b/p", "image folder " + TrainConfig.withoutSecrets("s3a://id:pw@b/p"));
    }

    @Test
    void aFolderUriWithAFragmentOrAQueryIsRefusedForHadoopWouldWriteElsewhere() {
        assertEquals("Invalid value file:///x/run#2/ckpt for configuration checkpoint.dir: a URI's #fragment is not"
                + " part of its path (Hadoop drops it, and the files would go elsewhere than the run says);"
                + " percent-encode the character (%23 for #, %3F for ?) or give a plain local path. Change it in the"
                + " config file or with --set checkpoint.dir=...",
                errorOf(with("checkpoint.dir", "file:///x/run#2/ckpt")));
        assertTrue(errorOf(with("data.path", "hdfs://nn/photos?x=1", "data.image-size", "28x28x1"))
                .startsWith("Invalid value hdfs://nn/photos?x=1 for configuration data.path: a URI's ?query"));
        assertEquals("/x/run#2/ckpt", TrainConfig.of(with("checkpoint.dir", "/x/run#2/ckpt")).checkpoint().dir());
        assertEquals("Invalid value runs/a?b for configuration output: a line break or other control character (shown"
                + " as ?) cannot be part of a folder or file name here. Change it in the config file or with --set"
                + " output=...", errorOf(with("output", "runs/a\nb")));
    }

    @Test
    void anOutputThatIsALinkToTheDataOrTheIdxFolderIsRefusedByItsRealPath(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos/cat"));
        Path link = Files.createSymbolicLink(tmp.resolve("out"), photos.getParent());

        assertEquals("Invalid configuration output = " + link + " with data.path = " + photos.getParent() + ": they"
                + " are the same folder, so one could overwrite or delete the other's files. Give each its own"
                + " folder.", errorOf(with("output", link.toString(), "data.path", photos.getParent().toString(),
                "data.image-size", "28x28x1")));
        Path idx = Files.createDirectories(tmp.resolve("idx"));
        assertEquals("Invalid configuration output = " + idx.resolve("run") + " with data.dir = " + idx + ": output"
                + " lies inside data.dir, so one could overwrite or delete the other's files. Give each its own"
                + " folder.", errorOf(with("output", idx.resolve("run").toString(), "data.dir", idx.toString())));
    }
}
