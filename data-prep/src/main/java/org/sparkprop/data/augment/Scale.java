package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/** Zooms about the centre by a factor drawn uniformly from [1 - range, 1 + range]; the size stays the same. */
public record Scale(double range) implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        double factor = 1 + Augmentation.symmetric(random, range);
        return Warp.apply(image, new double[] {1 / factor, 0, 0, 0, 1 / factor, 0});
    }
}
