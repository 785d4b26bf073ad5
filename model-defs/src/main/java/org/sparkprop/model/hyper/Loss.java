package org.sparkprop.model.hyper;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Loss functions of an output layer, each with the output activation it is normally paired with (used when the model
 * description names no output activation).
 */
public enum Loss {
    /** Cross-entropy over mutually exclusive classes (one-hot labels); pairs with softmax. */
    CATEGORICAL_CROSSENTROPY("categorical-crossentropy", LossFunction.MCXENT, Activation.SOFTMAX),
    /** Independent per-output cross-entropy (multi-label, or one-hot treated as independent bits); pairs with sigmoid. */
    BINARY_CROSSENTROPY("binary-crossentropy", LossFunction.XENT, Activation.SIGMOID),
    /** Mean squared error; pairs with identity. */
    SQUARED_ERROR("squared-error", LossFunction.MSE, Activation.IDENTITY);

    public static final List<String> NAMES = Arrays.stream(values()).map(Loss::id).toList();

    private final String id;
    private final LossFunction function;
    private final Activation usualActivation;

    Loss(String id, LossFunction function, Activation usualActivation) {
        this.id = id;
        this.function = function;
        this.usualActivation = usualActivation;
    }

    public String id() {
        return id;
    }

    public LossFunction function() {
        return function;
    }

    public Activation usualActivation() {
        return usualActivation;
    }

    /** @throws IllegalArgumentException naming the allowed values when {@code name} is unknown */
    public static Loss parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Loss l : values()) {
            if (l.id.equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + String.join(", ", NAMES));
    }
}
