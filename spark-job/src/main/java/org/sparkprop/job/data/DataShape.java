package org.sparkprop.job.data;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.model.InputShape;

/**
 * What a model is built for, known without reading any images: the data's name, image shape and class count. An
 * IDX dataset's come from the dataset (and data.classes); an image folder's shape is data.image-size and its class
 * count comes from listing the folder (metadata only).
 */
public record DataShape(String name, InputShape input, int classes) {
    /** The image shape alone: needs no listing. */
    public static InputShape input(TrainConfig config) {
        if (config.data().path() != null) {
            return config.data().imageSize();
        }
        return config.data().dataset().imageShape();
    }

    /** The data's name alone: the image folder's URI, or the IDX dataset's id. */
    public static String name(TrainConfig config) {
        return config.data().path() != null ? config.data().path() : config.data().dataset().id();
    }

    /** Name, shape and classes; lists an image folder for its classes. */
    public static DataShape of(TrainConfig config, Configuration hadoop) throws IOException {
        if (config.data().path() != null) {
            return of(FolderData.list(config, hadoop));
        }
        return new DataShape(name(config), input(config), config.data().idxClassCount());
    }

    /** The shape of data already loaded or listed. */
    public static DataShape of(TrainingData data) {
        return new DataShape(data.name(), data.shape(), data.numClasses());
    }
}
