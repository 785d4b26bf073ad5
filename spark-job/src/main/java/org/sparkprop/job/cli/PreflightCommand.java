package org.sparkprop.job.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.job.run.RunPlan;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.OutputSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.spark.MemoryPlan;
import org.sparkprop.model.InputShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code preflight CONFIG --executor-cores C --executor-memory-overhead M --driver-memory-overhead M}: before a
 * cluster submit (deploy/bin/submit runs it), estimates the off-heap memory training needs on each executor and on
 * the driver ({@link MemoryPlan}) and refuses settings that cannot hold it, with the numbers. Builds the model and
 * runs one image through it on this machine; no data, no Spark.
 */
@Command(name = "preflight",
        customSynopsis = {"usage: sparkprop preflight CONFIG [--set key=value ...] --executor-cores C",
                "         --executor-memory-overhead SIZE --driver-memory-overhead SIZE [--classes N]"},
        header = "check that executor and driver memory settings can hold the model (before a cluster submit)",
        description = {"", "Estimates ND4J's off-heap memory per executor (one replica per core: parameters, "
                + "gradients,",
                "optimizer state, one batch's activations and their gradients; the broadcast copy; 384 MiB base)",
                "and on the driver, prints them, and exits 2 with the setting to raise when a SIZE (4g, 512m) is",
                "too small.", ""})
final class PreflightCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "the training config")
    private Path configFile;

    @Mixin
    private ConfigOptions overrides;

    @Option(names = "--executor-cores", paramLabel = "C", description = "cores (training replicas) per executor")
    private Integer cores;

    @Option(names = "--executor-memory-overhead", paramLabel = "SIZE", description = "spark.executor.memoryOverhead")
    private String executorOverhead;

    @Option(names = "--driver-memory-overhead", paramLabel = "SIZE", description = "spark.driver.memoryOverhead")
    private String driverOverhead;

    @Option(names = "--classes", paramLabel = "N", description = "class count: skips listing an image folder for it")
    private Integer classes;

    PreflightCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (configFile == null) {
            throw new UsageException("preflight needs a CONFIG file first");
        }
        if (cores == null || executorOverhead == null || driverOverhead == null) {
            throw new UsageException("preflight needs --executor-cores, --executor-memory-overhead and "
                    + "--driver-memory-overhead");
        }
        positive("--executor-cores", cores);
        if (classes != null) {
            positive("--classes", classes);
        }
        long executorBytes = MemoryPlan.parseBytes("--executor-memory-overhead", executorOverhead);
        long driverBytes = MemoryPlan.parseBytes("--driver-memory-overhead", driverOverhead);
        TrainConfig config = overrides.load(configFile, OutputSection.DIR + "=unused");
        DataSource source = DataSource.of(config);
        DataShape data;
        if (classes != null) {
            data = new DataShape(source.name(), source.input(), classes);
        } else {
            try {
                data = source.shape(new Configuration());
            } catch (IOException e) {
                throw new ConfigException("Cannot list " + source.name() + " for its class count ("
                        + e.getMessage() + "). Pass --classes N.");
            }
        }
        NeuralNetwork network = RunPlan.of(config, data).newNetwork();
        MemoryPlan plan = new MemoryPlan(((Model) network).numParams(), updaterStateValues(network),
                activations(network, data.input()), config.trainer().batchSize(), cores);
        out.printf(Locale.ROOT, "model: %,d params, %,d activation values per image; %s keeps %d state value(s) per "
                        + "param%n", plan.params(), plan.activationsPerExample(),
                config.optimizer().hyperparameters().optimizer().name(), plan.updaterStatePerParam());
        out.printf(Locale.ROOT, "executor: %d replicas x %s + broadcast + base = %s off-heap (overhead given: %s)%n",
                cores, MemoryPlan.mib(plan.replicaBytes()), MemoryPlan.mib(plan.executorBytes()),
                MemoryPlan.mib(executorBytes));
        out.printf(Locale.ROOT, "driver: %s off-heap (overhead given: %s)%n", MemoryPlan.mib(plan.driverBytes()),
                MemoryPlan.mib(driverBytes));
        plan.check(executorBytes, driverBytes);
        out.println("preflight ok");
        return 0;
    }

    private static void positive(String option, int value) {
        if (value <= 0) {
            throw new UsageException(option + " needs a whole number > 0, got " + value);
        }
    }

    /** Optimizer state values of the whole network, as its DL4J updater allocates them (frozen layers keep none). */
    static long updaterStateValues(NeuralNetwork network) {
        INDArray state = network instanceof MultiLayerNetwork mln ? mln.getUpdater().getStateViewArray()
                : ((ComputationGraph) network).getUpdater().getStateViewArray();
        return state == null ? 0 : state.length();
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
