package org.sparkprop.data.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
    /** 3,000 items over 7 classes of very different sizes (class c has 100 + 60c items, the rest in class 0). */
    private static List<int[]> items() {
        List<int[]> items = new ArrayList<>();
        int id = 0;
        for (int c = 0; c < 7; c++) {
            int n = c == 0 ? 3000 - (100 * 6 + 60 * 21) : 100 + 60 * c;
            for (int i = 0; i < n; i++) {
                items.add(new int[] {id++, c});
            }
        }
        return items;
    }

    @Test
    void everyPartHoldsEachClassInTheDatasetsProportionWithinOneItem() {
        SplitRatios ratios = new SplitRatios(0.7, 0.2, 0.1);
        Map<Split, List<int[]>> parts = StratifiedSplit.split(items(), item -> item[1], ratios, 42);
        int[] perClass = new int[7];
        items().forEach(item -> perClass[item[1]]++);
        for (Split split : Split.values()) {
            int[] counts = new int[7];
            parts.get(split).forEach(item -> counts[item[1]]++);
            for (int c = 0; c < 7; c++) {
                double expected = perClass[c] * ratios.of(split);
                assertTrue(Math.abs(counts[c] - expected) <= 1, split + " class " + c + ": " + counts[c]
                        + " vs " + expected);
            }
        }
    }

    @Test
    void thePartsAreDisjointAndCoverEveryItem() {
        Map<Split, List<int[]>> parts = StratifiedSplit.split(items(), item -> item[1], new SplitRatios(0.8, 0.1, 0.1),
                7);
        Set<Integer> seen = new HashSet<>();
        int total = 0;
        for (List<int[]> part : parts.values()) {
            for (int[] item : part) {
                seen.add(item[0]);
                total++;
            }
        }
        assertEquals(3000, total);
        assertEquals(3000, seen.size(), "an item landed in two parts");
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        SplitRatios ratios = new SplitRatios(0.8, 0.1, 0.1);
        List<Integer> a = ids(StratifiedSplit.split(items(), item -> item[1], ratios, 1).get(Split.TEST));
        List<Integer> b = ids(StratifiedSplit.split(items(), item -> item[1], ratios, 1).get(Split.TEST));
        List<Integer> c = ids(StratifiedSplit.split(items(), item -> item[1], ratios, 2).get(Split.TEST));
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }

    @Test
    void aTinyClassKeepsAtLeastOneTrainingItem() {
        List<int[]> items = List.of(new int[] {0, 0}, new int[] {1, 1}, new int[] {2, 1}, new int[] {3, 1});
        Map<Split, List<int[]>> parts = StratifiedSplit.split(items, item -> item[1], new SplitRatios(0.2, 0.4, 0.4),
                1);
        assertEquals(1, parts.get(Split.TRAIN).stream().filter(item -> item[1] == 0).count());
    }

    @Test
    void ratiosMustAddUpToOne() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SplitRatios.parse("0.8,0.3,0.1"));
        assertEquals("ratios 0.8,0.3,0.1 must be train > 0, val >= 0, test >= 0 and add up to 1, e.g. 0.8,0.1,0.1",
                e.getMessage());
    }

    private static List<Integer> ids(List<int[]> items) {
        return items.stream().map(item -> item[0]).toList();
    }
}
