package org.sparkprop.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sparkprop.data.TestImages;
import org.sparkprop.data.TestSettingNames;
import org.sparkprop.model.InputShape;

class ImageDecoderTest {
    private static final ImageDecoder GRAY_28 = new ImageDecoder(new InputShape(28, 28, 1), ResizePolicy.CROP,
            ImageLimits.DEFAULT, TestSettingNames.NAMES);
    private static final ImageDecoder RGB_28 = new ImageDecoder(new InputShape(28, 28, 3), ResizePolicy.CROP,
            ImageLimits.DEFAULT, TestSettingNames.NAMES);

    @Test
    void losslessGrayFilesOfTheDatasetSizeDecodeToTheirExactBytes() {
        BufferedImage image = TestImages.gray(28, 28, 1);
        byte[] expected = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (String format : new String[] {"png", "bmp", "gif"}) {
            ImageDecoder.Result result = GRAY_28.decode("x." + format, TestImages.encode(image, format));
            assertTrue(result.ok(), format + ": " + result.bad());
            assertArrayEquals(expected, result.pixels(), format);
        }
    }

    @Test
    void rgbFilesDecodeInRgbOrderAndGrayFilesAreReplicatedForAColourDataset() {
        BufferedImage rgb = TestImages.rgb(28, 28, 2);
        byte[] pixels = RGB_28.decode("x.png", TestImages.encode(rgb, "png")).pixels();
        int argb = rgb.getRGB(5, 3);
        int at = (3 * 28 + 5) * 3;
        assertEquals((argb >> 16) & 0xFF, pixels[at] & 0xFF);
        assertEquals((argb >> 8) & 0xFF, pixels[at + 1] & 0xFF);
        assertEquals(argb & 0xFF, pixels[at + 2] & 0xFF);

        BufferedImage gray = TestImages.gray(28, 28, 3);
        byte[] replicated = RGB_28.decode("g.png", TestImages.encode(gray, "png")).pixels();
        int value = gray.getRaster().getSample(5, 3, 0);
        assertEquals(value, replicated[at] & 0xFF);
        assertEquals(value, replicated[at + 1] & 0xFF);
        assertEquals(value, replicated[at + 2] & 0xFF);
    }

    @Test
    void jpegsOfOddSizesAreResizedToTheDatasetShape() {
        for (int[] size : new int[][] {{37, 23}, {13, 41}, {28, 28}}) {
            byte[] jpeg = TestImages.encode(TestImages.rgb(size[0], size[1], 4), "jpg");
            ImageDecoder.Result result = RGB_28.decode("x.jpg", jpeg);
            assertTrue(result.ok(), result.bad() + "");
            assertEquals(28 * 28 * 3, result.pixels().length);
            ImageDecoder.Result stretched = new ImageDecoder(new InputShape(20, 30, 3), ResizePolicy.STRETCH,
                    ImageLimits.DEFAULT, TestSettingNames.NAMES)
                    .decode("x.jpg", jpeg);
            assertEquals(20 * 30 * 3, stretched.pixels().length);
        }
    }

    @Test
    void centreCropKeepsTheMiddleOfAWideImage() {
        // 40x20: left quarter black, middle half white, right quarter black. Cropped to 20x20 it is all white.
        BufferedImage wide = new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) {
            for (int x = 10; x < 30; x++) {
                wide.getRaster().setSample(x, y, 0, 255);
            }
        }
        byte[] png = TestImages.encode(wide, "png");
        byte[] cropped = new ImageDecoder(new InputShape(10, 10, 1), ResizePolicy.CROP, ImageLimits.DEFAULT,
                TestSettingNames.NAMES).decode("w.png", png).pixels();
        for (byte b : cropped) {
            assertEquals(255, b & 0xFF);
        }
        byte[] stretched = new ImageDecoder(new InputShape(10, 10, 1), ResizePolicy.STRETCH, ImageLimits.DEFAULT,
                TestSettingNames.NAMES).decode("w.png", png)
                .pixels();
        assertEquals(0, stretched[0] & 0xFF, "stretching keeps the black border");
    }

    @Test
    void everyKindOfBrokenFileIsReportedWithItsReason() {
        byte[] png = TestImages.encode(TestImages.gray(28, 28, 5), "png");
        byte[] jpeg = TestImages.encode(TestImages.rgb(64, 64, 6), "jpg");
        assertBad(GRAY_28, new byte[0], BadInputReason.EMPTY_FILE);
        assertBad(GRAY_28, "just some notes\n".getBytes(StandardCharsets.UTF_8), BadInputReason.NOT_AN_IMAGE);
        assertBad(GRAY_28, TestImages.truncated(png, 0.5), BadInputReason.CORRUPT_IMAGE);
        assertBad(RGB_28, TestImages.truncated(jpeg, 0.5), BadInputReason.CORRUPT_IMAGE);
        assertBad(GRAY_28, TestImages.corrupted(png, 40), BadInputReason.CORRUPT_IMAGE);
        assertBad(GRAY_28, TestImages.encode(TestImages.rgb(28, 28, 7), "png"), BadInputReason.UNEXPECTED_CHANNELS);
    }

    @Test
    void aColourImageInAGrayDatasetNamesTheSettingToChange() {
        ImageDecoder.Result result = GRAY_28.decode("c.png", TestImages.encode(TestImages.rgb(28, 28, 7), "png"));
        assertEquals("3 colour channels in a gray dataset (28x28x1); set data.image-size to 28x28x3 if the dataset"
                + " is in colour", result.bad().detail());
    }

    @org.junit.jupiter.api.Test
    void aSmallFileDeclaringGigapixelsIsTooLargeBeforeAnythingIsDecodedAndImageIoKeepsNoDiskCache() {
        byte[] png = TestImages.encode(TestImages.gray(28, 28, 5), "png");
        byte[] huge = TestImages.declaringSize(png, 50_000, 50_000);

        ImageDecoder.Result result = GRAY_28.decode("huge.png", huge);
        org.junit.jupiter.api.Assertions.assertEquals(new BadInput("huge.png", BadInputReason.TOO_LARGE, "declares"
                + " 50000x50000 = 2,500,000,000 pixels, more than data.max-image-pixels = 64,000,000"), result.bad());
        org.junit.jupiter.api.Assertions.assertTrue(huge.length < 1000, "a file of " + huge.length + " bytes");
        org.junit.jupiter.api.Assertions.assertEquals("too-large", BadInputReason.TOO_LARGE.id());
        ImageDecoder small = new ImageDecoder(new InputShape(28, 28, 1), ResizePolicy.CROP, new ImageLimits(783,
                1 << 20), TestSettingNames.NAMES);
        org.junit.jupiter.api.Assertions.assertEquals(BadInputReason.TOO_LARGE, small.decode("a.png", png).bad()
                .reason(), "28 x 28 = 784 pixels, one over the limit");
        org.junit.jupiter.api.Assertions.assertTrue(GRAY_28.decode("a.png", png).ok());
        org.junit.jupiter.api.Assertions.assertFalse(javax.imageio.ImageIO.getUseCache());
    }

    private static void assertBad(ImageDecoder decoder, byte[] bytes, BadInputReason reason) {
        ImageDecoder.Result result = decoder.decode("f", bytes);
        assertFalse(result.ok(), reason + " decoded");
        assertEquals(reason, result.bad().reason(), result.bad().detail());
        assertEquals("f", result.bad().path());
    }
}
