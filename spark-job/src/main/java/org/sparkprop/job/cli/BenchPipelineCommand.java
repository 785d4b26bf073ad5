package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.sparkprop.job.bench.PipelineBenchmark;

/** {@code bench-pipeline [CONFIG] [--train-images N]}: data pipeline images/s next to training consumption. */
final class BenchPipelineCommand implements Command {
    @Override
    public String name() {
        return "bench-pipeline";
    }

    @Override
    public String summary() {
        return "benchmark: decode/augment/load images/s per core against LeNet's training consumption";
    }

    @Override
    public String usage() {
        return "usage: sparkprop bench-pipeline [CONFIG] [--train-images N]\n\n"
                + "Times, on one thread each, PNG decoding of MNIST, 224x224 JPEG decoding, the augmentations and\n"
                + "loading pre-batched files; then trains CONFIG (default examples/mnist-lenet.conf) for one epoch\n"
                + "on N MNIST images (default 9600) and prints each stage's rate as a multiple of training's.\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path config = Path.of("examples/mnist-lenet.conf");
        int images = 9600;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--train-images")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--train-images needs a number");
                }
                images = Integer.parseInt(args.get(++i));
            } else if (args.get(i).startsWith("-")) {
                throw new UsageException("unknown option " + args.get(i) + " for bench-pipeline");
            } else {
                config = Path.of(args.get(i));
            }
        }
        new PipelineBenchmark(out).run(config, images);
        return 0;
    }
}
