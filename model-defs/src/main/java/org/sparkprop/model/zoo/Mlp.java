package org.sparkprop.model.zoo;

import static org.sparkprop.model.zoo.Layers.batchNorm;
import static org.sparkprop.model.zoo.Layers.dropout;
import static org.sparkprop.model.zoo.Layers.flatten;
import static org.sparkprop.model.zoo.Layers.relu;
import static org.sparkprop.model.zoo.Layers.softmaxOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;

/**
 * Multi-layer perceptrons: flatten, then per hidden width a dense ReLU layer (with batch normalization: dense without
 * bias, batch norm, ReLU — the BN shift makes a bias redundant), optionally followed by dropout; softmax output.
 * He initialization for hidden layers, Xavier for the output.
 */
final class Mlp {
    static final Set<String> OPTIONS = Set.of("hidden", "dropout", "batch-norm");

    private Mlp() {
    }

    static CatalogEntry entry(String name, String description, List<Integer> hidden, double dropoutRate,
                              boolean batchNormalized) {
        return new CatalogEntry(name, description, OPTIONS, o -> spec(name,
                o.hidden() != null ? o.hidden() : hidden,
                o.dropout() != null ? o.dropout() : dropoutRate,
                o.batchNorm() != null ? o.batchNorm() : batchNormalized));
    }

    static ModelSpec spec(String name, List<Integer> hidden, double dropoutRate, boolean batchNormalized) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(flatten());
        for (int width : hidden) {
            if (batchNormalized) {
                layers.add(new LayerSpec.Dense(width, "identity", false, null));
                layers.add(batchNorm());
                layers.add(relu());
            } else {
                layers.add(new LayerSpec.Dense(width, "relu", true, null));
            }
            if (dropoutRate > 0) {
                layers.add(dropout(dropoutRate));
            }
        }
        layers.add(softmaxOutput());
        return new ModelSpec(name, layers, WeightInitSpec.HE);
    }
}
