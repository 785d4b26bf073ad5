package org.sparkprop.job.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** Saves and loads networks as DL4J ModelSerializer zips (configuration, parameters and updater state). */
public final class ModelStore {
    private ModelStore() {
    }

    /** Writes atomically: an interrupted save leaves the previous file (or none), never half a zip. */
    public static void save(Model network, Path file) throws IOException {
        AtomicFiles.write(file, tmp -> ModelSerializer.writeModel(network, tmp.toFile(), true));
    }

    public static MultiLayerNetwork load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + " not found");
        }
        return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
    }

    public static ComputationGraph loadGraph(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + " not found");
        }
        return ModelSerializer.restoreComputationGraph(file.toFile(), true);
    }
}
