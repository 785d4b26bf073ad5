package org.sparkprop.model.hyper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.activations.Activation;

/** The activation functions a model description may name, and the DL4J function behind each. */
public final class Activations {
    private static final Map<String, Activation> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("sigmoid", Activation.SIGMOID);
        BY_NAME.put("tanh", Activation.TANH);
        BY_NAME.put("relu", Activation.RELU);
        BY_NAME.put("elu", Activation.ELU);
        BY_NAME.put("softmax", Activation.SOFTMAX);
        BY_NAME.put("identity", Activation.IDENTITY);
    }

    public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private Activations() {
    }

    /** @throws IllegalArgumentException naming the allowed values when {@code name} is unknown */
    public static Activation parse(String name) {
        Activation a = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown activation '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return a;
    }

    public static String nameOf(Activation activation) {
        for (Map.Entry<String, Activation> e : BY_NAME.entrySet()) {
            if (e.getValue() == activation) {
                return e.getKey();
            }
        }
        return activation.name().toLowerCase(Locale.ROOT);
    }
}
