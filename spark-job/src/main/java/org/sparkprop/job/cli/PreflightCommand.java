package org.sparkprop.job.cli;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.job.TrainJob;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.spark.MemoryPlan;
import org.sparkprop.job.transfer.TransferModels;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.build.NetworkDefinition;

/**
 * {@code preflight CONFIG --executor-cores C --executor-memory-overhead M --driver-memory-overhead M}: before a
 * cluster submit (deploy/bin/submit runs it), estimates the off-heap memory training needs on each executor and on
 * the driver ({@link MemoryPlan}) and refuses settings that cannot hold it, with the numbers. Builds the model and
 * runs one image through it on this machine; no data, no Spark.
 */
final class PreflightCommand implements Command {
    @Override
    public String name() {
        return "preflight";
    }

    @Override
    public String summary() {
        return "check that executor and driver memory settings can hold the model (before a cluster submit)";
    }

    @Override
    public String usage() {
        return "usage: sparkprop preflight CONFIG [--set key=value ...] --executor-cores C\n"
                + "         --executor-memory-overhead SIZE --driver-memory-overhead SIZE [--classes N]\n\n"
                + "Estimates ND4J's off-heap memory per executor (one replica per core: parameters, gradients,\n"
                + "optimizer state, one batch's activations and their gradients; the broadcast copy; 384 MiB base)\n"
                + "and on the driver, prints them, and exits 2 with the setting to raise when a SIZE (4g, 512m) is\n"
                + "too small. --classes N skips listing an image folder (its class count).\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            throw new UsageException("preflight needs a CONFIG file first");
        }
        String configFile = args.get(0);
        List<String> overrides = new ArrayList<>();
        Integer cores = null;
        Long executorOverhead = null;
        Long driverOverhead = null;
        Integer classes = null;
        for (int i = 1; i < args.size(); i += 2) {
            String option = args.get(i);
            String value = Command.optionValue(args, i + 1, option);
            switch (option) {
                case "--set" -> overrides.add(value);
                case "--executor-cores" -> cores = positive(option, value);
                case "--executor-memory-overhead" -> executorOverhead = MemoryPlan.parseBytes(option, value);
                case "--driver-memory-overhead" -> driverOverhead = MemoryPlan.parseBytes(option, value);
                case "--classes" -> classes = positive(option, value);
                default -> throw new UsageException("unknown argument " + option + " for preflight");
            }
        }
        if (cores == null || executorOverhead == null || driverOverhead == null) {
            throw new UsageException("preflight needs --executor-cores, --executor-memory-overhead and"
                    + " --driver-memory-overhead");
        }
        List<String> withOutput = new ArrayList<>(List.of(TrainConfig.OUTPUT + "=unused"));
        withOutput.addAll(overrides);
        TrainConfig config = TrainConfig.of(ConfigLoader.read(Paths.get(configFile), withOutput));
        InputShape input = DataShape.input(config);
        if (classes == null) {
            try {
                classes = DataShape.of(config, new Configuration()).classes();
            } catch (java.io.IOException e) {
                throw new org.sparkprop.job.config.ConfigException("Cannot list " + config.dataPath() + " for its"
                        + " class count (" + e.getMessage() + "). Pass --classes N.");
            }
        }
        NeuralNetwork network = network(config, input, classes);
        MemoryPlan plan = new MemoryPlan(((org.deeplearning4j.nn.api.Model) network).numParams(), stateValues(config.hyperparameters().optimizer().name()),
                activations(network, input), config.batchSize(), cores);
        out.printf(Locale.ROOT, "model: %,d params, %,d activation values per image; %s keeps %d state value(s) per"
                        + " param%n", plan.params(), plan.activationsPerExample(),
                config.hyperparameters().optimizer().name(), plan.updaterStatePerParam());
        out.printf(Locale.ROOT, "executor: %d replicas x %s + broadcast + base = %s off-heap (overhead given: %s)%n",
                cores, MemoryPlan.mib(plan.replicaBytes()), MemoryPlan.mib(plan.executorBytes()),
                MemoryPlan.mib(executorOverhead));
        out.printf(Locale.ROOT, "driver: %s off-heap (overhead given: %s)%n", MemoryPlan.mib(plan.driverBytes()),
                MemoryPlan.mib(driverOverhead));
        plan.check(executorOverhead, driverOverhead);
        out.println("preflight ok");
        return 0;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UsageException(option + " needs a whole number > 0, got " + value);
    }

    private static NeuralNetwork network(TrainConfig config, InputShape input, int classes) {
        if (config.transferSource() != null) {
            return TransferModels.build(config, input, classes).network();
        }
        NetworkDefinition model = TrainJob.buildModel(config, config.dataset().id(), input, classes);
        return model.isGraph() ? model.newComputationGraph() : model.newMultiLayerNetwork();
    }

    /** Optimizer state values per parameter. */
    static int stateValues(String optimizer) {
        return switch (optimizer) {
            case "sgd" -> 0;
            case "adam", "nadam" -> 2;
            default -> 1;
        };
    }

    /** Activation values of one image through the whole network (a forward pass of a blank image). */
    private static long activations(NeuralNetwork network, InputShape input) {
        INDArray image = Nd4j.zeros(DataType.FLOAT, 1, input.channels(), input.height(), input.width());
        long total = 0;
        if (network instanceof MultiLayerNetwork mln) {
            for (INDArray a : mln.feedForward(image, false)) {
                total += a.length();
            }
        } else {
            for (Map.Entry<String, INDArray> e : ((ComputationGraph) network).feedForward(image, false).entrySet()) {
                total += e.getValue().length();
            }
        }
        return total;
    }
}
