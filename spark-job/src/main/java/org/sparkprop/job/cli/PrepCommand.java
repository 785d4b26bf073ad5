package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.data.export.ExportManifest;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.DatasetFiles;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.prep.IdxToImageFolder;
import org.sparkprop.data.split.Split;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.DataSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.data.FolderData;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.spark.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code prep --idx mnist|fashion --to DIR} (IDX to an image folder) and {@code prep CONFIG [--set ...]} (build or
 * reuse the pre-batched copy of the config's image folder).
 */
@Command(name = "prep",
        customSynopsis = {"usage: sparkprop prep --idx mnist|fashion --to DIR [--dir IDX_DIR]",
                "       sparkprop prep CONFIG [--set key=value ...]"},
        header = "turn MNIST/Fashion-MNIST into an image folder, or build the pre-batched copy of an image folder",
        description = {"", "  --idx NAME --to DIR  writes the dataset as PNG files, DIR/train/<class>/<index>.png and",
                "                       DIR/test/...: the same path users' own image folders take (DIR may be",
                "                       any Hadoop URI; it must not hold files yet).",
                "  CONFIG               decodes the image folder data.path on Spark, skips and reports bad files",
                "                       (bad-input.tsv), splits, and writes the pre-batched copy to data.batches",
                "                       with manifest.json. A copy whose manifest matches is reused. train does",
                "                       this itself; prep does it ahead of time (e.g. once for many runs).", ""})
final class PrepCommand implements Callable<Integer> {
    private final PrintStream out;
    private final DatasetFetcher fetcher;

    @Mixin
    private HelpOption help;

    @Option(names = "--idx", paramLabel = "NAME", description = "mnist or fashion")
    private String idx;

    @Option(names = "--to", paramLabel = "DIR", description = "the image folder to write")
    private String to;

    @Option(names = "--dir", paramLabel = "IDX_DIR", description = "where the IDX files are (default: the dataset's)")
    private Path idxDir;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "a training config with data.path")
    private Path configFile;

    @Mixin
    private ConfigOptions config;

    PrepCommand(PrintStream out, DatasetFetcher fetcher) {
        this.out = out;
        this.fetcher = fetcher;
    }

    @Override
    public Integer call() throws Exception {
        if (idx != null) {
            if (to == null) {
                throw new UsageException("--idx needs --to DIR, the image folder to write");
            }
            if (configFile != null) {
                throw new UsageException("prep takes either --idx or a CONFIG, not both");
            }
            return fromIdx(idx, to, idxDir, out);
        }
        if (configFile == null) {
            throw new UsageException("prep needs --idx NAME --to DIR, or a CONFIG file");
        }
        return batches(TrainConfig.of(config.raw(configFile)), out);
    }

    private int fromIdx(String name, String to, Path idxDir, PrintStream out) throws Exception {
        KnownDataset dataset;
        try {
            dataset = KnownDataset.byId(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        DatasetFiles files = fetcher.fetch(dataset, idxDir, DataSection.SETTING_NAMES).files();
        Configuration hadoop = new Configuration();
        long start = System.nanoTime();
        int train = IdxToImageFolder.write(files.readTrain(), dataset.classNames(), to, Split.TRAIN, hadoop);
        int test = IdxToImageFolder.write(files.readTest(), dataset.classNames(), to, Split.TEST, hadoop);
        out.printf(Locale.ROOT, "%s: wrote %,d train and %,d test PNG files under %s in %.1f s%n", dataset.id(),
                train, test, to, (System.nanoTime() - start) / 1e9);
        out.println("train on it with --set data.path=" + to + " --set data.image-size=28x28x1");
        return 0;
    }

    private int batches(TrainConfig config, PrintStream out) throws Exception {
        if (!(DataSource.of(config) instanceof DataSource.Folder folder)) {
            throw new ConfigException("Missing configuration " + DataSection.PATH + ": prep CONFIG builds the "
                    + "pre-batched copy of an image folder. Set " + DataSection.PATH + " (and "
                    + DataSection.IMAGE_SIZE + ").");
        }
        FolderData data = folder.load(new Configuration());
        RunOutput output = RunOutput.prepare(config.output().dir(), true);
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop prep",
                config.trainer().sparkMaster()))) {
            data.prepare(sc, out, output);
        }
        ExportManifest m = data.prepared().manifest();
        out.println("manifest: " + data.prepared().root() + "/" + ExportManifest.FILE_NAME + " (" + m.classes().size()
                + " classes, batch size " + m.batchSize() + ", seed " + m.seed() + ")");
        return 0;
    }
}
