package org.sparkprop.model.spec;

import java.util.List;
import java.util.Locale;
import org.sparkprop.model.hyper.Activations;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;

/**
 * One entry of a declarative model description. Each type validates its own values on construction; shapes are
 * checked when the network is built for an input. A null {@code weightInit} means the model's default.
 */
public sealed interface LayerSpec {
    /** The name used in model descriptions, e.g. {@code conv}. */
    String type();

    /** Fully connected layer. */
    record Dense(int units, String activation, boolean bias, WeightInitSpec weightInit) implements LayerSpec {
        public Dense {
            positive("dense units", units);
            activation = checkActivation(activation);
        }

        public String type() {
            return "dense";
        }
    }

    /** 2-D convolution; {@code padding} is {@code valid} (no padding) or {@code same} (output = ceil(in/stride)). */
    record Conv(int filters, int kernel, int stride, String padding, String activation, boolean bias,
                WeightInitSpec weightInit) implements LayerSpec {
        public Conv {
            positive("conv filters", filters);
            positive("conv kernel", kernel);
            positive("conv stride", stride);
            padding = checkPadding(padding);
            activation = checkActivation(activation);
        }

        public String type() {
            return "conv";
        }
    }

    /** Max or average pooling over {@code size x size} windows. */
    record Pool(String kind, int size, int stride, String padding) implements LayerSpec {
        public Pool {
            kind = kind.toLowerCase(Locale.ROOT);
            if (!kind.equals("max") && !kind.equals("avg")) {
                throw new IllegalArgumentException("pool kind '" + kind + "' must be max or avg");
            }
            positive("pool size", size);
            positive("pool stride", stride);
            padding = checkPadding(padding);
        }

        public String type() {
            return kind + "pool";
        }
    }

    /** Average over all positions of each channel (ResNet's head). */
    record GlobalAvgPool() implements LayerSpec {
        public String type() {
            return "globalavgpool";
        }
    }

    /** Channels x height x width to one vector. */
    record Flatten() implements LayerSpec {
        public String type() {
            return "flatten";
        }
    }

    /** Inverted dropout of {@code rate} (the share of activations zeroed) during training only. */
    record Dropout(double rate) implements LayerSpec {
        public Dropout {
            if (!(rate > 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate " + rate + " must be in (0, 1)");
            }
        }

        public String type() {
            return "dropout";
        }
    }

    /** Batch normalization (per feature, or per channel after convolutions), with learned scale and shift. */
    record BatchNorm() implements LayerSpec {
        public String type() {
            return "batchnorm";
        }
    }

    /** An activation function on its own (e.g. after batch normalization). */
    record Activation(String function) implements LayerSpec {
        public Activation {
            function = checkActivation(function);
        }

        public String type() {
            return "activation";
        }
    }

    /**
     * The classifier: one unit per class. A null {@code activation} means the loss's usual pairing (softmax for
     * categorical cross-entropy, sigmoid for binary cross-entropy, identity for squared error).
     */
    record Output(String activation, Loss loss, WeightInitSpec weightInit) implements LayerSpec {
        public Output {
            activation = activation == null ? null : checkActivation(activation);
        }

        public String type() {
            return "output";
        }

        public String effectiveActivation() {
            return activation != null ? activation : Activations.nameOf(loss.usualActivation());
        }
    }

    /**
     * A ResNet block: basic (two 3x3 convolutions, {@code filters} channels out) or bottleneck (1x1, 3x3, 1x1 with
     * 4 x {@code filters} channels out), each convolution followed by batch normalization, ReLU after the sum. The
     * shortcut is the identity, or a strided 1x1 convolution with batch normalization when the shape changes.
     */
    record Residual(int filters, int stride, boolean bottleneck) implements LayerSpec {
        public Residual {
            positive("residual filters", filters);
            positive("residual stride", stride);
        }

        public String type() {
            return "residual";
        }

        public int outChannels() {
            return bottleneck ? 4 * filters : filters;
        }
    }

    List<String> TYPES = List.of("dense", "conv", "maxpool", "avgpool", "globalavgpool", "flatten", "dropout",
            "batchnorm", "activation", "output", "residual");

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " " + v + " must be >= 1");
        }
    }

    private static String checkActivation(String name) {
        Activations.parse(name);
        return name.toLowerCase(Locale.ROOT);
    }

    private static String checkPadding(String p) {
        String v = p.toLowerCase(Locale.ROOT);
        if (!v.equals("valid") && !v.equals("same")) {
            throw new IllegalArgumentException("padding '" + p + "' must be valid or same");
        }
        return v;
    }
}
