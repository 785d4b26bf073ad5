package org.sparkprop.job.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkprop.job.config.OptimizerSection;
import org.sparkprop.job.config.TransferSection;

/**
 * Resuming with some result-defining values changed on purpose ({@code train --resume --allow-change KEY}): a run
 * that diverged continues from its last good checkpoint with a lower learning rate, say. Only keys that leave the
 * network's parameters and optimizer state the same shape may change: the optimizer's settings but its name, the
 * regularization, the pretrained layers' learning rate.
 */
public final class CheckpointChanges {
    /** The keys {@code --allow-change} accepts. */
    public static final Set<String> ALLOWED = allowed();

    private CheckpointChanges() {
    }

    private static Set<String> allowed() {
        Set<String> keys = new TreeSet<>();
        OptimizerSection.SECTION.keys().forEach(k -> keys.add(k.name()));
        keys.remove(OptimizerSection.NAME.name());
        keys.add(TransferSection.PRETRAINED_LEARNING_RATE.name());
        return Set.copyOf(keys);
    }

    /**
     * Refuses to continue {@code checkpoint} with {@code values} where a key outside {@code allowed} differs (the
     * message of {@link CheckpointStore#checkCompatible}); returns each allowed key that differs, with the
     * checkpoint's value and the new one.
     */
    public static Map<String, Map<String, String>> check(Checkpoint checkpoint, Map<String, String> values,
                                                         Set<String> allowed) {
        Map<String, String> was = checkpoint.state().config();
        Map<String, Map<String, String>> changes = new LinkedHashMap<>();
        Map<String, String> rest = new LinkedHashMap<>(values);
        for (String key : new TreeSet<>(values.keySet())) {
            if (allowed.contains(key) && !Objects.equals(was.get(key), values.get(key))) {
                Map<String, String> change = new LinkedHashMap<>();
                change.put("checkpoint", was.get(key));
                change.put("now", values.get(key));
                changes.put(key, change);
                rest.put(key, was.get(key));
            }
        }
        CheckpointStore.checkCompatible(checkpoint, rest);
        return changes;
    }

    /**
     * {@code fresh}, the network this run's config builds, holding the checkpoint's parameters, optimizer state and
     * iteration and epoch counts: the schedule and rates of the new config apply from the checkpoint's position on.
     */
    public static NeuralNetwork continueIn(NeuralNetwork fresh, Checkpoint checkpoint) {
        NeuralNetwork old = checkpoint.network();
        copy("parameters", params(old), params(fresh), checkpoint);
        copy("optimizer state", state(old), state(fresh), checkpoint);
        if (fresh instanceof MultiLayerNetwork f && old instanceof MultiLayerNetwork o) {
            f.getLayerWiseConfigurations().setIterationCount(o.getLayerWiseConfigurations().getIterationCount());
            f.getLayerWiseConfigurations().setEpochCount(o.getLayerWiseConfigurations().getEpochCount());
        } else if (fresh instanceof ComputationGraph f && old instanceof ComputationGraph o) {
            f.getConfiguration().setIterationCount(o.getConfiguration().getIterationCount());
            f.getConfiguration().setEpochCount(o.getConfiguration().getEpochCount());
        }
        return fresh;
    }

    private static void copy(String what, INDArray from, INDArray to, Checkpoint checkpoint) {
        long fromLength = from == null ? 0 : from.length();
        long toLength = to == null ? 0 : to.length();
        if (fromLength != toLength) {
            throw new IncompatibleCheckpointException("Cannot resume from " + checkpoint.uri() + " with the changed"
                    + " settings: its " + what + " hold " + fromLength + " values, the network the config builds "
                    + toLength + ". Change only settings that keep the network's shape ("
                    + ALLOWED.stream().sorted().collect(Collectors.joining(", ")) + ").");
        }
        if (to != null) {
            to.assign(from);
        }
    }

    private static INDArray params(NeuralNetwork network) {
        return network instanceof MultiLayerNetwork m ? m.params() : ((ComputationGraph) network).params();
    }

    private static INDArray state(NeuralNetwork network) {
        return network instanceof MultiLayerNetwork m ? m.getUpdater().getStateViewArray()
                : ((ComputationGraph) network).getUpdater().getStateViewArray();
    }
}
