package org.sparkprop.data.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.partition.BatchPlan;
import org.sparkprop.data.split.Split;

/**
 * Which image goes to which batch file, and to which row in it: the pure part of building a pre-batched copy,
 * planned on the listed files before any is decoded. Batch numbers run globally across the splits (train first,
 * then val, test), each split's images shuffled by the seed and cut into batches by {@link BatchPlan}; a batch never
 * mixes splits. A file that turns out bad when decoded leaves its batch one row short.
 *
 * @param batches every batch, by global number
 */
public record BatchLayout(List<ExportBatch> batches) {
    /**
     * @param parts the listed images of each split
     * @param root  the copy's root; batch files lie under it as {@link BatchFiles#relative} names them
     */
    public static BatchLayout of(Map<Split, List<ImageItem>> parts, int batchSize, long seed, String root) {
        List<ExportBatch> batches = new ArrayList<>();
        for (Split split : Split.values()) {
            List<ImageItem> items = parts.getOrDefault(split, List.of());
            if (items.isEmpty()) {
                continue;
            }
            int[] positions = new int[items.size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
            // planning positions in the split draws the same permutation as planning the ids themselves (the
            // shuffle depends only on the count and the seed), without an id-indexed table the size of the listing
            BatchPlan plan = BatchPlan.of(positions, batchSize, 1, seed * 31 + split.ordinal());
            for (int k = 0; k < plan.batchCount(); k++) {
                List<ImageItem> rows = new ArrayList<>(plan.batch(k).length);
                for (int position : plan.batch(k)) {
                    rows.add(items.get(position));
                }
                batches.add(new ExportBatch(batches.size(), split.ordinal(), k,
                        root + "/" + BatchFiles.relative(split, k), rows));
            }
        }
        return new BatchLayout(Collections.unmodifiableList(batches));
    }

    /** Batch file URIs by global number. */
    public List<String> paths() {
        return batches.stream().map(ExportBatch::path).toList();
    }

    /** Images placed in batches. */
    public long placed() {
        return batches.stream().mapToLong(b -> b.rows().size()).sum();
    }
}
