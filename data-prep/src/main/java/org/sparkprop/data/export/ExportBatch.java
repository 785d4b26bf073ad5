package org.sparkprop.data.export;

import java.io.Serializable;
import java.util.List;
import org.sparkprop.data.folder.ImageItem;

/**
 * One batch file to write, as planned on the driver before any image is decoded: what an export task receives
 * (metadata only).
 *
 * @param number global batch number (train first, then val, test)
 * @param split  the split's ordinal; a batch never mixes splits
 * @param index  the batch's number within its split, as its file is named before any gap is closed
 * @param path   the batch file's URI
 * @param rows   the batch's images in row order
 */
public record ExportBatch(int number, int split, int index, String path, List<ImageItem> rows)
        implements Serializable {
}
