package org.sparkprop.job.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.data.export.BatchExporter;
import org.sparkprop.data.export.ExportSpec;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.folder.ImageLimits;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.Split;
import org.sparkprop.data.split.SplitRatios;
import org.sparkprop.job.config.DataSection;
import org.sparkprop.job.spark.SparkContexts;
import org.sparkprop.model.InputShape;

/**
 * The image-folder export at growing sizes, in one Spark local-mode JVM (driver and executors share its heap): a
 * generated folder grows to each size in turn and is listed and exported to its pre-batched copy. Per size it
 * prints the listing time and the heap the listing keeps, the export's images/s against one core's read-and-decode
 * rate times the cores, and the JVM's peak live heap during the export.
 */
public final class ExportBenchmark {
    private static final long MB = 1L << 20;
    private final PrintStream out;

    public ExportBenchmark(PrintStream out) {
        this.out = out;
    }

    /**
     * @param dir   where the folder ({@code dir/images}) and its copy ({@code dir/batches}) go; kept afterwards, so
     *              a later size or run reuses the images
     * @param sizes file counts, ascending
     */
    public void run(Path dir, List<Long> sizes, SyntheticImages.Kind kind, InputShape shape, int classes,
                    int batchSize) throws IOException {
        Path images = dir.resolve("images");
        String source = images.toUri().toString().replaceAll("/$", "");
        String target = dir.resolve("batches").toUri().toString().replaceAll("/$", "");
        long maxHeap = Runtime.getRuntime().maxMemory();
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "export benchmark: %s images at %s, %d classes, batch %d, Spark local[*] (%d cores),"
                + " heap limit %,d MB, Java %s%n", kind.name().toLowerCase(Locale.ROOT), shape, classes, batchSize,
                cores, maxHeap / MB, System.getProperty("java.version"));
        out.println("files | input MB | generate s | list s | listing peak live heap MB | listing kept MB"
                + " | decode/s (1 core) | tasks | export s | export images/s | x (decode x cores) | export peak live heap"
                + " MB | bad");
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop bench-export", "local[*]"))) {
            for (long files : sizes) {
                measure(sc, images, source, target, files, kind, shape, classes, batchSize, cores);
            }
        }
    }

    /** One size: everything it holds is unreachable once it returns, so the next size's "kept" starts clean. */
    private void measure(JavaSparkContext sc, Path images, String source, String target, long files,
                         SyntheticImages.Kind kind, InputShape shape, int classes, int batchSize, int cores)
            throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        long t0 = System.nanoTime();
        SyntheticImages.writeFolder(images, files, classes, kind);
        double generate = (System.nanoTime() - t0) / 1e9;
        HeapWatch.retained();
        long t1 = System.nanoTime();
        ImageFolder.Listing listing;
        long listPeak;
        try (HeapWatch watch = new HeapWatch()) {
            listing = ImageFolder.list(source, DataSection.SETTING_NAMES, hadoop);
            listPeak = watch.peakLive();
        }
        double list = (System.nanoTime() - t1) / 1e9;
        long kept = HeapWatch.retained();
        listing = null; // what the listing alone holds: the heap with it, less the heap without it
        kept -= HeapWatch.retained();
        listing = ImageFolder.list(source, DataSection.SETTING_NAMES, hadoop);
        if (listing.fileCount() != files) {
            throw new IllegalStateException(images + " holds " + listing.fileCount() + " images, not " + files
                    + ": give a new --dir, or sizes from " + listing.fileCount() + " up");
        }
        double decode = decodeRate(listing, shape, hadoop);
        ExportSpec spec = ExportSpec.from(source, target).shape(shape).resize(ResizePolicy.CROP)
                .split(new SplitRatios(0.8, 0.1, 0.1)).batchSize(batchSize).seed(1)
                .normalization(Normalization.Mode.SCALE).partitions(cores).badInputThreshold(0.01)
                .names(DataSection.SETTING_NAMES).build();
        int tasks = spec.tasks(listing.bytes(), (int) Math.min(Integer.MAX_VALUE,
                (listing.fileCount() + batchSize - 1) / batchSize));
        // the benchmark's own copy: removed so that every size builds one (a matching copy would be reused)
        org.apache.commons.io.FileUtils.deleteDirectory(images.resolveSibling("batches").toFile());
        BatchExporter.Outcome outcome;
        long t2 = System.nanoTime();
        double export;
        long peak;
        try (HeapWatch watch = new HeapWatch()) {
            outcome = BatchExporter.prepare(sc, spec, listing);
            export = (System.nanoTime() - t2) / 1e9;
            peak = watch.peakLive();
        }
        if (outcome.dataset().reused()) {
            throw new IllegalStateException("the copy at " + target + " was reused: nothing was measured");
        }
        long written = 0;
        for (Split split : Split.values()) {
            written += outcome.dataset().has(split) ? outcome.dataset().examples(split) : 0;
        }
        double rate = written / export;
        out.printf(Locale.ROOT, "%,d | %,.1f | %.1f | %.2f | %,.0f | %,.1f | %,.0f | %d | %.1f | %,.0f | %.2f"
                        + " | %,.0f | %d%n", listing.fileCount(), listing.bytes() / (double) MB, generate, list,
                listPeak / (double) MB, kept / (double) MB, decode, tasks, export, rate, rate / (decode * cores),
                peak / (double) MB,
                outcome.badInput().count());
    }

    /** One thread reading and decoding the first 1,000 listed files (after a warm-up), median of 3, images/s. */
    private static double decodeRate(ImageFolder.Listing listing, InputShape shape, Configuration hadoop)
            throws IOException {
        List<ImageItem> sample = listing.items().get(Split.TRAIN);
        sample = sample.subList(0, Math.min(1000, sample.size()));
        ImageDecoder decoder = new ImageDecoder(shape, ResizePolicy.CROP, ImageLimits.DEFAULT,
                DataSection.SETTING_NAMES);
        FileSystem fs = new org.apache.hadoop.fs.Path(sample.get(0).path()).getFileSystem(hadoop);
        double[] rates = new double[3];
        for (int r = -1; r < rates.length; r++) {
            long start = System.nanoTime();
            for (ImageItem item : sample) {
                if (!decoder.read(fs, item.path()).ok()) {
                    throw new IllegalStateException("generated image " + item.path() + " did not decode");
                }
            }
            if (r >= 0) {
                rates[r] = sample.size() / ((System.nanoTime() - start) / 1e9);
            }
        }
        Arrays.sort(rates);
        return rates[1];
    }

    /** Whether {@code dir} may hold the benchmark's files: missing, empty, or holding only its images and copy. */
    public static boolean usable(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            return entries.allMatch(p -> List.of("images", "batches").contains(p.getFileName().toString()));
        }
    }
}
