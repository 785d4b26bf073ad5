package org.sparkprop.data.export;

import java.io.Serializable;
import java.util.List;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.normalize.ChannelStats;

/**
 * What one export task reports to the driver: counts and bad files only, never a row per good file.
 *
 * @param batches  the global numbers of the batches the task was given
 * @param rows     rows written to each of them, 0 where every member was bad (then no file was written)
 * @param perClass images written per (split ordinal x classes + label)
 * @param bad      the files that were not usable images
 * @param stats    per-channel pixel sums of the training images written (for standardization)
 */
public record ExportPart(int[] batches, int[] rows, long[] perClass, List<BadInput> bad, ChannelStats stats)
        implements Serializable {
}
