package org.sparkprop.job;

import org.deeplearning4j.nn.api.NeuralNetwork;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.ModelSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.transfer.TransferModel;
import org.sparkprop.job.transfer.TransferModels;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.build.NetworkDefinition;

/**
 * What a run will train, resolved before Spark starts and shared by {@code train}, {@code train --dry-run} and
 * {@code preflight}: the network built for the data's shape, either a catalogue or custom
 * model or a pretrained network prepared for transfer (loaded, head replaced, layers frozen). A model that cannot
 * take the data, or a pretrained file that is missing or unusable, fails here with a message naming the key.
 */
public final class RunPlan {
    private final TrainConfig config;
    private final NetworkDefinition model;
    private final TransferModel transfer;

    private RunPlan(TrainConfig config, NetworkDefinition model, TransferModel transfer) {
        this.config = config;
        this.model = model;
        this.transfer = transfer;
    }

    /**
     * Builds the configured network for {@code data}.
     *
     * @throws ConfigException naming the model key, the dataset and why the model does not fit it
     */
    public static RunPlan of(TrainConfig config, DataShape data) {
        if (config.transfer().enabled()) {
            return new RunPlan(config, null, TransferModels.build(config, data.input(), data.classes()));
        }
        try {
            return new RunPlan(config, NetworkBuilder.build(config.model().spec(), data.input(), data.classes(),
                    config.optimizer().hyperparameters()), null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value " + config.model().name() + " for configuration "
                    + ModelSection.NAME + " with " + data.name() + " input " + data.input() + ": " + e.getMessage()
                    + ".");
        }
    }

    /** The built model; null when transferring. */
    public NetworkDefinition model() {
        return model;
    }

    /** The prepared pretrained network; null when not transferring. */
    public TransferModel transfer() {
        return transfer;
    }

    /** Whether the network is a ComputationGraph (a transfer model never is). */
    public boolean isGraph() {
        return transfer == null && model.isGraph();
    }

    /** Parameters of the whole network. */
    public long parameters() {
        return transfer != null ? transfer.network().numParams() : model.summary().totalParams();
    }

    /** For messages and metrics: the model's name, or where the pretrained network came from. */
    public String modelName() {
        return transfer != null ? "transfer from " + transfer.source() : config.model().name();
    }

    /**
     * A freshly initialized network: the transfer model itself (once per plan), or a new instance of the model.
     */
    public NeuralNetwork newNetwork() {
        if (transfer != null) {
            return transfer.network();
        }
        return model.isGraph() ? model.newComputationGraph() : model.newMultiLayerNetwork();
    }
}
