package org.sparkprop.job.run;

import org.deeplearning4j.nn.api.NeuralNetwork;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.ModelSection;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.config.TransferSection;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.transfer.TransferModel;
import org.sparkprop.job.transfer.TransferModels;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.build.NetworkDefinition;
import org.sparkprop.model.hyper.OptimizerSpec;

/**
 * What a run will train, resolved before Spark starts and shared by {@code train}, {@code train --dry-run} and
 * {@code preflight}: the {@link NetworkStart} chosen once from the config, with its network built for the data's
 * shape: a catalogue or custom model, or a pretrained network prepared for transfer (loaded, head replaced, layers
 * frozen). A model that cannot take the data, or a pretrained file that is missing or unusable, fails here with a
 * message naming the key.
 */
public record RunPlan(NetworkStart start) {
    /**
     * Builds the configured network for {@code data}.
     *
     * @throws ConfigException naming the model key, the dataset and why the model does not fit it
     */
    public static RunPlan of(TrainConfig config, DataShape data) {
        OptimizerSpec optimizer = config.optimizer().hyperparameters().optimizer();
        TransferSection t = config.transfer();
        if (!t.enabled()) {
            return new RunPlan(new NetworkStart.Scratch(model(config, data), config.model().name(), optimizer));
        }
        TransferModel transfer = TransferModels.build(config, data.input(), data.classes());
        return new RunPlan(switch (t.mode()) {
            case WARM_START -> new NetworkStart.WarmStart(transfer, t.pretrainedLearningRate(), optimizer);
            case FEATURE_EXTRACTOR -> t.featurizeOnce()
                    ? new NetworkStart.FeaturizeOnce(transfer, t.featuresDir(), config.trainer().seed(), optimizer)
                    : new NetworkStart.Transfer(transfer, null, optimizer);
            case FINE_TUNE -> new NetworkStart.Transfer(transfer, t.pretrainedLearningRate(), optimizer);
            case SCRATCH -> new NetworkStart.Transfer(transfer, null, optimizer);
        });
    }

    private static NetworkDefinition model(TrainConfig config, DataShape data) {
        try {
            return NetworkBuilder.build(config.model().spec(), data.input(), data.classes(),
                    config.optimizer().hyperparameters());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value " + config.model().name() + " for configuration "
                    + ModelSection.NAME + " with " + data.name() + " input " + data.input() + ": " + e.getMessage()
                    + ".");
        }
    }

    /** Whether the network is a ComputationGraph (a transfer model never is). */
    public boolean isGraph() {
        return start.isGraph();
    }

    /** Parameters of the whole network. */
    public long parameters() {
        return start.parameters();
    }

    /** For messages and metrics: the model's name, or where the pretrained network came from. */
    public String modelName() {
        return start.modelName();
    }

    /** A freshly initialized whole network: the transfer model itself (once per plan), or a new model instance. */
    public NeuralNetwork newNetwork() {
        return start.wholeNetwork();
    }
}
