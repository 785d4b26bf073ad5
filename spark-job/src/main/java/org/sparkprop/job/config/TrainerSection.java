package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.greaterThan;
import static org.sparkprop.job.config.ConfigDef.nonBlank;
import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.range;

import java.util.List;
import org.sparkprop.job.train.TrainerSettings;

/**
 * The run's length and seed, the mini-batch and averaging settings, and the {@code spark.*} keys: how the replicas
 * train on Spark (master, workers, DL4J trainer and its knobs, GPUs). Built once per config, with the checks that
 * span these keys.
 *
 * @param workers configured replica count, 0 meaning Spark's default parallelism
 * @param method  how the replicas are combined ({@code spark.trainer}) with the knobs of that method only
 */
public record TrainerSection(int epochs, long seed, int batchSize, int averagingFrequency, String sparkMaster,
                             int workers, int prefetchBatches, boolean saveUpdater, TrainerSettings.Method method,
                             boolean collectStats, int executorGpus, double taskGpus, String gpuDiscoveryScript) {
    /** Storage levels DL4J may cache DataSet RDDs at: serialized ones only (ND4J arrays live off-heap). */
    public static final List<String> STORAGE_LEVELS = List.of("NONE", "MEMORY_ONLY_SER", "MEMORY_AND_DISK_SER",
            "DISK_ONLY", "MEMORY_ONLY_SER_2", "MEMORY_AND_DISK_SER_2", "DISK_ONLY_2", "OFF_HEAP");

    public static final Key<Integer> EPOCHS = Key.integer("epochs").validator(range(1, 100_000))
            .withDefault(3, "Passes over the training set. The per-epoch evaluation part (the validation part when"
                    + " the data has one, else the test set) is evaluated after each.");
    public static final Key<Long> SEED = Key.longInteger("seed")
            .withDefault(42L, "Seeds weight initialization and the per-epoch shuffle: same seed and config, "
                    + "same run.");
    public static final Key<Integer> BATCH_SIZE = Key.integer("batch-size").validator(range(1, 65_536))
            .withDefault(32, "Mini-batch size per worker. The effective batch of one averaged step is "
                    + "batch-size x workers: 32 on 2 workers matches single-machine batch-64 SGD. Larger is "
                    + "faster per image but needs a larger learning rate and more epochs.");
    public static final Key<Integer> AVERAGING_FREQUENCY = Key.integer("averaging-frequency")
            .validator(range(1, 100_000))
            .withDefault(5, "Mini-batches each worker trains between two parameter averagings. Lower is closer "
                    + "to single-machine SGD (1 is exact for plain SGD) but pays one Spark job per round. With "
                    + "spark.trainer = shared-gradients nothing is averaged (updates are exchanged after every "
                    + "mini-batch): it is only the mini-batches per worker in one Spark job.");
    public static final Key<String> MASTER = Key.string("spark.master").validator(nonBlank())
            .withDefault("local[*]", "Spark master URL. local[*]: one JVM, one worker per core. Ignored under "
                    + "spark-submit, which sets the master itself.");
    public static final Key<Integer> WORKERS = Key.integer("spark.workers").validator(range(0, 100_000))
            .withDefault(0, "Training replicas averaged each round. 0: Spark's default parallelism (executors "
                    + "x cores).");
    public static final Key<Integer> PREFETCH_BATCHES = Key.integer("spark.prefetch-batches").validator(range(0, 1024))
            .withDefault(2, "Mini-batches each worker prepares ahead on a background thread (DL4J's default, "
                    + "0, does not overlap data preparation with training).");
    public static final Key<Boolean> SAVE_UPDATER = Key.bool("spark.save-updater")
            .withDefault(true, "Average and keep the optimizer state (momentum, Adam moments) across rounds. "
                    + "DL4J's default is false, which throws momentum away at every averaging and costs "
                    + "accuracy.");
    public static final Key<String> TRAINER = Key.string("spark.trainer")
            .validator(oneOf(List.of("allreduce", "averaging", "shared-gradients")))
            .withDefault("allreduce", "allreduce: parameter averaging inside one Spark barrier stage, the replicas "
                    + "averaging parameters and optimizer state among themselves over TCP (a ring allreduce) every "
                    + "averaging-frequency mini-batches, with no Spark job per round; the driver gets the network "
                    + "every spark.allreduce.stage-seconds and at each epoch's end; deterministic for any number of "
                    + "workers; needs workers <= free task slots and no dynamic allocation. averaging: the same "
                    + "mathematics through DL4J's ParameterAveragingTrainingMaster, one Spark job per round (slower: "
                    + "a fixed cost per round; on graphs its workers train with the iteration and epoch counters at "
                    + "0); spark.collect-stats shows its timeline. shared-gradients: DL4J's SharedTrainingMaster "
                    + "(asynchronous, threshold-encoded gradient updates sent between workers over UDP/Aeron every "
                    + "mini-batch; less traffic per step on big clusters, not bit-reproducible; checkpoints are taken "
                    + "between epochs only).");
    public static final Key<String> RDD_APPROACH = Key.string("spark.rdd-approach")
            .validator(oneOf(List.of("direct", "export")))
            .withDefault("direct", "How DL4J hands a round's data to the workers. direct: the mini-batches "
                    + "themselves, in one partition per worker (no disk). export: DL4J first writes them to "
                    + "temporary files and the workers read those (its default, meant for whole-epoch RDDs; "
                    + "costs a write and a read per round; temporary files are deleted after each round). "
                    + "Image folders always train from their pre-batched copy.");
    public static final Key<String> REPARTITION = Key.string("spark.repartition")
            .validator(oneOf(List.of("never", "always",
                            "num-partitions-workers-differs")))
            .withDefault("never", "Whether DL4J reshuffles a round's data before training. never: the driver "
                    + "already places equal shares in one partition per worker (cheapest). always / "
                    + "num-partitions-workers-differs: DL4J's own repartition (a shuffle per round).");
    public static final Key<String> STORAGE_LEVEL = Key.string("spark.storage-level")
            .validator(oneOf(STORAGE_LEVELS))
            .withDefault("NONE", "Storage level DL4J caches each round's RDD at before counting and splitting "
                    + "it. NONE (our default; DL4J's is MEMORY_ONLY_SER): a round's batches are already in one "
                    + "partition per worker, and caching them means one Kryo serialization per round for "
                    + "nothing (LeNet epoch 1: 769 vs 736 images/s). Otherwise serialized levels only: "
                    + "DataSets keep their arrays off-heap, which deserialized caching does not account for. "
                    + "Cached rounds are unpersisted after training on them.");
    public static final Key<Boolean> COLLECT_STATS = Key.bool("spark.collect-stats")
            .withDefault(false, "averaging and shared-gradients: collect DL4J's Spark training statistics "
                    + "(broadcast, fit and averaging times per worker) and show their timeline in report.html. Costs a "
                    + "little time per round; clock from the system (never NTP). allreduce times its own stages "
                    + "(bin/sparkprop bench-rounds).");
    public static final Key<Double> SHARED_THRESHOLD = Key.decimal("spark.shared.threshold").validator(greaterThan(0))
            .withDefault(1e-3, "shared-gradients: starting encoding threshold of the adaptive threshold "
                    + "algorithm (updates smaller than it wait in the residual). Lower sends more, converges "
                    + "closer to sync SGD.");
    public static final Key<Integer> SHARED_PORT = Key.integer("spark.shared.port").validator(range(1024, 65535))
            .withDefault(40123, "shared-gradients: UDP port of the driver's and workers' Aeron transport.");
    public static final Key<String> SHARED_CONTROLLER = Key.string("spark.shared.controller-address")
            .validator(nonBlank())
            .optional("shared-gradients: address the workers reach the driver at. Unset: 127.0.0.1 in local "
                    + "mode, else the driver's spark.driver.host.");
    public static final Key<String> SHARED_NETWORK_MASK = Key.string("spark.shared.network-mask").validator(nonBlank())
            .optional("shared-gradients: network (CIDR, e.g. 10.0.0.0/16) whose interface the workers bind to; "
                    + "Aeron's UDP traffic is unauthenticated, so it must be a trusted network. Required on a "
                    + "cluster; unset in local mode (loopback).");
    public static final Key<Double> ALLREDUCE_STAGE_SECONDS = Key.decimal("spark.allreduce.stage-seconds")
            .validator(greaterThan(0))
            .withDefault(30.0, "allreduce: a barrier stage ends at the first round's end after this long and hands the "
                    + "averaged network to the driver (progress line, checkpoint.every-minutes, divergence check); "
                    + "the next stage starts from it, with the same result. Each stage costs a Spark job and one "
                    + "broadcast of the network.");
    public static final Key<Integer> ALLREDUCE_TIMEOUT = Key.integer("spark.allreduce.timeout-seconds")
            .validator(range(1, 86_400))
            .withDefault(600, "allreduce: longest a replica waits for another (joining the ring, or its part of one "
                    + "sync) before the stage fails; must exceed the slowest replica's time to train "
                    + "averaging-frequency mini-batches.");
    public static final Key<Integer> ALLREDUCE_RETRIES = Key.integer("spark.allreduce.retries").validator(range(0, 100))
            .withDefault(2, "allreduce: times a failed stage (a task's error, a lost executor) is run again from the "
                    + "last averaged network before the run fails.");
    public static final Key<Integer> EXECUTOR_GPUS = Key.integer("spark.gpu.executor-amount").validator(range(0, 64))
            .withDefault(0, "GPUs per executor (spark.executor.resource.gpu.amount). 0: CPU executors. Needs "
                    + "the GPU build (mvn -Pgpu) and spark.gpu.discovery-script.");
    public static final Key<Double> TASK_GPUS = Key.decimal("spark.gpu.task-amount").validator(range(0.0, 64.0))
            .withDefault(0.0, "GPUs per task (spark.task.resource.gpu.amount); 1 = one training replica per "
                    + "GPU. 0: unset.");
    public static final Key<String> GPU_DISCOVERY = Key.string("spark.gpu.discovery-script").validator(nonBlank())
            .optional("Script on every executor host that prints the host's GPUs as Spark resource JSON "
                    + "(spark.executor.resource.gpu.discoveryScript), e.g. deploy/conf/getGpusResources.sh.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Training and Spark",
            EPOCHS, SEED, BATCH_SIZE, AVERAGING_FREQUENCY, MASTER, WORKERS, PREFETCH_BATCHES, SAVE_UPDATER,
            TRAINER, RDD_APPROACH, REPARTITION, STORAGE_LEVEL, COLLECT_STATS, ALLREDUCE_STAGE_SECONDS,
            ALLREDUCE_TIMEOUT, ALLREDUCE_RETRIES, SHARED_THRESHOLD, SHARED_PORT,
            SHARED_CONTROLLER, SHARED_NETWORK_MASK, EXECUTOR_GPUS, TASK_GPUS, GPU_DISCOVERY);

    /** @throws ConfigException for GPU settings that cannot work together, or a data approach the trainer lacks */
    static TrainerSection from(ConfigValues v) {
        if (v.get(TASK_GPUS) > 0 && v.get(EXECUTOR_GPUS) == 0) {
            throw new ConfigException("Invalid value " + v.get(TASK_GPUS) + " for configuration " + TASK_GPUS
                    + ": tasks cannot use GPUs when executors have none (" + EXECUTOR_GPUS + " = 0). Set "
                    + EXECUTOR_GPUS + " as well, or unset " + TASK_GPUS + ".");
        }
        if (v.get(EXECUTOR_GPUS) > 0 && v.get(GPU_DISCOVERY) == null) {
            throw new ConfigException("Missing configuration " + GPU_DISCOVERY + ": " + EXECUTOR_GPUS + " = "
                    + v.get(EXECUTOR_GPUS) + " needs the script Spark runs on each executor host to find its GPUs,"
                    + " e.g. "
                    + GPU_DISCOVERY + " = /opt/sparkprop/conf/getGpusResources.sh (deploy/conf/).");
        }
        if (v.get(EXECUTOR_GPUS) > 0 && v.get(MASTER).startsWith("local")) {
            throw new ConfigException("Invalid value " + v.get(EXECUTOR_GPUS) + " for configuration "
                    + EXECUTOR_GPUS
                    + ": Spark local mode (" + MASTER + " = " + v.get(MASTER) + ") has no executors to give"
                    + " GPUs to. Submit to a cluster (deploy/bin/submit), or set " + EXECUTOR_GPUS + " = 0; a"
                    + " GPU build (mvn -Pgpu) uses the local GPU without it.");
        }
        return new TrainerSection(v.get(EPOCHS), v.get(SEED), v.get(BATCH_SIZE),
                v.get(AVERAGING_FREQUENCY), v.get(MASTER), v.get(WORKERS), v.get(PREFETCH_BATCHES),
                v.get(SAVE_UPDATER), method(v), v.get(COLLECT_STATS), v.get(EXECUTOR_GPUS), v.get(TASK_GPUS),
                v.get(GPU_DISCOVERY));
    }

    /**
     * The method spark.trainer names, with its own keys (the other method's are not read).
     *
     * @throws ConfigException for gradient sharing on a cluster without a trusted network, or with exported data
     */
    private static TrainerSettings.Method method(ConfigValues v) {
        if (v.get(TRAINER).equals("averaging")) {
            return new TrainerSettings.Averaging(v.get(RDD_APPROACH).equals("export"), v.get(REPARTITION),
                    v.get(STORAGE_LEVEL));
        }
        if (v.get(TRAINER).equals("allreduce")) {
            if (v.get(COLLECT_STATS)) {
                throw new ConfigException("Invalid value true for configuration " + COLLECT_STATS + ": DL4J's "
                        + "statistics come from its training masters, and " + TRAINER + " = allreduce uses none. Set "
                        + COLLECT_STATS + " = false, or " + TRAINER + " = averaging to see DL4J's timeline.");
            }
            if (!v.get(RDD_APPROACH).equals("direct")) {
                throw new ConfigException("Invalid value " + v.get(RDD_APPROACH) + " for configuration "
                        + RDD_APPROACH + ": " + TRAINER + " = allreduce takes its data directly. Set " + RDD_APPROACH
                        + " = direct or " + TRAINER + " = averaging.");
            }
            int slots = localSlots(v.get(MASTER));
            if (slots > 0 && v.get(WORKERS) > slots) {
                throw new ConfigException("Invalid value " + v.get(WORKERS) + " for configuration " + WORKERS + ": "
                        + TRAINER + " = allreduce starts every replica at once in a barrier stage, and " + MASTER
                        + " = " + v.get(MASTER) + " has " + slots + " task slots. Set " + WORKERS + " <= " + slots
                        + " (0: one per slot), or " + MASTER + " = local[" + v.get(WORKERS) + "].");
            }
            return new TrainerSettings.Allreduce(v.get(ALLREDUCE_TIMEOUT), v.get(ALLREDUCE_STAGE_SECONDS),
                    v.get(ALLREDUCE_RETRIES));
        }
        if (!v.get(MASTER).startsWith("local") && v.get(SHARED_NETWORK_MASK) == null) {
            throw new ConfigException("Missing configuration " + SHARED_NETWORK_MASK + ": " + TRAINER
                    + " = shared-gradients on " + MASTER + " = " + v.get(MASTER) + " exchanges updates over Aeron"
                    + " UDP, which has no authentication; name the trusted network the driver and executors share,"
                    + " e.g. " + SHARED_NETWORK_MASK + " = 10.0.0.0/16 (SECURITY.md).");
        }
        if (!v.get(RDD_APPROACH).equals("direct")) {
            throw new ConfigException("Invalid value " + v.get(RDD_APPROACH) + " for configuration " + RDD_APPROACH
                    + ": " + TRAINER + " = shared-gradients takes its data directly. Set " + RDD_APPROACH
                    + " = direct or " + TRAINER + " = averaging.");
        }
        return new TrainerSettings.SharedGradients(v.get(SHARED_THRESHOLD), v.get(SHARED_PORT),
                v.get(SHARED_CONTROLLER), v.get(SHARED_NETWORK_MASK));
    }

    /** Task slots of a local master (local, local[N], local[*], local[N,F]), or 0 for a cluster master. */
    static int localSlots(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?")
                .matcher(master.trim());
        if (!m.matches()) {
            return 0;
        }
        String n = m.group(1);
        return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    /** What {@code SparkTrainer} needs, for {@code workers} replicas (known once Spark runs). */
    public TrainerSettings settings(int workers) {
        return new TrainerSettings(workers, batchSize, averagingFrequency, prefetchBatches, saveUpdater, seed, method,
                collectStats);
    }
}
