package org.sparkprop.data.idx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Images with one class label (0..numClasses-1) each, as read from an IDX images/labels pair. */
public record LabeledImages(IdxImages images, byte[] labels, int numClasses) {
    public LabeledImages {
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " at index " + i + " is outside the "
                        + numClasses + " classes 0.." + (numClasses - 1));
            }
        }
    }

    /** Reads an images file and its labels file and checks that they pair up. */
    public static LabeledImages read(Path imagesFile, Path labelsFile, int numClasses) throws IOException {
        IdxImages images = IdxReader.readImages(imagesFile);
        byte[] labels = IdxReader.readLabels(labelsFile);
        try {
            return new LabeledImages(images, labels, numClasses);
        } catch (IllegalArgumentException e) {
            throw new IdxFormatException("IDX files " + imagesFile + " and " + labelsFile + " do not fit together: "
                    + e.getMessage());
        }
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** The first {@code n} examples (all of them when {@code n <= 0} or {@code n >= size()}). */
    public LabeledImages head(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        byte[] pixels = Arrays.copyOf(images.pixels(), n * images.pixelsPerImage());
        return new LabeledImages(new IdxImages(n, images.rows(), images.cols(), pixels), Arrays.copyOf(labels, n),
                numClasses);
    }
}
