package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/**
 * Cuts a window whose sides are a fraction drawn uniformly from [1 - range, 1] of the image's, at a random
 * position, and scales it back up to the full size.
 */
public record RandomCrop(double range) implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        double side = 1 - (range == 0 ? 0 : random.nextDouble(0, range));
        double freeX = (1 - side) * image.width() / 2;
        double freeY = (1 - side) * image.height() / 2;
        double cx = Augmentation.symmetric(random, freeX);
        double cy = Augmentation.symmetric(random, freeY);
        return Warp.apply(image, new double[] {side, 0, cx, 0, side, cy});
    }
}
