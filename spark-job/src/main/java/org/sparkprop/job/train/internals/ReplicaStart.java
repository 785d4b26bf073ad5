package org.sparkprop.job.train.internals;

import java.io.Serializable;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Internal: the averaged network a barrier stage starts from, broadcast once per stage: its configuration,
 * parameters, optimizer state (null when not kept or not yet created) and counters. Each task builds its replica from
 * it exactly as DL4J's averaging worker builds one from its broadcast (a fresh network on copies of the parameters and
 * of the optimizer state, a clone of the configuration object: not its JSON, from which a graph may order its
 * vertices, and so its flattened parameters, differently).
 * <p>
 * A plain class, not a record: Spark's Kryo (4.x) cannot set a record's final fields.
 */
final class ReplicaStart implements Serializable {
    private static final long serialVersionUID = 1L;

    private MultiLayerConfiguration layersConf;
    private ComputationGraphConfiguration graphConf;
    private INDArray params;
    private INDArray updaterState;
    private int iteration;
    private int epoch;

    private ReplicaStart() {
    }

    /** The driver's network now, to start the replicas of epoch {@code epochIndex} (0-based) from. */
    static ReplicaStart of(NeuralNetwork network, boolean saveUpdater, int epochIndex) {
        ReplicaStart start = new ReplicaStart();
        if (network instanceof MultiLayerNetwork mln) {
            start.layersConf = mln.getLayerWiseConfigurations().clone();
            start.iteration = mln.getLayerWiseConfigurations().getIterationCount();
            start.updaterState = saveUpdater && mln.getUpdater(false) != null
                    ? mln.getUpdater(false).getStateViewArray() : null;
        } else {
            ComputationGraph g = (ComputationGraph) network;
            start.graphConf = g.getConfiguration().clone();
            start.iteration = g.getConfiguration().getIterationCount();
            start.updaterState = saveUpdater && g.getUpdater(false) != null
                    ? g.getUpdater(false).getStateViewArray() : null;
        }
        start.params = network.params();
        start.epoch = epochIndex;
        return start;
    }

    int iteration() {
        return iteration;
    }

    /** A new replica: its own configuration, parameters and optimizer state, the counters of the driver's. */
    NeuralNetwork replica() {
        if (layersConf != null) {
            MultiLayerConfiguration conf = layersConf.clone();
            conf.setIterationCount(iteration);
            conf.setEpochCount(epoch);
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init(params.dup(), false);
            if (updaterState != null) {
                net.setUpdater(new MultiLayerUpdater(net, updaterState.dup()));
            }
            return net;
        }
        ComputationGraphConfiguration conf = graphConf.clone();
        conf.setIterationCount(iteration);
        conf.setEpochCount(epoch);
        ComputationGraph net = new ComputationGraph(conf);
        net.init(params.dup(), false);
        if (updaterState != null) {
            net.setUpdater(new ComputationGraphUpdater(net, updaterState.dup()));
        }
        return net;
    }
}
