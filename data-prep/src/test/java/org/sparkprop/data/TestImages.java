package org.sparkprop.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Seeded synthetic images and files in every format the decoder takes, plus broken ones, written by the tests. */
public final class TestImages {
    private TestImages() {
    }

    /** A gray image whose pixel (x, y) is a seeded pattern. */
    public static BufferedImage gray(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        return image;
    }

    public static BufferedImage rgb(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code fraction} of the encoded bytes: a truncated file. */
    public static byte[] truncated(byte[] encoded, double fraction) {
        return Arrays.copyOf(encoded, (int) (encoded.length * fraction));
    }

    /** Valid header, then the rest overwritten with garbage. */
    public static byte[] corrupted(byte[] encoded, int keep) {
        byte[] out = encoded.clone();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = keep; i < out.length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    /**
     * The PNG {@code png} with its header declaring {@code width x height} pixels (the IHDR chunk and its CRC
     * rewritten), its image data unchanged: a small file that claims to be huge.
     */
    public static byte[] declaringSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(out);
        header.putInt(16, width).putInt(20, height); // after the signature (8), the length (4) and "IHDR" (4)
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(out, 12, 17); // "IHDR" and its 13 data bytes
        header.putInt(29, (int) crc.getValue());
        return out;
    }
}
