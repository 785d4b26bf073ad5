package org.sparkprop.data.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.normalize.ChannelStats;
import org.sparkprop.data.split.Split;

/**
 * The driver's merge of the export tasks' {@link ExportPart}s: rows written per batch, images per split and class,
 * the bad files and the training pixels' sums. Its size depends on the batch count, never on one row per file.
 */
final class ExportResult {
    private final int[] rows;
    private final long[] perClass;
    private final List<BadInput> bad = new ArrayList<>();
    private final ChannelStats stats;
    private final int numClasses;

    private ExportResult(int batches, int numClasses, int channels) {
        this.rows = new int[batches];
        this.perClass = new long[Split.values().length * numClasses];
        this.stats = new ChannelStats(channels);
        this.numClasses = numClasses;
    }

    /** @throws IllegalStateException when a batch was reported by no task or by two */
    static ExportResult merge(List<ExportPart> parts, int batches, int numClasses, int channels) {
        ExportResult result = new ExportResult(batches, numClasses, channels);
        boolean[] seen = new boolean[batches];
        for (ExportPart part : parts) {
            for (int k = 0; k < part.batches().length; k++) {
                int batch = part.batches()[k];
                if (seen[batch]) {
                    throw new IllegalStateException("batch " + batch + " was reported twice");
                }
                seen[batch] = true;
                result.rows[batch] = part.rows()[k];
            }
            for (int i = 0; i < result.perClass.length; i++) {
                result.perClass[i] += part.perClass()[i];
            }
            result.bad.addAll(part.bad());
            result.stats.merge(part.stats());
        }
        for (int batch = 0; batch < batches; batch++) {
            if (!seen[batch]) {
                throw new IllegalStateException("batch " + batch + " was reported by no export task");
            }
        }
        return result;
    }

    long written() {
        long sum = 0;
        for (int r : rows) {
            sum += r;
        }
        return sum;
    }

    List<BadInput> bad() {
        return bad;
    }

    ChannelStats stats() {
        return stats;
    }

    /**
     * Renames batch files down so that each split's files are numbered without gaps (a batch whose every file was
     * bad has no file), and returns the examples, batches, per-class counts and short batches of each split written,
     * by split id.
     */
    Map<String, ExportManifest.SplitInfo> closeGaps(BatchLayout layout, int batchSize, FileSystem fs, String root)
            throws IOException {
        Map<String, ExportManifest.SplitInfo> splits = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            int files = 0;
            long examples = 0;
            Map<Integer, Integer> shortBatches = new TreeMap<>();
            for (ExportBatch batch : layout.batches()) {
                if (batch.split() != split.ordinal() || rows[batch.number()] == 0) {
                    continue;
                }
                if (batch.index() != files) {
                    Path to = new Path(root + "/" + BatchFiles.relative(split, files));
                    if (!fs.rename(new Path(batch.path()), to)) {
                        throw new IOException("cannot rename " + batch.path() + " to " + to);
                    }
                }
                if (rows[batch.number()] < batchSize) {
                    shortBatches.put(files, rows[batch.number()]);
                }
                files++;
                examples += rows[batch.number()];
            }
            if (files > 0) {
                long[] counts = new long[numClasses];
                System.arraycopy(perClass, split.ordinal() * numClasses, counts, 0, numClasses);
                splits.put(split.id(), new ExportManifest.SplitInfo(examples, files, counts, shortBatches));
            }
        }
        return splits;
    }
}
