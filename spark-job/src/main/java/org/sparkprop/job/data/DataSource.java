package org.sparkprop.job.data;

import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.model.InputShape;

/**
 * Where a run's images come from, chosen once from the config by {@link #of}: a built-in IDX dataset ({@link Idx})
 * or an image folder on any Hadoop file system ({@link Folder}). Each knows its name and image shape without reading
 * an image, its shape with the class count (a folder is listed for it, metadata only), and how to load itself as
 * the run's {@link TrainingData}. A new kind of source (a table) is one more type here and its TrainingData.
 */
public sealed interface DataSource permits DataSource.Idx, DataSource.Folder {
    /** The configured source: an image folder when {@code data.path} is set, else the IDX {@code dataset}. */
    static DataSource of(TrainConfig config) {
        return config.data().path() != null ? new Folder(config) : new Idx(config);
    }

    /** For messages and metrics: the IDX dataset's id, or the folder's URI. */
    String name();

    /** The image shape models are built for; reads nothing. */
    InputShape input();

    /** Name, shape and class count; an image folder is listed for its classes. */
    DataShape shape(Configuration hadoop) throws IOException;

    /** The data for training: an IDX dataset fetched when needed and read, a folder listed (decoding needs Spark). */
    TrainingData load(DatasetFetcher fetcher, PrintStream console, Configuration hadoop) throws IOException;

    /** MNIST or Fashion-MNIST, read on the driver. */
    record Idx(TrainConfig config) implements DataSource {
        @Override
        public String name() {
            return config.data().dataset().id();
        }

        @Override
        public InputShape input() {
            return config.data().dataset().imageShape();
        }

        @Override
        public DataShape shape(Configuration hadoop) {
            return new DataShape(name(), input(), config.data().idxClassCount());
        }

        @Override
        public IdxData load(DatasetFetcher fetcher, PrintStream console, Configuration hadoop) throws IOException {
            return IdxData.load(config, fetcher, console);
        }
    }

    /** An image folder, turned into its pre-batched copy on the executors. */
    record Folder(TrainConfig config) implements DataSource {
        @Override
        public String name() {
            return config.data().path();
        }

        @Override
        public InputShape input() {
            return config.data().imageSize();
        }

        @Override
        public DataShape shape(Configuration hadoop) throws IOException {
            return DataShape.of(load(hadoop));
        }

        @Override
        public FolderData load(DatasetFetcher fetcher, PrintStream console, Configuration hadoop) throws IOException {
            return load(hadoop);
        }

        /** Lists the folder (metadata only). */
        public FolderData load(Configuration hadoop) throws IOException {
            return FolderData.list(config, hadoop);
        }
    }
}
