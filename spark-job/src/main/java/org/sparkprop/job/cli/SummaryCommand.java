package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.zoo.CatalogEntry;
import org.sparkprop.model.zoo.ModelOptions;

/**
 * {@code summary --model NAME [--input HxWxC] [--classes N]} or {@code summary --config FILE [--set k=v ...]}: the
 * Keras-style layer table of a catalogue model or of the model a training config describes. Builds the DL4J
 * configuration (all shape checks included) but allocates no parameters and starts no Spark.
 */
final class SummaryCommand implements Command {
    @Override
    public String name() {
        return "summary";
    }

    @Override
    public String summary() {
        return "print a model's layers, output shapes and parameter counts";
    }

    @Override
    public String usage() {
        StringBuilder sb = new StringBuilder("usage: sparkprop summary --model NAME [--input HxWxC] [--classes N]\n"
                + "       sparkprop summary --config CONFIG [--set key=value ...] [--input HxWxC] [--classes N]\n\n"
                + "Prints the layer table (output shape and parameters per layer; total, trainable and\n"
                + "non-trainable counts) of a catalogue model, or of the model (catalogue entry with overrides, or\n"
                + "custom layer list) in a training config.\n\n"
                + "  --input HxWxC   input image shape (default 28x28x1)\n"
                + "  --classes N     number of classes (default 10)\n\n"
                + "Catalogue:\n");
        for (CatalogEntry e : ModelCatalog.entries()) {
            sb.append(String.format("  %-12s %s%n", e.name(), e.description()));
        }
        return sb.toString();
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        String model = null;
        String config = null;
        List<String> overrides = new ArrayList<>();
        InputShape input = new InputShape(28, 28, 1);
        int classes = 10;
        for (int i = 0; i < args.size(); i += 2) {
            String arg = args.get(i);
            if (!List.of("--model", "--config", "--input", "--classes", "--set").contains(arg)) {
                throw new UsageException("unknown argument " + arg + " for summary");
            }
            if (i + 1 >= args.size()) {
                throw new UsageException(arg + " needs a value");
            }
            String value = args.get(i + 1);
            switch (arg) {
                case "--model" -> model = value;
                case "--config" -> config = value;
                case "--set" -> overrides.add(value);
                case "--input" -> input = parseInput(value);
                default -> classes = parseClasses(value);
            }
        }
        if ((model == null) == (config == null)) {
            throw new UsageException("summary needs exactly one of --model NAME and --config FILE");
        }
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
            List<String> withOutput = new ArrayList<>(List.of(TrainConfig.OUTPUT + "=unused"));
            withOutput.addAll(overrides);
            TrainConfig train = TrainConfig.of(ConfigLoader.read(Paths.get(config), withOutput));
            spec = train.modelSpec();
            hp = train.hyperparameters();
        }
        try {
            out.print(NetworkBuilder.build(spec, input, classes, hp).summary().render());
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

    private static int parseClasses(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--classes needs an integer, got " + value);
        }
    }
}
