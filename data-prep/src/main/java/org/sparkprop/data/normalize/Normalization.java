package org.sparkprop.data.normalize;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How pixel values 0..255 become network inputs; the same object is applied in training, evaluation and
 * prediction (a pre-batched copy stores it in its manifest).
 *
 * @param mode how
 * @param mean per-channel mean of the training images (0..255 scale), for {@link Mode#STANDARDIZE}
 * @param std  per-channel standard deviation of the training images, for {@link Mode#STANDARDIZE}
 */
public record Normalization(Mode mode, double[] mean, double[] std) implements Serializable {
    public enum Mode {
        /** Divide by 255: inputs in [0, 1]. Simple, no statistics needed; the default. */
        SCALE,
        /**
         * Per channel, subtract the training set's mean and divide by its standard deviation (one distributed pass
         * to compute them). Zero-centred inputs, usually a little faster to train, especially for colour photos.
         */
        STANDARDIZE,
        /**
         * Raw 0..255. Only for demonstrating why scaling matters: pre-activations start ~255 times too large, which
         * saturates softmax and blows up gradients unless batch normalization re-centres the first layer.
         */
        NONE;

        public static final List<String> NAMES = Arrays.stream(values()).map(Mode::id).toList();

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode parse(String id) {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        }
    }

    public Normalization {
        if (mode == Mode.STANDARDIZE && (mean == null || std == null || mean.length != std.length)) {
            throw new IllegalArgumentException("standardization needs a mean and a standard deviation per channel");
        }
    }

    public static Normalization scale() {
        return new Normalization(Mode.SCALE, null, null);
    }

    public static Normalization none() {
        return new Normalization(Mode.NONE, null, null);
    }

    /** Standardization with the statistics of the training images; a constant channel is only centred. */
    public static Normalization standardize(ChannelStats stats) {
        double[] std = stats.std();
        for (int k = 0; k < std.length; k++) {
            if (std[k] < 1e-6) {
                std[k] = 1;
            }
        }
        return new Normalization(Mode.STANDARDIZE, stats.mean(), std);
    }

    /** Normalizes {@code chw} (channel-major pixel values 0..255) in place. */
    public void apply(float[] chw, int channels) {
        int plane = chw.length / channels;
        for (int c = 0; c < channels; c++) {
            float shift;
            float divisor;
            switch (mode) {
                case SCALE -> {
                    shift = 0;
                    divisor = 255f;
                }
                case STANDARDIZE -> {
                    shift = (float) mean[c];
                    divisor = (float) std[c];
                }
                default -> {
                    return;
                }
            }
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                chw[i] = (chw[i] - shift) / divisor;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && mode == n.mode && Arrays.equals(mean, n.mean)
                && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * mode.hashCode() + Arrays.hashCode(mean) + 7 * Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return mode == Mode.STANDARDIZE ? String.format(Locale.ROOT, "standardize (mean %s, std %s)",
                Arrays.toString(mean), Arrays.toString(std)) : mode.id();
    }
}
