package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sparkprop.job.bench.ExportBenchmark;
import org.sparkprop.job.bench.SyntheticImages;
import org.sparkprop.model.InputShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench-export --dir DIR [--files N,N...] [--kind small|photo]}: the export's speed and heap as data grows. */
@Command(name = "bench-export",
        customSynopsis = "usage: sparkprop bench-export --dir DIR [--files N,N,...] [--kind small|photo]"
                + " [--image-size HxWxC] [--classes K] [--batch-size B]",
        header = "benchmark: list and export a generated image folder at growing sizes; time, images/s, peak heap",
        description = {"", "Generates (or grows) DIR/images to each size in turn, lists it and builds its pre-batched",
                "copy DIR/batches on Spark local[*]; prints the listing time and the heap the listing keeps, the",
                "export's images/s against one core's decode rate times the cores, and the peak live heap",
                "(after a collection) of the JVM, which holds the driver and the executors. Run it with",
                "SPARKPROP_DRIVER_MEMORY set to the heap to test. DIR is kept for later runs; remove it when done.",
                ""})
final class BenchExportCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the benchmark's folder")
    private Path dir;

    @Option(names = "--files", paramLabel = "N,N,...", split = ",",
            description = "file counts, ascending (default 10000,100000)")
    private List<Long> files = new ArrayList<>(List.of(10_000L, 100_000L));

    @Option(names = "--kind", paramLabel = "KIND",
            description = "small (16x16 gray PNG, default) or photo (256x256 RGB JPEG)")
    private String kind = "small";

    @Option(names = "--image-size", paramLabel = "HxWxC",
            description = "size exported (default 16x16x1 for small, 224x224x3 for photo)")
    private String imageSize;

    @Option(names = "--classes", paramLabel = "K", description = "class folders (default 100 small, 10 photo)")
    private Integer classes;

    @Option(names = "--batch-size", paramLabel = "B", description = "images per batch file (default 64)")
    private int batchSize = 64;

    BenchExportCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        SyntheticImages.Kind k;
        try {
            k = SyntheticImages.Kind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--kind " + kind + ": use small or photo");
        }
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i) < files.get(i - 1)) {
                throw new UsageException("--files " + files + ": list the sizes in ascending order (the folder grows)");
            }
        }
        if (!ExportBenchmark.usable(dir)) {
            throw new UsageException("--dir " + dir + " holds other files: give an empty or new folder (the"
                    + " benchmark writes DIR/images and DIR/batches only)");
        }
        InputShape shape = InputShape.parseImage(imageSize != null ? imageSize
                : k == SyntheticImages.Kind.SMALL ? "16x16x1" : "224x224x3");
        int classCount = classes != null ? classes : k == SyntheticImages.Kind.SMALL ? 100 : 10;
        new ExportBenchmark(out).run(dir, files, k, shape, classCount, batchSize);
        return 0;
    }
}
