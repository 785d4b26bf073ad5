package org.sparkprop.data.folder;

import java.io.Serializable;

/**
 * One image file of a dataset before decoding.
 *
 * @param id    position in the dataset's sorted listing: stable for the same files, used to seed augmentation
 * @param path  the file's full Hadoop URI
 * @param label class index (from the sorted class names)
 */
public record ImageItem(int id, String path, int label) implements Serializable {
}
