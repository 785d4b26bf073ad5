package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkprop.job.bench.PipelineBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench-pipeline [CONFIG] [--train-images N]}: data pipeline images/s next to training consumption. */
@Command(name = "bench-pipeline", customSynopsis = "usage: sparkprop bench-pipeline [CONFIG] [--train-images N]",
        header = "benchmark: decode/augment/load images/s per core against LeNet's training consumption",
        description = {"", "Times, on one thread each, PNG decoding of MNIST, 224x224 JPEG decoding, the "
                + "augmentations and",
                "loading pre-batched files; then trains CONFIG for one epoch on N MNIST images and prints each",
                "stage's rate as a multiple of training's.", ""})
final class BenchPipelineCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "default: examples/mnist-lenet.conf")
    private Path config = Path.of("examples/mnist-lenet.conf");

    @Option(names = "--train-images", paramLabel = "N", description = "MNIST images trained on (default 9600)")
    private int images = 9600;

    BenchPipelineCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        new PipelineBenchmark(out).run(config, images);
        return 0;
    }
}
