package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sparkprop.job.bench.TrainerBenchmark;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;

/** {@code bench-trainer [CONFIG] [--set k=v ...]}: single-JVM DL4J against the Spark trainer, per epoch. */
final class BenchTrainerCommand implements Command {
    @Override
    public String name() {
        return "bench-trainer";
    }

    @Override
    public String summary() {
        return "benchmark: single-JVM DL4J fit vs the Spark trainer, images/s and accuracy per epoch";
    }

    @Override
    public String usage() {
        return "usage: sparkprop bench-trainer [CONFIG] [--set key=value ...] [--single-batch N] [--target ACC]"
                + " [--spark-only]\n\n"
                + "Trains CONFIG (default examples/mnist-lenet.conf; an IDX dataset) twice in one run: (a) DL4J fit\n"
                + "in this JVM with all cores and mini-batch N (default workers x batch-size), (b) the Spark trainer\n"
                + "(a real train run; its output goes to a temporary folder). Prints images/s and test accuracy per\n"
                + "epoch for both, the ratio b/a, and the time to ACC test accuracy (default 0.99).\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path config = Path.of("examples/mnist-lenet.conf");
        List<String> overrides = new ArrayList<>();
        int singleBatch = 0;
        double target = 0.99;
        boolean sparkOnly = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--set" -> overrides.add(Command.optionValue(args, ++i, arg));
                case "--single-batch" -> singleBatch = Integer.parseInt(Command.optionValue(args, ++i, arg));
                case "--target" -> target = Double.parseDouble(Command.optionValue(args, ++i, arg));
                case "--spark-only" -> sparkOnly = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg + " for bench-trainer");
                    }
                    config = Path.of(arg);
                }
            }
        }
        Map<String, String> raw = ConfigLoader.read(config, overrides);
        raw.put(TrainConfig.OUTPUT, Files.createTempDirectory("sparkprop-bench-trainer").resolve("run").toString());
        TrainConfig train = TrainConfig.of(raw);
        if (train.dataPath() != null) {
            throw new UsageException("bench-trainer compares on an IDX dataset (dataset = mnist|fashion); unset"
                    + " data.path");
        }
        new TrainerBenchmark(out).run(train, singleBatch, target, sparkOnly);
        return 0;
    }
}
