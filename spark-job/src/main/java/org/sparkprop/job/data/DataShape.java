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
        if (config.dataPath() != null) {
            return new InputShape(config.imageSize().height(), config.imageSize().width(),
                    config.imageSize().channels());
        }
        int[] shape = config.dataset().imageShape();
        return new InputShape(shape[0], shape[1], shape[2]);
    }

    /** Name, shape and classes; lists an image folder for its classes. */
    public static DataShape of(TrainConfig config, Configuration hadoop) throws IOException {
        if (config.dataPath() != null) {
            FolderData data = FolderData.list(config, hadoop);
            return new DataShape(data.name(), data.shape(), data.numClasses());
        }
        int classes = config.dataClasses() != null ? config.dataClasses().length : config.dataset().numClasses();
        return new DataShape(config.dataset().id(), input(config), classes);
    }
}
