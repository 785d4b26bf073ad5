package org.sparkprop.job.spark;

import java.util.Locale;
import org.sparkprop.job.config.ConfigException;

/**
 * What a training job needs in ND4J's off-heap memory on each executor and on the driver, from the model's size, its
 * activations and the cluster settings, checked against what the submit gives them. ND4J's arrays live outside the
 * JVM heap, in the part YARN and Kubernetes count as memory overhead ({@code spark.executor.memoryOverhead}); Spark's
 * default overhead (10% of the heap, at least 384 MiB) is far too small for DL4J, and a container that goes over is
 * killed by the cluster manager with no Java error (DL4J's own Spark guide warns of exactly this).
 * <p>
 * The estimate per training replica: parameters, gradients and optimizer state (4 bytes each), plus the
 * activations of one mini-batch and their gradients; per executor, one replica per core plus the broadcast copy of
 * parameters and optimizer state plus a fixed {@value #BASE_MIB} MiB for ND4J's native library and workspaces. The
 * driver holds the network, the averaged copy and the broadcast one, and evaluates in batches of 500.
 *
 * @param params                parameters of the model
 * @param updaterStateValues    optimizer state values of the whole network, as the DL4J updater allocates them
 *                              (per trained parameter: 0 sgd, 1 momentum/nesterov/rmsprop/adagrad, 2 adam/nadam)
 * @param activationsPerExample activation values of one example through the whole network
 * @param batchSize             mini-batch size per replica
 * @param replicasPerExecutor   training replicas per executor (its cores / spark.task.cpus)
 */
public record MemoryPlan(long params, long updaterStateValues, long activationsPerExample, int batchSize,
                         int replicasPerExecutor) {
    static final long BASE_MIB = 384;
    private static final long MIB = 1024 * 1024;
    private static final int EVALUATION_BATCH = 500;

    /** Off-heap bytes of one training replica. */
    public long replicaBytes() {
        return 4 * (2 * params + updaterStateValues) + 2 * 4 * activationsPerExample * batchSize;
    }

    /** Off-heap bytes one executor needs. */
    public long executorBytes() {
        return replicasPerExecutor * replicaBytes() + 4 * (params + updaterStateValues) + BASE_MIB * MIB;
    }

    /** Off-heap bytes the driver needs. */
    public long driverBytes() {
        return 3 * 4 * (params + updaterStateValues) + 4 * activationsPerExample * EVALUATION_BATCH
                + BASE_MIB * MIB;
    }

    /** Optimizer state values per parameter, rounded (frozen layers keep none). */
    public long updaterStatePerParam() {
        return params == 0 ? 0 : Math.round((double) updaterStateValues / params);
    }

    /** Megabytes as Spark writes memory settings (rounded up). */
    public static String mib(long bytes) {
        return ((bytes + MIB - 1) / MIB) + "m";
    }

    /** Parses a Spark memory setting: {@code 4g}, {@code 512m}, {@code 2048k}, or a plain number of MiB. */
    public static long parseBytes(String option, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = MIB;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        if (Character.isLetter(last)) {
            unit = switch (last) {
                case 'k' -> 1024L;
                case 'm' -> MIB;
                case 'g' -> 1024 * MIB;
                case 't' -> 1024 * 1024 * MIB;
                default -> -1;
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (unit > 0 && n > 0) {
                return n * unit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("Invalid value " + value + " for " + option + ": a memory size such as 4g, 512m"
                + " or 2048 (MiB).");
    }

    /**
     * @throws ConfigException naming the estimate, the setting that is too small and the value that would do
     */
    public void check(long executorOverhead, long driverOverhead) {
        if (executorBytes() > executorOverhead) {
            throw new ConfigException(String.format(Locale.ROOT, "Executor memory overhead %s cannot hold training:"
                            + " estimated %s off-heap per executor (%d replicas x %s [%,d params with gradients and"
                            + " %d optimizer state values each, activations of a %d-image batch] + broadcast copy"
                            + " + %d MiB ND4J base). Set --executor-memory-overhead (spark.executor.memoryOverhead)"
                            + " to at least %s, or lower --executor-cores or batch-size.", mib(executorOverhead),
                    mib(executorBytes()), replicasPerExecutor, mib(replicaBytes()), params, updaterStatePerParam(),
                    batchSize, BASE_MIB, mib(executorBytes())));
        }
        if (driverBytes() > driverOverhead) {
            throw new ConfigException(String.format(Locale.ROOT, "Driver memory overhead %s cannot hold the averaged"
                            + " network: estimated %s off-heap (network, averaged and broadcast copies of %,d params"
                            + " with optimizer state, evaluation batches of %d, %d MiB ND4J base). Set"
                            + " --driver-memory-overhead (spark.driver.memoryOverhead) to at least %s.",
                    mib(driverOverhead), mib(driverBytes()), params, EVALUATION_BATCH, BASE_MIB,
                    mib(driverBytes())));
        }
    }
}
