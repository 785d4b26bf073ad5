package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/** Shifts by up to {@code range} x width horizontally and x height vertically (each drawn uniformly). */
public record Translate(double range) implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        double dx = Augmentation.symmetric(random, range) * image.width();
        double dy = Augmentation.symmetric(random, range) * image.height();
        return Warp.apply(image, new double[] {1, 0, -dx, 0, 1, -dy});
    }
}
