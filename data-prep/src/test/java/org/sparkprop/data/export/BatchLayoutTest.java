package org.sparkprop.data.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.split.Split;

class BatchLayoutTest {
    /** 23 train images (ids 0..22), 7 test images (23..29); id 30 is a bad file in no split. */
    private static Map<Split, List<ImageItem>> parts() {
        List<ImageItem> train = new ArrayList<>();
        List<ImageItem> test = new ArrayList<>();
        for (int id = 0; id < 30; id++) {
            (id < 23 ? train : test).add(new ImageItem(id, "/d/" + id + ".png", id % 3));
        }
        return Map.of(Split.TRAIN, train, Split.TEST, test);
    }

    @Test
    void everyUsableImageHasOneRowInOneBatchAndBadFilesNone() {
        BatchLayout layout = BatchLayout.of(parts(), 31, 3, 5, 2, 7, "/copy");

        assertEquals(30, layout.placed());
        assertEquals(-1, layout.batchOf()[30]);
        Map<Integer, Set<Integer>> rows = new HashMap<>();
        for (int id = 0; id < 30; id++) {
            assertTrue(rows.computeIfAbsent(layout.batchOf()[id], b -> new HashSet<>()).add(layout.rowOf()[id]),
                    "two images in row " + layout.rowOf()[id] + " of batch " + layout.batchOf()[id]);
        }
        for (Set<Integer> batch : rows.values()) {
            assertTrue(batch.size() <= 5, "batch of " + batch.size());
            for (int row = 0; row < batch.size(); row++) {
                assertTrue(batch.contains(row), "rows " + batch + " are not 0..n-1");
            }
        }
    }

    @Test
    void trainAndTestNeverShareABatchFileAndTheFilesAreNumberedPerSplit() {
        BatchLayout layout = BatchLayout.of(parts(), 31, 3, 5, 2, 7, "/copy");

        List<String> expected = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            expected.add("/copy/" + BatchFiles.relative(Split.TRAIN, k));
        }
        expected.add("/copy/" + BatchFiles.relative(Split.TEST, 0));
        expected.add("/copy/" + BatchFiles.relative(Split.TEST, 1));
        assertEquals(expected, layout.paths());
        for (int id = 0; id < 30; id++) {
            String file = layout.paths().get(layout.batchOf()[id]);
            assertTrue(file.contains(id < 23 ? "/train/" : "/test/"), id + " in " + file);
        }
    }

    @Test
    void theManifestCountsComeWithTheLayout() {
        BatchLayout layout = BatchLayout.of(parts(), 31, 3, 5, 2, 7, "/copy");

        assertEquals(List.of("train", "test"), List.copyOf(layout.splits().keySet()));
        assertEquals(23, layout.splits().get("train").examples());
        assertEquals(5, layout.splits().get("train").batches());
        assertArrayEquals(new long[] {8, 8, 7}, layout.splits().get("train").perClass());
        assertArrayEquals(new long[] {2, 2, 3}, layout.splits().get("test").perClass());
    }

    @Test
    void theSameSeedGivesTheSameLayoutAndAnotherSeedAnother() {
        BatchLayout a = BatchLayout.of(parts(), 31, 3, 5, 2, 7, "/copy");
        BatchLayout b = BatchLayout.of(parts(), 31, 3, 5, 2, 7, "/copy");
        BatchLayout c = BatchLayout.of(parts(), 31, 3, 5, 2, 8, "/copy");

        assertArrayEquals(a.batchOf(), b.batchOf());
        assertArrayEquals(a.rowOf(), b.rowOf());
        assertTrue(!Arrays.equals(a.batchOf(), c.batchOf()) || !Arrays.equals(a.rowOf(), c.rowOf()));
    }
}
