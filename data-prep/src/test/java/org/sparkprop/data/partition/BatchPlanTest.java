package org.sparkprop.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
    @Test
    void partitionsDifferByAtMostOneBatchForManySizes() {
        for (int n : new int[] {1, 31, 32, 33, 1000, 2999, 4096}) {
            for (int partitions : new int[] {1, 2, 3, 7, 16}) {
                for (int batch : new int[] {1, 10, 32, 64}) {
                    long[] counts = BatchPlan.of(IntStream.range(0, n).toArray(), batch, partitions, 5)
                            .examplesPerPartition();
                    long spread = Arrays.stream(counts).max().getAsLong() - Arrays.stream(counts).min().getAsLong();
                    assertTrue(spread <= batch, n + " items, " + partitions + " partitions, batch " + batch + ": "
                            + Arrays.toString(counts));
                    assertEquals(n, Arrays.stream(counts).sum());
                }
            }
        }
    }

    @Test
    void everyIdIsInExactlyOneBatchAndOnlyTheLastBatchIsShort() {
        BatchPlan plan = BatchPlan.of(IntStream.range(0, 3000).toArray(), 64, 4, 9);
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < plan.batchCount(); k++) {
            int[] batch = plan.batch(k);
            assertEquals(k < plan.batchCount() - 1 ? 64 : 3000 % 64, batch.length);
            for (int id : batch) {
                assertTrue(seen.add(id), "id " + id + " twice");
            }
        }
        assertEquals(3000, seen.size());
    }

    @Test
    void theBatchCompositionIsSeeded() {
        int[] ids = IntStream.range(0, 500).toArray();
        assertEquals(Arrays.toString(BatchPlan.of(ids, 32, 2, 1).batch(0)),
                Arrays.toString(BatchPlan.of(ids, 32, 2, 1).batch(0)));
        assertTrue(!Arrays.equals(BatchPlan.of(ids, 32, 2, 1).batch(0), BatchPlan.of(ids, 32, 2, 2).batch(0)));
    }
}
