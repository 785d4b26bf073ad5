package org.sparkprop.job.train.internals;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.partition.BatchPartitioner;
import org.sparkprop.job.train.TrainerSettings;

/**
 * Internal: one parameter-averaging round at a time through DL4J's {@link ParameterAveragingTrainingMaster}, for a
 * layer stack ({@link SparkDl4jMultiLayer}) or a graph ({@link SparkComputationGraph}).
 * <p>
 * Each call hands DL4J exactly one round of data (workers x averagingFrequency mini-batches, already split evenly
 * into one partition per worker), so DL4J needs no random split, no repartition shuffle and no caching: with a
 * whole epoch in one RDD, its Direct approach re-reads the entire cached epoch for every split. Per-round calls
 * also give a loss per round (DL4J reports only the last round's) and let the driver stop within one round when
 * the loss diverges.
 * <p>
 * DL4J traps avoided here: {@code saveUpdater} defaults to false (momentum and Adam state thrown away at every
 * averaging); {@code workerPrefetchNumBatches} defaults to 0; {@code fit} counts each call as an epoch, which
 * would advance epoch-based schedules once per round (the epoch is set before each round, for the workers'
 * broadcast configuration, and again after DL4J's increment).
 */
public final class AveragingRounds {
    private final JavaSparkContext sc;
    private final TrainerSettings settings;
    private final SparkDl4jMultiLayer sparkNet;
    private final SparkComputationGraph sparkGraph;

    public AveragingRounds(JavaSparkContext sc, MultiLayerConfiguration conf, TrainerSettings settings) {
        this.sc = sc;
        this.settings = settings;
        MultiLayerNetwork network = new MultiLayerNetwork(conf.clone());
        network.init();
        this.sparkNet = new SparkDl4jMultiLayer(sc, network, master(settings));
        this.sparkGraph = null;
    }

    public AveragingRounds(JavaSparkContext sc, ComputationGraphConfiguration conf, TrainerSettings settings) {
        this.sc = sc;
        this.settings = settings;
        ComputationGraph graph = new ComputationGraph(conf.clone());
        graph.init();
        this.sparkNet = null;
        this.sparkGraph = new SparkComputationGraph(sc, graph, master(settings));
    }

    private static ParameterAveragingTrainingMaster master(TrainerSettings settings) {
        return new ParameterAveragingTrainingMaster.Builder(settings.workers(), settings.batchSizePerWorker())
                .batchSizePerWorker(settings.batchSizePerWorker())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(settings.prefetchBatches())
                .saveUpdater(settings.saveUpdater())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null)
                .storageLevelStreams(null) // a round's handful of paths: DL4J would cache each round's and never free it
                .rngSeed(settings.seed())
                .collectTrainingStats(false)
                .build();
    }

    /**
     * Trains one round on {@code batches} (at most workers x averagingFrequency of them) and returns the workers'
     * mean loss on their last mini-batch.
     */
    public double train(List<DataSet> batches, int epochIndex) {
        return round(batches.size(), epochIndex, () -> {
            if (sparkNet != null) {
                sparkNet.fit(BatchPartitioner.spread(sc, batches, settings.workers()));
            } else {
                sparkGraph.fit(BatchPartitioner.spread(sc, batches, settings.workers()));
            }
        });
    }

    /**
     * As {@link #train(List, int)}, for batch files: only their paths travel to the workers, each of which loads its
     * own files through {@code loader} (a Hadoop file system read, then the loader's per-epoch transforms).
     */
    public double trainFiles(List<String> files, DataSetLoader loader, int epochIndex) {
        return round(files.size(), epochIndex, () -> {
            JavaRDD<String> paths = sc.parallelize(files, Math.max(1, Math.min(settings.workers(), files.size())));
            if (sparkNet != null) {
                sparkNet.fitPaths(paths, loader);
            } else {
                sparkGraph.fitPaths(paths, loader);
            }
        });
    }

    /** Runs one round of {@code batches} mini-batches with the workers seeing epoch {@code epochIndex}. */
    private double round(int batches, int epochIndex, Runnable fit) {
        if (batches > settings.batchesPerRound()) {
            throw new IllegalArgumentException(batches + " batches for one round of " + settings.batchesPerRound());
        }
        setEpochCount(epochIndex);
        fit.run();
        setEpochCount(epochIndex);
        return sparkNet != null ? sparkNet.getScore() : sparkGraph.getScore();
    }

    private void setEpochCount(int epochIndex) {
        if (sparkNet != null) {
            sparkNet.getNetwork().getLayerWiseConfigurations().setEpochCount(epochIndex);
        } else {
            sparkGraph.getNetwork().getConfiguration().setEpochCount(epochIndex);
        }
    }

    /** The averaged network: a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
    public NeuralNetwork network() {
        return sparkNet != null ? sparkNet.getNetwork() : sparkGraph.getNetwork();
    }

    /** Iterations (mini-batch updates per replica) so far. */
    public long iteration() {
        return sparkNet != null ? sparkNet.getNetwork().getLayerWiseConfigurations().getIterationCount()
                : sparkGraph.getNetwork().getConfiguration().getIterationCount();
    }
}
