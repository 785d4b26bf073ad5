package org.sparkprop.data.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * One random image transform. Implementations draw everything from the given random source (seeded per image and
 * epoch by {@link AugmentationPipeline}), return an image of the same shape, and keep values in 0..255.
 */
public interface Augmentation extends Serializable {
    FloatImage apply(FloatImage image, SplittableRandom random);

    /** Uniform in [-range, range]. */
    static double symmetric(SplittableRandom random, double range) {
        return range == 0 ? 0 : random.nextDouble(-range, range);
    }
}
