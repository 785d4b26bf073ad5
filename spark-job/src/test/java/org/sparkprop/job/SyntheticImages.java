package org.sparkprop.job;

import java.util.SplittableRandom;
import org.sparkprop.data.idx.IdxImages;
import org.sparkprop.data.idx.LabeledImages;

/**
 * A small learnable image task: 28x28 gray images of 4 classes, class k showing a bright 8x8 square in quadrant k,
 * at a random offset, over uniform noise. Seeded: the same seed gives the same images.
 */
public final class SyntheticImages {
    public static final int CLASSES = 4;

    private SyntheticImages() {
    }

    public static LabeledImages make(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            labels[i] = (byte) label;
            int base = i * 784;
            for (int p = 0; p < 784; p++) {
                pixels[base + p] = (byte) random.nextInt(90);
            }
            int top = (label / 2) * 14 + random.nextInt(5);
            int left = (label % 2) * 14 + random.nextInt(5);
            for (int r = top; r < top + 8; r++) {
                for (int c = left; c < left + 8; c++) {
                    pixels[base + r * 28 + c] = (byte) (170 + random.nextInt(86));
                }
            }
        }
        return new LabeledImages(new IdxImages(n, 28, 28, pixels), labels, CLASSES);
    }
}
