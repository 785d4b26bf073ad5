package org.sparkprop.job.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Generated images for the benchmarks, each a function of its index (the same folder every time): small gray PNGs
 * with a seeded pattern, or photo-like 256x256 RGB JPEGs (smooth colour gradients plus noise, ImageIO's default
 * quality), which compress and decode like photographs rather than like flat test cards.
 */
public final class SyntheticImages {
    /** What kind of images a folder holds. */
    public enum Kind {
        /** 16x16 gray PNGs, a few hundred bytes each: many files, little data (listing and per-file cost). */
        SMALL("png"),
        /** 256x256 RGB JPEGs: few files, much data (decode and memory cost), trained at 224x224x3. */
        PHOTO("jpg");

        final String extension;

        Kind(String extension) {
            this.extension = extension;
        }

        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown kind " + name + ": small or photo");
        }
    }

    private SyntheticImages() {
    }

    /** The encoded image number {@code index} of {@code kind}. */
    public static byte[] encode(Kind kind, long index) {
        return kind == Kind.SMALL ? small(index) : photo(index);
    }

    /**
     * Writes {@code files} images of {@code kind} as {@code root/c<class>/<index>.<ext>} over {@code classes}
     * classes, on every core; files already there are kept (a folder grows from 10k to 100k without rewriting).
     */
    public static void writeFolder(Path root, long files, int classes, Kind kind) throws IOException {
        for (int c = 0; c < classes; c++) {
            Files.createDirectories(root.resolve(String.format("c%03d", c)));
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (long i = first; i < files; i += threads) {
                        Path file = root.resolve(String.format("c%03d/%08d.%s", i % classes, i, kind.extension));
                        if (!Files.exists(file)) {
                            try {
                                Files.write(file, encode(kind, i));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (Exception e) {
            throw new IOException("generating " + files + " images under " + root + " failed: " + e, e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] small(long index) {
        SplittableRandom random = new SplittableRandom(index);
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        int band = random.nextInt(16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = (Math.abs(x - band) < 3 ? 200 : 40) + random.nextInt(40);
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        return write(image, "png");
    }

    private static byte[] photo(long index) {
        SplittableRandom random = new SplittableRandom(index);
        BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        double fr = random.nextDouble(0.01, 0.05);
        double fg = random.nextDouble(0.01, 0.05);
        double fb = random.nextDouble(0.01, 0.05);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                int r = clamp(128 + 100 * Math.sin(fr * x + fg * y) + random.nextInt(-20, 21));
                int g = clamp(128 + 100 * Math.sin(fg * x - fb * y) + random.nextInt(-20, 21));
                int b = clamp(128 + 100 * Math.cos(fb * x + fr * y) + random.nextInt(-20, 21));
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return write(image, "jpg");
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }
}
