package org.sparkprop.model.spec;

import java.util.List;
import org.sparkprop.model.hyper.WeightInitSpec;

/**
 * A network as a list of layers, independent of input size and class count (the output layer gets one unit per
 * class when built).
 *
 * @param name       catalogue name, or {@code custom}
 * @param layers     first to last; the last must be an {@link LayerSpec.Output}
 * @param weightInit default for layers that name none
 */
public record ModelSpec(String name, List<LayerSpec> layers, WeightInitSpec weightInit) {
    public ModelSpec {
        layers = List.copyOf(layers);
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof LayerSpec.Output)) {
            throw new IllegalArgumentException("the last layer must be of type output, got "
                    + (layers.isEmpty() ? "no layers" : layers.get(layers.size() - 1).type()));
        }
        for (int i = 0; i < layers.size() - 1; i++) {
            if (layers.get(i) instanceof LayerSpec.Output) {
                throw new IllegalArgumentException("layer " + i + " is an output layer; only the last may be");
            }
        }
    }

    /** Whether the network needs a graph (residual connections) rather than a layer stack. */
    public boolean isGraph() {
        return layers.stream().anyMatch(l -> l instanceof LayerSpec.Residual);
    }

    public LayerSpec.Output output() {
        return (LayerSpec.Output) layers.get(layers.size() - 1);
    }
}
