package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/** Adds independent Gaussian noise of standard deviation {@code range} x 255 to every value, then clamps. */
public record GaussianNoise(double range) implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        FloatImage out = image.copy();
        float[] data = out.data();
        double sigma = range * 255;
        for (int i = 0; i < data.length; i++) {
            data[i] += (float) (sigma * random.nextGaussian());
        }
        out.clamp();
        return out;
    }
}
