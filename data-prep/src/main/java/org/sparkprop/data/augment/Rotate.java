package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/** Rotates about the centre by an angle drawn uniformly from [-range, range] degrees. */
public record Rotate(double range) implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        double angle = Math.toRadians(Augmentation.symmetric(random, range));
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        // inverse of a rotation by angle is a rotation by -angle
        return Warp.apply(image, new double[] {cos, sin, 0, -sin, cos, 0});
    }
}
