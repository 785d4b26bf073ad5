package org.sparkprop.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    /** A 3-channel 20x24 image with a bright off-centre block, so every geometric transform moves something. */
    private static FloatImage image() {
        int h = 20;
        int w = 24;
        float[] data = new float[3 * h * w];
        SplittableRandom random = new SplittableRandom(3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    data[(c * h + y) * w + x] = (x > 4 && x < 12 && y > 3 && y < 9) ? 250 : random.nextInt(60);
                }
            }
        }
        return new FloatImage(data, h, w, 3);
    }

    private static AugmentationPipeline only(String type) {
        Map<String, Object> entry = type.equals("mirror") ? Map.of("type", type, "probability", 1.0)
                : Map.of("type", type, "probability", 1.0, "range", type.equals("rotate") ? 30.0 : 0.3);
        return AugmentationParser.parse("data.augment", List.of(entry));
    }

    @Test
    void everyAugmentationKeepsTheShapeAndTheValueRange() {
        for (String type : AugmentationParser.TYPES) {
            FloatImage out = only(type).apply(image(), 42, 1, 7);
            assertEquals(20, out.height(), type);
            assertEquals(24, out.width(), type);
            assertEquals(3, out.channels(), type);
            for (float v : out.data()) {
                assertTrue(v >= 0 && v <= 255, type + " produced " + v);
            }
        }
    }

    @Test
    void everyAugmentationIsAPureFunctionOfSeedEpochAndImageId() {
        for (String type : AugmentationParser.TYPES) {
            float[] a = only(type).apply(image(), 42, 3, 11).data();
            float[] b = only(type).apply(image(), 42, 3, 11).data();
            assertArrayEquals(a, b, type);
            assertFalse(Arrays.equals(image().data(), a), type + " changed nothing");
        }
    }

    @Test
    void differentEpochsAndImagesGetDifferentVariants() {
        for (String type : AugmentationParser.TYPES) {
            if (type.equals("mirror")) {
                continue; // a flip has no parameter: with probability 1 every epoch gets the same flip
            }
            float[] epoch1 = only(type).apply(image(), 42, 1, 11).data();
            float[] epoch2 = only(type).apply(image(), 42, 2, 11).data();
            float[] otherImage = only(type).apply(image(), 42, 1, 12).data();
            assertFalse(Arrays.equals(epoch1, epoch2), type + ": epochs 1 and 2 gave the same variant");
            assertFalse(Arrays.equals(epoch1, otherImage), type + ": images 11 and 12 drew the same parameters");
        }
        AugmentationPipeline halfMirror = AugmentationParser.parse("data.augment",
                List.of(Map.of("type", "mirror", "probability", 0.5)));
        int flipped = 0;
        for (int epoch = 1; epoch <= 200; epoch++) {
            if (!Arrays.equals(image().data(), halfMirror.apply(image(), 42, epoch, 11).data())) {
                flipped++;
            }
        }
        assertTrue(flipped > 70 && flipped < 130, "mirror with p = 0.5 flipped " + flipped + " of 200 epochs");
    }

    @Test
    void mirrorFlipsLeftToRightAndTwiceIsTheIdentity() {
        FloatImage once = new Mirror().apply(image(), new SplittableRandom(1));
        assertEquals(image().get(1, 5, 0), once.get(1, 5, 23));
        assertArrayEquals(image().data(), new Mirror().apply(once, new SplittableRandom(1)).data());
    }

    @Test
    void aTranslationMovesContentByTheDrawnShift() {
        // range 0.25 of width 24 is at most 6 pixels: the block's left edge (x = 5) lands within [-1, 11].
        FloatImage moved = new Translate(0.25).apply(image(), new SplittableRandom(5));
        float blockSum = 0;
        for (float v : moved.data()) {
            blockSum += v >= 240 ? 1 : 0;
        }
        assertTrue(blockSum > 0, "the bright block left the picture");
    }

    @Test
    void probabilityZeroLeavesTheImageAloneAndAnEmptyPipelineReturnsItUntouched() {
        FloatImage input = image();
        AugmentationPipeline never = AugmentationParser.parse("data.augment",
                List.of(Map.of("type", "rotate", "probability", 0.0, "range", 30)));
        assertArrayEquals(input.data(), never.apply(input, 1, 1, 1).data());
        assertSame(input, AugmentationPipeline.none().apply(input, 1, 1, 1));
    }

    @Test
    void configErrorsNameTheEntryAndWhatIsAllowed() {
        assertEquals("data.augment[1].type 'blur' is unknown; types: translate, rotate, mirror, scale, crop,"
                        + " intensity, color-jitter, noise",
                parseError(List.of(Map.of("type", "rotate"), Map.of("type", "blur"))));
        assertEquals("data.augment[0].range = 400 must be a number in [0.0, 180.0]",
                parseError(List.of(Map.of("type", "rotate", "range", 400))));
        assertEquals("data.augment[0].probability = 2 must be a number in [0.0, 1.0]",
                parseError(List.of(Map.of("type", "noise", "probability", 2))));
        assertEquals("data.augment[0].range: mirror takes no range",
                parseError(List.of(Map.of("type", "mirror", "range", 0.1))));
        assertEquals("data.augment[0].angle is not a known setting; an augmentation has type, probability and range",
                parseError(List.of(Map.of("type", "rotate", "angle", 3))));
    }

    private static String parseError(Object list) {
        return assertThrows(IllegalArgumentException.class, () -> AugmentationParser.parse("data.augment", list))
                .getMessage();
    }
}
