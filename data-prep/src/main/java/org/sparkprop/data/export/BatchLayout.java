package org.sparkprop.data.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.partition.BatchPlan;
import org.sparkprop.data.split.Split;

/**
 * Which image goes to which batch file, and to which row in it: the pure part of building a pre-batched copy.
 * Batch numbers run globally across the splits (train first, then val, test), each split's images shuffled by the
 * seed and cut into batches by {@link BatchPlan}; a batch never mixes splits.
 *
 * @param batchOf batch number of each image id, -1 for an image in no batch (a bad file)
 * @param rowOf   row of each image id within its batch
 * @param paths   batch file path of each batch number
 * @param splits  examples, batches and per-class counts of each split present, by split id
 */
public record BatchLayout(int[] batchOf, int[] rowOf, List<String> paths,
                          Map<String, ExportManifest.SplitInfo> splits) {
    /**
     * @param parts      the usable images of each split
     * @param ids        image ids run from 0 to {@code ids - 1}
     * @param numClasses labels run from 0 to {@code numClasses - 1}
     * @param root       the copy's root; batch files lie under it as {@link BatchFiles#relative} names them
     */
    public static BatchLayout of(Map<Split, List<ImageItem>> parts, int ids, int numClasses, int batchSize,
                                 int partitions, long seed, String root) {
        int[] batchOf = new int[ids];
        int[] rowOf = new int[ids];
        Arrays.fill(batchOf, -1);
        Map<String, ExportManifest.SplitInfo> splits = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        for (Split split : Split.values()) {
            List<ImageItem> items = parts.getOrDefault(split, List.of());
            if (items.isEmpty()) {
                continue;
            }
            int[] splitIds = items.stream().mapToInt(ImageItem::id).toArray();
            BatchPlan plan = BatchPlan.of(splitIds, batchSize, partitions, seed * 31 + split.ordinal());
            for (int k = 0; k < plan.batchCount(); k++) {
                int[] batch = plan.batch(k);
                for (int row = 0; row < batch.length; row++) {
                    batchOf[batch[row]] = paths.size();
                    rowOf[batch[row]] = row;
                }
                paths.add(root + "/" + BatchFiles.relative(split, k));
            }
            long[] perClass = new long[numClasses];
            for (ImageItem item : items) {
                perClass[item.label()]++;
            }
            splits.put(split.id(), new ExportManifest.SplitInfo(items.size(), plan.batchCount(), perClass));
        }
        return new BatchLayout(batchOf, rowOf, Collections.unmodifiableList(paths),
                Collections.unmodifiableMap(splits));
    }

    /** Images placed in batches. */
    public long placed() {
        return Arrays.stream(batchOf).filter(b -> b >= 0).count();
    }
}
