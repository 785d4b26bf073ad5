package org.sparkprop.job.data;

import org.sparkprop.model.InputShape;

/**
 * What a model is built for, known without reading any images: the data's name, image shape and class count
 * ({@link DataSource#shape}: an IDX dataset's come from the dataset and data.classes; an image folder's shape is
 * data.image-size and its class count comes from listing the folder).
 */
public record DataShape(String name, InputShape input, int classes) {
    /** The shape of data already loaded or listed. */
    public static DataShape of(TrainingData data) {
        return new DataShape(data.name(), data.shape(), data.numClasses());
    }
}
