package org.sparkprop.data.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.split.Split;

class BatchLayoutTest {
    /** 23 train images (ids 0..22), 7 test images (23..29). */
    private static Map<Split, List<ImageItem>> parts() {
        List<ImageItem> train = new ArrayList<>();
        List<ImageItem> test = new ArrayList<>();
        for (int id = 0; id < 30; id++) {
            (id < 23 ? train : test).add(new ImageItem(id, "/d/" + id + ".png", id % 3));
        }
        return Map.of(Split.TRAIN, train, Split.TEST, test);
    }

    @Test
    void everyListedImageHasOneRowInOneBatchOfAtMostTheBatchSize() {
        BatchLayout layout = BatchLayout.of(parts(), 5, 7, "/copy");

        assertEquals(30, layout.placed());
        Set<Integer> seen = new HashSet<>();
        for (ExportBatch batch : layout.batches()) {
            assertTrue(batch.rows().size() <= 5 && !batch.rows().isEmpty(), "batch of " + batch.rows().size());
            for (ImageItem item : batch.rows()) {
                assertTrue(seen.add(item.id()), item + " placed twice");
            }
        }
        assertEquals(30, seen.size());
    }

    @Test
    void trainAndTestNeverShareABatchFileAndTheFilesAreNumberedPerSplit() {
        BatchLayout layout = BatchLayout.of(parts(), 5, 7, "/copy");

        List<String> expected = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            expected.add("/copy/" + BatchFiles.relative(Split.TRAIN, k));
        }
        expected.add("/copy/" + BatchFiles.relative(Split.TEST, 0));
        expected.add("/copy/" + BatchFiles.relative(Split.TEST, 1));
        assertEquals(expected, layout.paths());
        for (ExportBatch batch : layout.batches()) {
            assertEquals(layout.batches().indexOf(batch), batch.number());
            for (ImageItem item : batch.rows()) {
                assertEquals(item.id() < 23 ? Split.TRAIN.ordinal() : Split.TEST.ordinal(), batch.split(),
                        item + " in " + batch.path());
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameLayoutAndAnotherSeedAnother() {
        BatchLayout a = BatchLayout.of(parts(), 5, 7, "/copy");
        BatchLayout b = BatchLayout.of(parts(), 5, 7, "/copy");
        BatchLayout c = BatchLayout.of(parts(), 5, 8, "/copy");

        assertEquals(a, b);
        assertNotEquals(a, c);
    }
}
