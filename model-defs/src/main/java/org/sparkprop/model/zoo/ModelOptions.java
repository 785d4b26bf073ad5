package org.sparkprop.model.zoo;

import java.util.List;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;

/**
 * Overrides of a catalogue model's defaults, each null when not given. {@code hidden}, {@code dropout} and
 * {@code batchNorm} shape the MLP family only; the others apply to every model.
 *
 * @param hidden           widths of the hidden dense layers
 * @param dropout          dropout rate after each hidden layer (0 = none)
 * @param batchNorm        batch normalization between each hidden dense layer and its activation
 * @param activation       activation of every hidden layer (replacing ReLU)
 * @param weightInit       initialization of hidden layers
 * @param loss             loss of the output layer
 * @param outputActivation activation of the output layer (default: the loss's usual one)
 */
public record ModelOptions(List<Integer> hidden, Double dropout, Boolean batchNorm, String activation,
                           WeightInitSpec weightInit, Loss loss, String outputActivation) {
    public static final ModelOptions NONE = new ModelOptions(null, null, null, null, null, null, null);

    public ModelOptions {
        hidden = hidden == null ? null : List.copyOf(hidden);
    }

    public ModelOptions withHidden(List<Integer> widths) {
        return new ModelOptions(widths, dropout, batchNorm, activation, weightInit, loss, outputActivation);
    }

    public ModelOptions withDropout(Double rate) {
        return new ModelOptions(hidden, rate, batchNorm, activation, weightInit, loss, outputActivation);
    }

    public ModelOptions withActivation(String name) {
        return new ModelOptions(hidden, dropout, batchNorm, name, weightInit, loss, outputActivation);
    }
}
