package org.sparkprop.job.train.internals;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.partition.BatchPartitioner;
import org.sparkprop.job.train.TrainerSettings;

/**
 * Internal: one parameter-averaging round at a time through DL4J's {@link ParameterAveragingTrainingMaster}.
 * <p>
 * Each call hands DL4J exactly one round of data (workers x averagingFrequency mini-batches, already split evenly
 * into one partition per worker), so DL4J needs no random split, no repartition shuffle and no caching: with a
 * whole epoch in one RDD, its Direct approach re-reads the entire cached epoch for every split. Per-round calls
 * also give a loss per round (DL4J reports only the last round's) and let the driver stop within one round when
 * the loss diverges.
 * <p>
 * DL4J traps avoided here: {@code saveUpdater} defaults to false (momentum and Adam state thrown away at every
 * averaging); {@code workerPrefetchNumBatches} defaults to 0; {@code fit} counts each call as an epoch, which
 * would advance epoch-based schedules once per round (reset below).
 */
public final class AveragingRounds {
    private final JavaSparkContext sc;
    private final TrainerSettings settings;
    private final SparkDl4jMultiLayer sparkNet;

    public AveragingRounds(JavaSparkContext sc, MultiLayerConfiguration conf, TrainerSettings settings) {
        this.sc = sc;
        this.settings = settings;
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(settings.workers(),
                settings.batchSizePerWorker())
                .batchSizePerWorker(settings.batchSizePerWorker())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(settings.prefetchBatches())
                .saveUpdater(settings.saveUpdater())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null)
                .rngSeed(settings.seed())
                .collectTrainingStats(false)
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf.clone());
        network.init();
        this.sparkNet = new SparkDl4jMultiLayer(sc, network, master);
    }

    /**
     * Trains one round on {@code batches} (at most workers x averagingFrequency of them) and returns the workers'
     * mean loss on their last mini-batch.
     */
    public double train(List<DataSet> batches, int epochIndex) {
        if (batches.size() > settings.batchesPerRound()) {
            throw new IllegalArgumentException(batches.size() + " batches for one round of "
                    + settings.batchesPerRound());
        }
        // workers read the epoch for epoch-based schedules from the broadcast configuration: set it before, and
        // undo DL4J's per-fit increment after
        sparkNet.getNetwork().getLayerWiseConfigurations().setEpochCount(epochIndex);
        sparkNet.fit(BatchPartitioner.spread(sc, batches, settings.workers()));
        sparkNet.getNetwork().getLayerWiseConfigurations().setEpochCount(epochIndex);
        return sparkNet.getScore();
    }

    public MultiLayerNetwork network() {
        return sparkNet.getNetwork();
    }

    /** Iterations (mini-batch updates per replica) so far. */
    public long iteration() {
        return sparkNet.getNetwork().getLayerWiseConfigurations().getIterationCount();
    }
}
