package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.data.export.ExportManifest;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.DatasetFiles;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.prep.IdxToImageFolder;
import org.sparkprop.data.split.Split;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.FolderData;
import org.sparkprop.job.output.RunOutput;
import org.sparkprop.job.spark.SparkContexts;

/**
 * {@code prep --idx mnist|fashion --to DIR} (IDX to an image folder) and {@code prep CONFIG [--set ...]} (build or
 * reuse the pre-batched copy of the config's image folder).
 */
final class PrepCommand implements Command {
    private final DatasetFetcher fetcher;

    PrepCommand(DatasetFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return "prep";
    }

    @Override
    public String summary() {
        return "turn MNIST/Fashion-MNIST into an image folder, or build the pre-batched copy of an image folder";
    }

    @Override
    public String usage() {
        return "usage: sparkprop prep --idx mnist|fashion --to DIR [--dir IDX_DIR]\n"
                + "       sparkprop prep CONFIG [--set key=value ...]\n\n"
                + "  --idx NAME --to DIR  writes the dataset as PNG files, DIR/train/<class>/<index>.png and\n"
                + "                       DIR/test/...: the same path users' own image folders take (DIR may be\n"
                + "                       any Hadoop URI; it must not hold files yet).\n"
                + "  CONFIG               decodes the image folder data.path on Spark, skips and reports bad files\n"
                + "                       (bad-input.tsv), splits, and writes the pre-batched copy to data.batches\n"
                + "                       with manifest.json. A copy whose manifest matches is reused. train does\n"
                + "                       this itself; prep does it ahead of time (e.g. once for many runs).\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        String idx = null;
        String to = null;
        Path idxDir = null;
        Path configFile = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--idx" -> idx = value(args, ++i, "--idx needs mnist or fashion");
                case "--to" -> to = value(args, ++i, "--to needs a folder");
                case "--dir" -> idxDir = Paths.get(value(args, ++i, "--dir needs a folder"));
                case "--set" -> overrides.add(value(args, ++i, "--set needs key=value"));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg + " for prep");
                    } else if (configFile == null) {
                        configFile = Paths.get(arg);
                    } else {
                        throw new UsageException("prep takes one CONFIG file, got a second: " + arg);
                    }
                }
            }
        }
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
        return batches(TrainConfig.of(ConfigLoader.read(configFile, overrides)), out);
    }

    private static String value(List<String> args, int i, String missing) {
        if (i >= args.size()) {
            throw new UsageException(missing);
        }
        return args.get(i);
    }

    private int fromIdx(String name, String to, Path idxDir, PrintStream out) throws Exception {
        KnownDataset dataset;
        try {
            dataset = KnownDataset.byId(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        DatasetFiles files = fetcher.fetch(dataset, idxDir).files();
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
        if (config.dataPath() == null) {
            throw new ConfigException("Missing configuration " + TrainConfig.DATA_PATH + ": prep CONFIG builds the"
                    + " pre-batched copy of an image folder. Set " + TrainConfig.DATA_PATH + " (and "
                    + TrainConfig.IMAGE_SIZE + ").");
        }
        FolderData data = FolderData.list(config, new Configuration());
        RunOutput output = RunOutput.prepare(config.output(), true);
        try (JavaSparkContext sc = SparkContexts.start(SparkContexts.conf("sparkprop prep", config.sparkMaster()))) {
            data.prepare(sc, out, output);
        }
        ExportManifest m = data.prepared().manifest();
        out.println("manifest: " + data.prepared().root() + "/" + ExportManifest.FILE_NAME + " (" + m.classes().size()
                + " classes, batch size " + m.batchSize() + ", seed " + m.seed() + ")");
        return 0;
    }
}
