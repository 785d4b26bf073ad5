package org.sparkprop.model.hyper;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;

/**
 * How weights start: {@code he} (normal with variance 2/fan-in, for ReLU-family layers), {@code xavier} (variance
 * 2/(fan-in + fan-out), for tanh/sigmoid/softmax) or {@code normal} (mean 0, standard deviation {@code sigma}).
 * Biases start at 0.
 */
public record WeightInitSpec(String name, double sigma) {
    public static final List<String> NAMES = List.of("he", "xavier", "normal");
    public static final WeightInitSpec HE = new WeightInitSpec("he", 0.01);
    public static final WeightInitSpec XAVIER = new WeightInitSpec("xavier", 0.01);

    public WeightInitSpec {
        name = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown weight init '" + name + "'; known: " + String.join(", ", NAMES));
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("weight init sigma " + sigma + " must be a finite number > 0");
        }
    }

    public IWeightInit toWeightInit() {
        return switch (name) {
            case "he" -> WeightInit.RELU.getWeightInitFunction();
            case "xavier" -> WeightInit.XAVIER.getWeightInitFunction();
            case "normal" -> new WeightInitDistribution(new NormalDistribution(0, sigma));
            default -> throw new IllegalStateException(name);
        };
    }

    @Override
    public String toString() {
        return name.equals("normal") ? "normal(0, " + sigma + ")" : name;
    }
}
