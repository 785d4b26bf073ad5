package org.sparkprop.model;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.sparkprop.model.zoo.LeNet;

/** The named architectures, each buildable for a given input shape, class count and hyperparameters. */
public final class ModelCatalog {
    public static final List<String> NAMES = List.of(LeNet.NAME);

    private ModelCatalog() {
    }

    public static MultiLayerConfiguration build(String name, InputShape input, int numClasses, Hyperparameters hp) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        if (LeNet.NAME.equals(name)) {
            return LeNet.configuration(input, numClasses, hp);
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", NAMES));
    }
}
