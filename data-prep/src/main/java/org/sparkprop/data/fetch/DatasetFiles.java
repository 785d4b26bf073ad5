package org.sparkprop.data.fetch;

import java.io.IOException;
import java.nio.file.Path;
import org.sparkprop.data.idx.LabeledImages;

/** Where the four IDX files of an MNIST-style dataset lie, and how many classes it has. */
public record DatasetFiles(String name, Path trainImages, Path trainLabels, Path testImages, Path testLabels,
                           int numClasses) {

    public LabeledImages readTrain() throws IOException {
        return LabeledImages.read(trainImages, trainLabels, numClasses);
    }

    public LabeledImages readTest() throws IOException {
        return LabeledImages.read(testImages, testLabels, numClasses);
    }

    public Path directory() {
        return trainImages.getParent();
    }
}
