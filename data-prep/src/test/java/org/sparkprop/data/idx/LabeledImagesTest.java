package org.sparkprop.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabeledImagesTest {
    /** Image i is filled with the value i, so a selection can be traced back to its source rows. */
    private static LabeledImages images(int... labels) {
        byte[] pixels = new byte[labels.length * 4];
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            java.util.Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            bytes[i] = (byte) labels[i];
        }
        return new LabeledImages(new IdxImages(labels.length, 2, 2, pixels), bytes, 10);
    }

    private static int[] firstPixels(LabeledImages images) {
        int[] out = new int[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = images.images().pixels()[i * 4];
        }
        return out;
    }

    @Test
    void aClassSplitKeepsOnlyThoseClassesRelabelledInTheGivenOrder() {
        LabeledImages split = images(5, 0, 7, 5, 9, 3).onlyClasses(new int[] {5, 6, 7, 8, 9});
        assertEquals(5, split.numClasses());
        assertArrayEquals(new int[] {0, 2, 3, 4}, firstPixels(split));
        assertArrayEquals(new byte[] {0, 2, 0, 4}, split.labels());
    }

    @Test
    void aClassSplitRefusesUnknownOrRepeatedClasses() {
        assertEquals("class 10 is outside the 10 classes 0..9",
                assertThrows(IllegalArgumentException.class, () -> images(1).onlyClasses(new int[] {10})).getMessage());
        assertEquals("class 1 is listed twice",
                assertThrows(IllegalArgumentException.class, () -> images(1).onlyClasses(new int[] {1, 1})).getMessage());
    }

    @Test
    void firstPerClassTakesTheFirstNOfEachClassInFileOrder() {
        LabeledImages subset = images(1, 1, 2, 1, 2, 2, 3).firstPerClass(2);
        assertArrayEquals(new int[] {0, 1, 2, 4, 6}, firstPixels(subset));
        assertArrayEquals(new byte[] {1, 1, 2, 2, 3}, subset.labels());
        assertEquals(10, subset.numClasses());
    }
}
