package org.sparkprop.data.batch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How 8-bit pixel values become network inputs. */
public enum PixelScaling {
    /** Divide by 255: inputs in [0, 1]. The usual choice; keeps initial pre-activations of order one. */
    SCALE(255f),
    /**
     * Raw 0..255. Only for demonstrating why scaling matters: pre-activations start ~255 times too large, which
     * saturates softmax and blows up gradients unless batch normalization re-centres the first layer.
     */
    NONE(1f);

    public static final List<String> NAMES = Arrays.stream(values()).map(PixelScaling::id).toList();

    private final float divisor;

    PixelScaling(float divisor) {
        this.divisor = divisor;
    }

    public float divisor() {
        return divisor;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PixelScaling parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
