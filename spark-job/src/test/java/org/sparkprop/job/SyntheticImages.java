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

    /**
     * An image folder {@code root/band-k/i.png} of 3 classes x {@code perClass} gray {@code size}x{@code size} PNGs,
     * class k bright in horizontal band k over noise: separable by a linear model. Seeded.
     */
    public static java.nio.file.Path bandFolder(java.nio.file.Path root, int size, int perClass, long seed)
            throws java.io.IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < 3; k++) {
            java.nio.file.Files.createDirectories(root.resolve("band-" + k));
            for (int i = 0; i < perClass; i++) {
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(size, size,
                        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        image.getRaster().setSample(x, y, 0, (y * 3 / size == k ? 200 : 30) + random.nextInt(40));
                    }
                }
                javax.imageio.ImageIO.write(image, "png", root.resolve("band-" + k + "/" + i + ".png").toFile());
            }
        }
        return root;
    }
}
