package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkprop.job.config.ConfigDef;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.OutputSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.zoo.CatalogEntry;
import org.sparkprop.model.zoo.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code summary --model NAME [--input HxWxC] [--classes N]} or {@code summary --config FILE [--set k=v ...]}: the
 * Keras-style layer table of a catalogue model or of the model a training config describes. Builds the DL4J
 * configuration (all shape checks included) but allocates no parameters and starts no Spark.
 */
@Command(name = "summary",
        customSynopsis = {"usage: sparkprop summary --model NAME [--input HxWxC] [--classes N]",
                "       sparkprop summary --config CONFIG [--set key=value ...] [--input HxWxC] [--classes N]"},
        header = "print a model's layers, output shapes and parameter counts",
        description = {"", "Prints the layer table (output shape and parameters per layer; total, trainable and",
                "non-trainable counts) of a catalogue model, or of the model (catalogue entry with overrides, or",
                "custom layer list) in a training config.", ""})
final class SummaryCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Option(names = "--model", paramLabel = "NAME", description = "a catalogue model (listed below)")
    private String model;

    @Option(names = "--config", paramLabel = "CONFIG", description = "a training config: its model")
    private Path config;

    @Mixin
    private ConfigOptions overrides;

    @Option(names = "--input", paramLabel = "HxWxC", description = "input image shape (default 28x28x1)")
    private String input = "28x28x1";

    @Option(names = "--classes", paramLabel = "N", description = "number of classes (default 10)")
    private int classes = 10;

    SummaryCommand(PrintStream out) {
        this.out = out;
    }

    /** The catalogue, below the options in {@code summary --help}. */
    static String catalogueHelp() {
        StringBuilder sb = new StringBuilder("\nCatalogue:\n");
        for (CatalogEntry e : ModelCatalog.entries()) {
            sb.append(ConfigDef.wrap(String.format("%-12s %s", e.name(), e.description()), "  ", " ".repeat(15)));
        }
        return sb.toString().replace("%", "%%");
    }

    @Override
    public Integer call() {
        if ((model == null) == (config == null)) {
            throw new UsageException("summary needs exactly one of --model NAME and --config FILE");
        }
        InputShape shape = parseInput(input);
        ModelSpec spec;
        Hyperparameters hp;
        if (model != null) {
            try {
                spec = ModelCatalog.spec(model, ModelOptions.NONE);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            hp = Hyperparameters.defaults(42);
        } else {
            TrainConfig train = overrides.load(config, OutputSection.DIR + "=unused");
            spec = train.model().spec();
            hp = train.optimizer().hyperparameters();
        }
        try {
            out.print(NetworkBuilder.build(spec, shape, classes, hp).summary().render());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return 0;
    }

    private static InputShape parseInput(String value) {
        try {
            return InputShape.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
