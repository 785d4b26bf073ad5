package org.sparkprop.model;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Which gradient-descent update rule to use and its step size.
 *
 * @param name         {@code sgd} (plain), {@code nesterov} (SGD with Nesterov momentum) or {@code adam}
 * @param learningRate step size, &gt; 0
 * @param momentum     momentum coefficient in [0, 1), used by {@code nesterov} only
 */
public record OptimizerSpec(String name, double learningRate, double momentum) {
    public static final List<String> NAMES = List.of("sgd", "nesterov", "adam");

    public OptimizerSpec {
        name = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: " + String.join(", ", NAMES));
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate " + learningRate + " must be a finite number > 0");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum " + momentum + " must be in [0, 1)");
        }
    }

    public IUpdater toUpdater() {
        return switch (name) {
            case "sgd" -> new Sgd(learningRate);
            case "nesterov" -> new Nesterovs(learningRate, momentum);
            case "adam" -> new Adam(learningRate);
            default -> throw new IllegalStateException(name);
        };
    }
}
