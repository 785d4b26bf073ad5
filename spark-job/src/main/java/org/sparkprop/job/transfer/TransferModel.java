package org.sparkprop.job.transfer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.job.config.TransferSection;

/**
 * A pretrained network prepared for new data: its first {@link #frozenLayers()} layers frozen (DL4J frozen layers:
 * no updates, inference-mode forward pass, so dropout is off and batch-norm statistics stay fixed), the layers above
 * trainable, and a new output layer for the new classes.
 * <p>
 * For featurize-once training the network splits in two: the frozen body, run once over the data
 * ({@link #featurize}), and the {@link #head()}, a network of the layers above it that trains on the body's output;
 * {@link #withHead} puts the trained head back on the body.
 *
 * @param network      the whole network (body and head), initialized
 * @param frozenLayers how many of the first layers are frozen (0: none)
 * @param mode         what was kept of the pretrained network and what trains
 * @param source       where the pretrained network came from
 */
public record TransferModel(MultiLayerNetwork network, int frozenLayers, TransferSection.Mode mode, String source) {
    static final String SOURCE_KEY = TransferSection.SOURCE.name();

    /** Name of each layer, in order (DL4J's layer names; Keras names survive import). */
    public List<String> layerNames() {
        return layerNames(network);
    }

    static List<String> layerNames(MultiLayerNetwork network) {
        List<String> names = new ArrayList<>();
        for (NeuralNetConfiguration c : network.getLayerWiseConfigurations().getConfs()) {
            names.add(c.getLayer().getLayerName());
        }
        return names;
    }

    /**
     * For metrics.json: source, mode, frozen and total layers, frozen parameters, and how the body ran (featurized
     * once, with its seconds, when {@code features} is given; else every epoch).
     */
    public Map<String, Object> describe(Featurizer.Features features) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("source", source);
        out.put("mode", mode.id());
        out.put("frozen_layers", frozenLayers);
        out.put("layers", network.getnLayers());
        out.put("frozen_parameters", frozenParams());
        out.put("featurize", features != null ? "once" : "every-epoch");
        if (features != null) {
            out.put("featurize_seconds", features.seconds());
        }
        return out;
    }

    /**
     * Warm start keeps the head, so its classes must be this data's, in the same order: checked against the class
     * names stored in the source's model zip (a zip without them was checked by class count only).
     *
     * @throws PretrainedModelException naming both class lists
     */
    public void checkWarmStartClasses(List<String> dataClasses) {
        List<String> trained = PretrainedModels.classes(source, new org.apache.hadoop.conf.Configuration());
        if (trained != null && !trained.equals(dataClasses)) {
            throw new PretrainedModelException(source, "it was trained for classes " + trained + " and this data"
                    + " has " + dataClasses + ", so its head cannot be kept", "Warm-start from a model of these"
                    + " classes, or set " + TransferSection.MODE + " = feature-extractor or fine-tune to replace"
                    + " the head.");
        }
    }

    /** For {@code train --dry-run}: each layer, whether it is frozen, trains or is the new head, and the counts. */
    public String summary() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "transfer from %s, mode %s:%n", source,
                mode.id()));
        List<String> names = layerNames();
        for (int i = 0; i < names.size(); i++) {
            Layer conf = network.getLayerWiseConfigurations().getConf(i).getLayer();
            String type = conf instanceof FrozenLayer f ? f.getLayer().getClass().getSimpleName()
                    : conf.getClass().getSimpleName();
            out.append(String.format(Locale.ROOT, "  %2d  %-20s %-26s %,12d  %s%n", i, names.get(i), type,
                    network.getLayer(i).numParams(), i < frozenLayers ? "frozen"
                            : i == names.size() - 1 ? "new head" : "trains"));
        }
        return out.append(String.format(Locale.ROOT, "parameters: %,d, frozen %,d%n", network.numParams(),
                frozenParams())).toString();
    }

    /** Parameters in the frozen layers. */
    public long frozenParams() {
        long n = 0;
        for (int i = 0; i < frozenLayers; i++) {
            n += network.getLayer(i).numParams();
        }
        return n;
    }

    /**
     * A new network of the layers above the frozen body, holding their current parameters; its input is the body's
     * output. Input preprocessors move with their layers (DL4J's TransferLearningHelper keeps the old indexes).
     */
    public MultiLayerNetwork head() {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> preprocessors = new HashMap<>();
        for (int i = frozenLayers; i < network.getnLayers(); i++) {
            confs.add(conf.getConf(i).clone());
            InputPreProcessor p = conf.getInputPreProcess(i);
            if (p != null) {
                preprocessors.put(i - frozenLayers, p.clone());
            }
        }
        MultiLayerNetwork head = new MultiLayerNetwork(new MultiLayerConfiguration.Builder().confs(confs)
                .inputPreProcessors(preprocessors).dataType(conf.getDataType()).build());
        head.init();
        for (int i = frozenLayers; i < network.getnLayers(); i++) {
            if (network.getLayer(i).numParams() > 0) {
                head.getLayer(i - frozenLayers).setParams(network.getLayer(i).params().dup());
            }
        }
        return head;
    }

    /** The frozen body's output for {@code batch}: what {@link #head()} takes as input. Labels are kept. */
    public DataSet featurize(DataSet batch) {
        return featurize(network, frozenLayers, batch);
    }

    static DataSet featurize(MultiLayerNetwork network, int frozenLayers, DataSet batch) {
        if (frozenLayers == 0) {
            return batch;
        }
        // Activations list: [input, layer 0, ..., layer frozenLayers-1]; train=false, as frozen layers run.
        INDArray features = network.feedForwardToLayer(frozenLayers - 1, batch.getFeatures(), false)
                .get(frozenLayers);
        return new DataSet(features.detach(), batch.getLabels());
    }

    /** The whole network, unfrozen, with {@code head}'s parameters on top of the pretrained body: for saving. */
    public MultiLayerNetwork withHead(MultiLayerNetwork head) {
        MultiLayerNetwork whole = unfrozen(network);
        for (int i = frozenLayers; i < whole.getnLayers(); i++) {
            if (whole.getLayer(i).numParams() > 0) {
                whole.getLayer(i).setParams(head.getLayer(i - frozenLayers).params().dup());
            }
        }
        return whole;
    }

    /**
     * A copy of {@code network} with every frozen layer replaced by the layer it wraps, parameters equal: a complete
     * ordinary network (what model.zip holds), whose optimizer state starts afresh.
     */
    public static MultiLayerNetwork unfrozen(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        boolean any = false;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof FrozenLayer f) {
                c.setLayer(f.getLayer());
                any = true;
            } else if (c.getLayer() instanceof FrozenLayerWithBackprop f) {
                c.setLayer(f.getUnderlying());
                any = true;
            }
        }
        if (!any) {
            return network;
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init(network.params().dup(), false);
        return copy;
    }
}
