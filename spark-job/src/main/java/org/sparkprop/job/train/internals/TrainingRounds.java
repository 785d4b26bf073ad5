package org.sparkprop.job.train.internals;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.partition.BatchPartitioner;
import org.sparkprop.job.train.TrainerSettings;

/**
 * Internal: one training round at a time through a DL4J training master (parameter averaging or gradient sharing,
 * {@link TrainingMasters}), for a layer stack ({@link SparkDl4jMultiLayer}) or a graph ({@link SparkComputationGraph}).
 * <p>
 * Each call hands DL4J exactly one round of data (workers x averagingFrequency mini-batches, already split evenly
 * into one partition per worker), so DL4J needs no random split, no repartition shuffle and no caching: with a
 * whole epoch in one RDD, its Direct approach re-reads the entire cached epoch for every split. Per-round calls
 * also give a loss per round (DL4J reports only the last round's), let the driver stop within one round when the
 * loss diverges, and let it checkpoint between rounds.
 * <p>
 * {@code fit} counts each call as an epoch, which would advance epoch-based schedules once per round: the epoch is
 * set before each round, for the workers' broadcast configuration, and again after DL4J's increment.
 */
public final class TrainingRounds implements RoundEngine {
    private final JavaSparkContext sc;
    private final TrainerSettings settings;
    private final TrainingMaster<?, ?> master;
    private final SparkDl4jMultiLayer sparkNet;
    private final SparkComputationGraph sparkGraph;
    private final FrozenParameters frozen;

    /** Trains {@code network} (initialized; a restored checkpoint keeps its updater state and counters) in place. */
    public TrainingRounds(JavaSparkContext sc, NeuralNetwork network, TrainerSettings settings) {
        this.sc = sc;
        this.settings = settings;
        this.master = TrainingMasters.create(sc, settings);
        if (network instanceof MultiLayerNetwork mln) {
            this.sparkNet = new SparkDl4jMultiLayer(sc, mln, master);
            this.sparkGraph = null;
        } else if (network instanceof ComputationGraph graph) {
            this.sparkNet = null;
            this.sparkGraph = new SparkComputationGraph(sc, graph, master);
        } else {
            throw new IllegalArgumentException("cannot train a " + network.getClass().getName());
        }
        this.frozen = new FrozenParameters(network());
    }

    /** One round: the first workers x averagingFrequency of {@code batches}. */
    @Override
    public Stretch train(List<DataSet> batches, int epochIndex) {
        List<DataSet> round = batches.subList(0, Math.min(batches.size(), settings.batchesPerRound()));
        return new Stretch(round.size(), new double[] {trainRound(round, epochIndex)});
    }

    /** One round: the first workers x averagingFrequency of {@code files}. */
    @Override
    public Stretch trainFiles(List<String> files, DataSetLoader loader, int epochIndex) {
        List<String> round = files.subList(0, Math.min(files.size(), settings.batchesPerRound()));
        return new Stretch(round.size(), new double[] {trainRoundFiles(round, loader, epochIndex)});
    }

    /**
     * Trains one round on {@code batches} (at most workers x averagingFrequency of them) and returns the workers'
     * mean loss on their last mini-batch.
     */
    private double trainRound(List<DataSet> batches, int epochIndex) {
        double loss = round(batches.size(), epochIndex, () -> {
            JavaRDD<DataSet> round = BatchPartitioner.spread(sc, batches, settings.workers());
            if (sparkNet != null) {
                sparkNet.fit(round);
            } else {
                sparkGraph.fit(round);
            }
            round.unpersist(false); // DL4J persists it at spark.storage-level and never frees it
        });
        return sharedGradients() ? driverLoss(batches.get(batches.size() - 1)) : loss;
    }

    /**
     * As {@link #trainRound(List, int)}, for batch files: only their paths travel to the workers, each of which loads its
     * own files through {@code loader} (a Hadoop file system read, then the loader's per-epoch transforms).
     */
    private double trainRoundFiles(List<String> files, DataSetLoader loader, int epochIndex) {
        double loss = round(files.size(), epochIndex, () -> {
            JavaRDD<String> paths = sc.parallelize(files, Math.max(1, Math.min(settings.workers(), files.size())));
            if (sparkNet != null) {
                sparkNet.fitPaths(paths, loader);
            } else {
                sparkGraph.fitPaths(paths, loader);
            }
        });
        if (!sharedGradients()) {
            return loss;
        }
        org.apache.hadoop.fs.Path last = new org.apache.hadoop.fs.Path(files.get(files.size() - 1));
        try {
            return driverLoss(loader.load(new org.deeplearning4j.spark.data.loader.RemoteFileSource(last.toString(),
                    last.getFileSystem(sc.hadoopConfiguration()))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + last + " to score the round", e);
        }
    }

    /** DL4J's SharedTrainingMaster reports no score (its epoch loss read 0.0000): the driver scores the round. */
    private boolean sharedGradients() {
        return settings.method() instanceof TrainerSettings.SharedGradients;
    }

    /**
     * With gradient sharing, the round's loss: the updated network's loss (regularization included, as DL4J's
     * scores are) on the round's last mini-batch, scored on the driver in inference mode.
     */
    private double driverLoss(DataSet batch) {
        NeuralNetwork net = network();
        return net instanceof MultiLayerNetwork m ? m.score(batch, false) : ((ComputationGraph) net).score(batch, false);
    }

    /** Runs one round of {@code batches} mini-batches with the workers seeing epoch {@code epochIndex}. */
    private double round(int batches, int epochIndex, Runnable fit) {
        if (batches > settings.batchesPerRound()) {
            throw new IllegalArgumentException(batches + " batches for one round of " + settings.batchesPerRound());
        }
        setEpochCount(epochIndex);
        fit.run();
        setEpochCount(epochIndex);
        frozen.restore();
        if (master instanceof ParameterAveragingTrainingMaster averaging
                && settings.method() instanceof TrainerSettings.Averaging a && a.exportRoundData()) {
            averaging.deleteTempFiles(sc); // DL4J never deletes its exported batches by itself
        }
        return sparkNet != null ? sparkNet.getScore() : sparkGraph.getScore();
    }

    private void setEpochCount(int epochIndex) {
        if (sparkNet != null) {
            sparkNet.getNetwork().getLayerWiseConfigurations().setEpochCount(epochIndex);
        } else {
            sparkGraph.getNetwork().getConfiguration().setEpochCount(epochIndex);
        }
    }

    @Override
    public NeuralNetwork network() {
        return sparkNet != null ? sparkNet.getNetwork() : sparkGraph.getNetwork();
    }

    @Override
    public long iteration() {
        return sparkNet != null ? sparkNet.getNetwork().getLayerWiseConfigurations().getIterationCount()
                : sparkGraph.getNetwork().getConfiguration().getIterationCount();
    }

    @Override
    public SparkTrainingStats stats() {
        return sparkNet != null ? sparkNet.getSparkTrainingStats() : sparkGraph.getSparkTrainingStats();
    }
}
