package org.sparkprop.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.idx.IdxImages;
import org.sparkprop.data.idx.LabeledImages;

class MiniBatcherTest {
    private static LabeledImages tiny(int n) {
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) (i * 50));
            labels[i] = (byte) (i % 3);
        }
        return new LabeledImages(new IdxImages(n, 2, 2, pixels), labels, 3);
    }

    @Test
    void batchesHoldNchwFeaturesScaledToUnitRangeAndOneHotLabels() {
        List<DataSet> batches = MiniBatcher.inOrder(tiny(5), 2);

        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {2, 1, 2, 2}, batches.get(0).getFeatures().shape());
        assertArrayEquals(new long[] {1, 1, 2, 2}, batches.get(2).getFeatures().shape());
        assertEquals(200 / 255f, batches.get(2).getFeatures().getFloat(0, 0, 1, 1), 1e-6);
        assertArrayEquals(new float[] {0, 1, 0}, batches.get(0).getLabels().getRow(1).toFloatVector());
        assertArrayEquals(new float[] {0, 1, 0}, batches.get(2).getLabels().getRow(0).toFloatVector());
    }

    @Test
    void theSameSeedAndEpochGiveTheSameOrderAndEachEpochADifferentOne() {
        int[] first = MiniBatcher.permutation(1000, 42, 1);

        assertArrayEquals(first, MiniBatcher.permutation(1000, 42, 1));
        assertFalse(Arrays.equals(first, MiniBatcher.permutation(1000, 42, 2)));
        assertFalse(Arrays.equals(first, MiniBatcher.permutation(1000, 43, 1)));
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void aShuffledEpochKeepsEveryExampleWithItsOwnLabel() {
        LabeledImages data = tiny(6);
        List<DataSet> batches = MiniBatcher.shuffled(data, 4, 7, 3);

        int seen = 0;
        for (DataSet batch : batches) {
            for (int row = 0; row < batch.numExamples(); row++) {
                int example = Math.round(batch.getFeatures().getFloat(row, 0, 0, 0) * 255f) / 50;
                assertEquals(1f, batch.getLabels().getFloat(row, example % 3));
                seen |= 1 << example;
            }
        }
        assertEquals(0b111111, seen);
    }
}
