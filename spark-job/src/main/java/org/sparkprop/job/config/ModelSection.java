package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.greaterThan;
import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.range;

import java.util.ArrayList;
import java.util.List;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.hyper.Activations;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerListParser;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.zoo.ModelOptions;
import org.sparkprop.model.zoo.UnsupportedOptionException;

/**
 * The {@code model.*} keys: which architecture, with which overrides. Built once per config; the layer list is
 * resolved (and refused, naming the key) when the config is loaded.
 *
 * @param name the catalogue name, or {@code custom}
 * @param spec the catalogue entry with this config's overrides, or the custom layer list
 */
public record ModelSection(String name, ModelSpec spec) {
    public static final Key<String> NAME = Key.string("model.name").validator(oneOf(modelNames()))
            .withDefault("lenet", "Architecture from the model catalogue (bin/sparkprop summary --help lists "
                    + "them), or custom with model.layers.");
    public static final Key<List<Object>> LAYERS = Key.list("model.layers")
            .optional("Layer list of a custom model, e.g. [{type = conv, filters = 10, kernel = 3}, {type = "
                    + "maxpool}, {type = flatten}, {type = dense, units = 64}, {type = output}]. Types: "
                    + String.join(", ", LayerSpec.TYPES) + ".");
    public static final Key<List<Object>> HIDDEN = Key.list("model.hidden")
            .optional("Hidden layer widths of an MLP-family model, e.g. [512, 256]. Unset: the model's own.");
    public static final Key<Double> DROPOUT = Key.decimal("model.dropout").validator(range(0.0, 0.95))
            .optional("Dropout rate after each hidden layer of an MLP-family model (0 = none). Unset: the "
                    + "model's own.");
    public static final Key<Boolean> BATCH_NORM = Key.bool("model.batch-norm")
            .optional("Batch normalization before each hidden activation of an MLP-family model. Unset: the "
                    + "model's own.");
    public static final Key<String> ACTIVATION = Key.string("model.activation").validator(oneOf(Activations.NAMES))
            .optional("Activation of every hidden layer. Unset: the model's own (ReLU throughout the "
                    + "catalogue).");
    public static final Key<String> WEIGHT_INIT = Key.string("model.weight-init").validator(oneOf(WeightInitSpec.NAMES))
            .optional("Weight initialization of hidden layers: he (ReLU family), xavier (tanh/sigmoid) or "
                    + "normal (model.weight-init-sigma). Unset: the model's own (he).");
    public static final Key<Double> WEIGHT_SIGMA = Key.decimal("model.weight-init-sigma").validator(greaterThan(0))
            .withDefault(0.01, "Standard deviation for model.weight-init = normal.");
    public static final Key<String> LOSS = Key.string("model.loss").validator(oneOf(Loss.NAMES))
            .optional("Loss of the output layer. Unset: categorical-crossentropy. Its usual output activation "
                    + "(softmax, sigmoid, identity) comes with it unless model.output-activation is set.");
    public static final Key<String> OUTPUT_ACTIVATION = Key.string("model.output-activation")
            .validator(oneOf(Activations.NAMES))
            .optional("Activation of the output layer. Unset: the loss's usual one.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Model",
            NAME, LAYERS, HIDDEN, DROPOUT, BATCH_NORM, ACTIVATION, WEIGHT_INIT, WEIGHT_SIGMA, LOSS,
            OUTPUT_ACTIVATION);

    private static List<String> modelNames() {
        List<String> names = new ArrayList<>(ModelCatalog.NAMES);
        names.add(ModelCatalog.CUSTOM);
        return names;
    }

    /** @throws ConfigException naming the key whose value does not make a model */
    static ModelSection from(ConfigValues v) {
        String name = v.get(NAME);
        boolean custom = name.equals(ModelCatalog.CUSTOM);
        if (custom && !v.isSet(LAYERS)) {
            throw new ConfigException("Missing configuration " + LAYERS + ": " + NAME + " = custom needs a layer"
                    + " list, e.g. [{type = dense, units = 64}, {type = output}]. Set it, or pick a catalogue model.");
        }
        if (!custom && v.isSet(LAYERS)) {
            throw new ConfigException("Invalid configuration " + LAYERS + ": a layer list is only read when "
                    + NAME + " = custom, but " + NAME + " = " + name + ". Set " + NAME
                    + " = custom or remove " + LAYERS + ".");
        }
        return new ModelSection(name, spec(v, name));
    }

    private static ModelSpec spec(ConfigValues v, String name) {
        ModelOptions options = options(v);
        boolean custom = name.equals(ModelCatalog.CUSTOM);
        try {
            if (custom) {
                List<LayerSpec> layers;
                try {
                    layers = LayerListParser.parse(LAYERS.name(), v.get(LAYERS));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("Invalid configuration " + e.getMessage() + ".");
                }
                return ModelCatalog.custom(layers, options);
            }
            return ModelCatalog.spec(name, options);
        } catch (UnsupportedOptionException e) {
            throw new ConfigException("Invalid configuration model." + e.option() + ": " + e.getMessage() + ".");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration " + (custom ? LAYERS : NAME) + ": " + e.getMessage()
                    + ".");
        }
    }

    private static ModelOptions options(ConfigValues v) {
        List<Integer> hidden = null;
        List<Object> rawHidden = v.get(HIDDEN);
        if (rawHidden != null) {
            hidden = new ArrayList<>();
            for (Object w : rawHidden) {
                if (!(w instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1) {
                    throw ConfigException.invalid(HIDDEN.name(), rawHidden, "every width must be an integer >= 1");
                }
                hidden.add(n.intValue());
            }
            if (hidden.isEmpty()) {
                throw ConfigException.invalid(HIDDEN.name(), rawHidden, "needs at least one width");
            }
        }
        String init = v.get(WEIGHT_INIT);
        String loss = v.get(LOSS);
        return new ModelOptions(hidden, v.get(DROPOUT), v.get(BATCH_NORM), v.get(ACTIVATION),
                init == null ? null : new WeightInitSpec(init, v.get(WEIGHT_SIGMA)),
                loss == null ? null : Loss.parse(loss), v.get(OUTPUT_ACTIVATION));
    }
}
