package org.sparkprop.job.train.internals;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Internal: keeps frozen layers' parameters bit-identical across averaging rounds. Frozen layers get no updates, so
 * every replica holds the same values, but the driver's average (sum over workers / workers) of identical floats is
 * not always the same float (3 workers: a + a + a rounds before the division). DL4J once even updated frozen layers
 * under Spark. After every round the values captured at the start are written back; batch-norm running statistics
 * are parameters here too, so they stay fixed as well.
 */
final class FrozenParameters {
    private record Pinned(Layer layer, INDArray values) {
    }

    private final List<Pinned> pinned = new ArrayList<>();

    FrozenParameters(NeuralNetwork network) {
        for (Layer layer : layers(network)) {
            if ((layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) && layer.numParams() > 0) {
                pinned.add(new Pinned(layer, layer.params().dup()));
            }
        }
    }

    private static List<Layer> layers(NeuralNetwork network) {
        if (network instanceof MultiLayerNetwork mln) {
            return List.of(mln.getLayers());
        }
        List<Layer> out = new ArrayList<>();
        for (GraphVertex v : ((ComputationGraph) network).getVertices()) {
            if (v.hasLayer()) {
                out.add(v.getLayer());
            }
        }
        return out;
    }

    /** Writes the captured values back into the (averaged) network's frozen layers. */
    void restore() {
        for (Pinned p : pinned) {
            p.layer().params().assign(p.values());
        }
    }
}
