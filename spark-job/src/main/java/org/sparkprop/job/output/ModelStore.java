package org.sparkprop.job.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** Saves and loads networks as DL4J ModelSerializer zips (configuration, parameters and updater state). */
public final class ModelStore {
    private ModelStore() {
    }

    /** Entry in model.zip describing the input the network expects (see {@link #save(Model, Path, Map)}). */
    public static final String INPUT_ENTRY = "sparkprop-input.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes atomically: an interrupted save leaves the previous file (or none), never half a zip. */
    public static void save(Model network, Path file) throws IOException {
        AtomicFiles.write(file, tmp -> ModelSerializer.writeModel(network, tmp.toFile(), true));
    }

    /**
     * As {@link #save(Model, Path)}, with a description of the input the network was trained on (image size, class
     * names, normalization and its statistics) stored in the zip, so evaluation and prediction prepare images the
     * same way.
     */
    public static void save(Model network, Path file, Map<String, Object> input) throws IOException {
        String json = JSON.writeValueAsString(input);
        AtomicFiles.write(file, tmp -> {
            ModelSerializer.writeModel(network, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), INPUT_ENTRY, json);
        });
    }

    /** The input description stored by {@link #save(Model, Path, Map)}, or null when the zip has none. */
    public static JsonNode input(Path file) throws IOException {
        String json;
        try (ModelZip.Checked zip = ModelZip.inspect(file.toFile(), file.toString())) {
            json = zip.object(INPUT_ENTRY);
        }
        return json == null ? null : JSON.readTree(json);
    }

    /** A MultiLayerNetwork or a ComputationGraph, whichever the zip holds; checked by {@link ModelZip} first. */
    public static NeuralNetwork loadAny(Path file) throws IOException {
        try (ModelZip.Checked zip = checked(file)) {
            if (zip.configuration() == null) {
                throw new IOException("model file " + file + " is not a DL4J model zip (no configuration.json)");
            }
            return zip.restore(true);
        }
    }

    public static MultiLayerNetwork load(Path file) throws IOException {
        return checked(file).restoreMultiLayerNetwork(true);
    }

    public static ComputationGraph loadGraph(Path file) throws IOException {
        return checked(file).restoreComputationGraph(true);
    }

    private static ModelZip.Checked checked(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + " not found");
        }
        return ModelZip.check(file.toFile(), file.toString());
    }
}
