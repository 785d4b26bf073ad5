package org.sparkprop.job.train.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.sparkprop.job.train.TrainerSettings;

/**
 * Internal: DL4J's training masters built from {@link TrainerSettings}, with the traps of DL4J's Spark module set
 * right: {@code saveUpdater} (default false loses momentum/Adam state at every averaging), worker prefetch (default 0),
 * stats collection's time source (default asks an NTP server; there may be no network), serialized storage levels.
 */
public final class TrainingMasters {
    /** DL4J's system property naming the stats clock; its default class queries an NTP server. */
    static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";
    /**
     * Aeron (DL4J's gradient-sharing transport) refuses to start when its publication unblock timeout (15 s by
     * default) is not above the client liveness timeout, which DL4J sets to 30 s.
     */
    static final String AERON_UNBLOCK_PROPERTY = "aeron.publication.unblock.timeout";
    static final String AERON_UNBLOCK_NANOS = "60000000000";

    private TrainingMasters() {
    }

    /**
     * JVM system properties DL4J reads on the driver and on every executor for these settings: the system clock for
     * training statistics, Aeron's unblock timeout for gradient sharing. {@link #create} sets them on the driver;
     * the SparkConf passes them to executors ({@code SparkContexts}).
     */
    public static Map<String, String> jvmProperties(boolean collectStats, boolean sharedGradients) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (collectStats) {
            properties.put(TIME_SOURCE_PROPERTY, SYSTEM_CLOCK);
        }
        if (sharedGradients) {
            properties.put(AERON_UNBLOCK_PROPERTY, AERON_UNBLOCK_NANOS);
        }
        return properties;
    }

    public static TrainingMaster<?, ?> create(JavaSparkContext sc, TrainerSettings settings) {
        jvmProperties(settings.collectStats(), settings.method() instanceof TrainerSettings.SharedGradients)
                .forEach((key, value) -> {
                    if (System.getProperty(key) == null) {
                        System.setProperty(key, value);
                    }
                });
        if (settings.method() instanceof TrainerSettings.SharedGradients shared) {
            return shared(sc, settings, shared);
        }
        TrainerSettings.Averaging averaging = (TrainerSettings.Averaging) settings.method();
        return new ParameterAveragingTrainingMaster.Builder(settings.workers(), settings.batchSizePerWorker())
                .batchSizePerWorker(settings.batchSizePerWorker())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(settings.prefetchBatches())
                .saveUpdater(settings.saveUpdater())
                .rddTrainingApproach(averaging.exportRoundData() ? RDDTrainingApproach.Export
                        : RDDTrainingApproach.Direct)
                .repartionData(repartition(averaging.repartition()))
                .storageLevel(averaging.storageLevel().equals("NONE") ? null
                        : StorageLevel.fromString(averaging.storageLevel()))
                .storageLevelStreams(null) // a round's handful of paths: DL4J would cache each round's, never freed
                .rngSeed(settings.seed())
                .collectTrainingStats(settings.collectStats())
                .build();
    }

    private static SharedTrainingMaster shared(JavaSparkContext sc, TrainerSettings settings,
                                               TrainerSettings.SharedGradients shared) {
        String controller = shared.controllerAddress() != null ? shared.controllerAddress()
                : sc.master().startsWith("local") ? "127.0.0.1" : sc.getConf().get("spark.driver.host", "127.0.0.1");
        VoidConfiguration.VoidConfigurationBuilder voidConf = VoidConfiguration.builder()
                .unicastPort(shared.port())
                .controllerAddress(controller);
        if (shared.networkMask() != null) {
            voidConf.networkMask(shared.networkMask());
        }
        return new SharedTrainingMaster.Builder(voidConf.build(), settings.workers(),
                new AdaptiveThresholdAlgorithm(shared.threshold()), settings.batchSizePerWorker())
                .batchSizePerWorker(settings.batchSizePerWorker())
                // One DL4J trainer per executor JVM, fed by all its tasks: with one per task, trainers wait for
                // each other and the round deadlocks (seen on local[2] with 1.0.0-M2).
                .workersPerNode(1)
                .workerPrefetchNumBatches(settings.prefetchBatches())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartitionData(Repartition.Never)
                .rngSeed(settings.seed())
                .collectTrainingStats(settings.collectStats())
                .build();
    }

    private static Repartition repartition(String name) {
        return switch (name) {
            case "never" -> Repartition.Never;
            case "always" -> Repartition.Always;
            case "num-partitions-workers-differs" -> Repartition.NumPartitionsWorkersDiffers;
            default -> throw new IllegalArgumentException("unknown repartition " + name);
        };
    }
}
