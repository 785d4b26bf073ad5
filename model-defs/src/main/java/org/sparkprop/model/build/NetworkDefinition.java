package org.sparkprop.model.build;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.summary.ModelSummary;

/**
 * A model description built for one input shape and class count: a DL4J layer stack ({@link #layers()}) or, for
 * models with residual connections, a graph ({@link #graph()}); exactly one of the two is non-null.
 */
public record NetworkDefinition(ModelSpec spec, InputShape input, int numClasses, MultiLayerConfiguration layers,
                                ComputationGraphConfiguration graph, ModelSummary summary) {
    public NetworkDefinition {
        if ((layers == null) == (graph == null)) {
            throw new IllegalArgumentException("exactly one of layers and graph must be set");
        }
    }

    public boolean isGraph() {
        return graph != null;
    }

    /** A freshly initialized layer-stack network (parameters from the seed). */
    public MultiLayerNetwork newMultiLayerNetwork() {
        if (layers == null) {
            throw new IllegalStateException(spec.name() + " has residual connections: it is a graph, not a layer stack");
        }
        MultiLayerNetwork net = new MultiLayerNetwork(layers.clone());
        net.init();
        return net;
    }

    /** A freshly initialized graph network (parameters from the seed). */
    public ComputationGraph newComputationGraph() {
        if (graph == null) {
            throw new IllegalStateException(spec.name() + " is a layer stack, not a graph");
        }
        ComputationGraph net = new ComputationGraph(graph.clone());
        net.init();
        return net;
    }
}
