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

    /**
     * Only the examples of {@code classes} (original label indices, each once), relabelled 0..k-1 in the order given:
     * a class split such as digits 5-9 becomes a 5-class problem whose label 0 is digit 5.
     */
    public LabeledImages onlyClasses(int[] classes) {
        int[] newLabel = new int[numClasses];
        Arrays.fill(newLabel, -1);
        for (int k = 0; k < classes.length; k++) {
            int c = classes[k];
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("class " + c + " is outside the " + numClasses + " classes 0.."
                        + (numClasses - 1));
            }
            if (newLabel[c] >= 0) {
                throw new IllegalArgumentException("class " + c + " is listed twice");
            }
            newLabel[c] = k;
        }
        return select(i -> newLabel[label(i)] >= 0, i -> newLabel[label(i)], classes.length);
    }

    /**
     * The first {@code n} examples of each class in file order (all of a class that has fewer), in file order: a
     * balanced, deterministic labelled subset such as "100 per class".
     */
    public LabeledImages firstPerClass(int n) {
        int[] taken = new int[numClasses];
        boolean[] keep = new boolean[size()];
        for (int i = 0; i < size(); i++) {
            keep[i] = taken[label(i)]++ < n;
        }
        return select(i -> keep[i], this::label, numClasses);
    }

    private LabeledImages select(java.util.function.IntPredicate keep, java.util.function.IntUnaryOperator relabel,
                                 int classes) {
        int per = images.pixelsPerImage();
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (keep.test(i)) {
                n++;
            }
        }
        byte[] pixels = new byte[n * per];
        byte[] newLabels = new byte[n];
        int j = 0;
        for (int i = 0; i < size(); i++) {
            if (keep.test(i)) {
                System.arraycopy(images.pixels(), i * per, pixels, j * per, per);
                newLabels[j++] = (byte) relabel.applyAsInt(i);
            }
        }
        return new LabeledImages(new IdxImages(n, images.rows(), images.cols(), pixels), newLabels, classes);
    }
}
