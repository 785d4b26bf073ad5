package org.sparkprop.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.zoo.CatalogEntry;
import org.sparkprop.model.zoo.ModelOptions;
import org.sparkprop.model.zoo.UnsupportedOptionException;
import org.sparkprop.model.zoo.Zoo;

/**
 * The named architectures. {@link #spec} gives a model's layer list with a user's overrides applied; build it for
 * an input shape and class count with {@link org.sparkprop.model.build.NetworkBuilder}.
 */
public final class ModelCatalog {
    /** Names a model written out layer by layer in the config instead of taken from the catalogue. */
    public static final String CUSTOM = "custom";

    private static final Map<String, CatalogEntry> ENTRIES = new LinkedHashMap<>();

    static {
        for (CatalogEntry e : Zoo.entries()) {
            ENTRIES.put(e.name(), e);
        }
    }

    /** Catalogue names, in catalogue order. */
    public static final List<String> NAMES = List.copyOf(ENTRIES.keySet());

    private ModelCatalog() {
    }

    public static List<CatalogEntry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    /**
     * The layer list of catalogue model {@code name} with {@code options} applied.
     *
     * @throws IllegalArgumentException for an unknown name, or an option the model does not take (naming the
     *                                  models that do)
     */
    public static ModelSpec spec(String name, ModelOptions options) {
        CatalogEntry entry = ENTRIES.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", NAMES)
                    + " (or " + CUSTOM + " with a layer list)");
        }
        checkFamilyOptions(entry.name(), entry.familyOptions(), options);
        return applyCommon(entry.factory().apply(options), options);
    }

    /**
     * A custom layer list with the options every model takes applied.
     *
     * @throws UnsupportedOptionException for an MLP-family option, which a written-out layer list does not take
     */
    public static ModelSpec custom(List<LayerSpec> layers, ModelOptions options) {
        checkFamilyOptions(CUSTOM, Set.of(), options);
        return applyCommon(new ModelSpec(CUSTOM, layers, WeightInitSpec.HE), options);
    }

    private static void checkFamilyOptions(String model, Set<String> taken, ModelOptions options) {
        checkFamilyOption(model, taken, "hidden", options.hidden() != null);
        checkFamilyOption(model, taken, "dropout", options.dropout() != null);
        checkFamilyOption(model, taken, "batch-norm", options.batchNorm() != null);
    }

    private static void checkFamilyOption(String model, Set<String> taken, String option, boolean given) {
        if (given && !taken.contains(option)) {
            List<String> takers = new ArrayList<>();
            for (CatalogEntry e : ENTRIES.values()) {
                if (e.familyOptions().contains(option)) {
                    takers.add(e.name());
                }
            }
            throw new UnsupportedOptionException(option, "option " + option + " applies to " + String.join(", ", takers)
                    + " only, not to " + model + (model.equals(CUSTOM) ? " (write the layers into the list itself)"
                    : " (write a custom layer list to change its layers)"));
        }
    }

    /** Applies the options every model takes: hidden activation, weight init, loss and output activation. */
    private static ModelSpec applyCommon(ModelSpec spec, ModelOptions o) {
        List<LayerSpec> layers = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            String act = o.activation();
            if (act != null && l instanceof LayerSpec.Dense d && !d.activation().equals("identity")) {
                l = new LayerSpec.Dense(d.units(), act, d.bias(), d.weightInit());
            } else if (act != null && l instanceof LayerSpec.Conv c && !c.activation().equals("identity")) {
                l = new LayerSpec.Conv(c.filters(), c.kernel(), c.stride(), c.padding(), act, c.bias(), c.weightInit());
            } else if (act != null && l instanceof LayerSpec.Activation) {
                l = new LayerSpec.Activation(act);
            } else if (l instanceof LayerSpec.Output out && (o.loss() != null || o.outputActivation() != null)) {
                l = new LayerSpec.Output(o.outputActivation() != null ? o.outputActivation()
                        : o.loss() != null ? null : out.activation(),
                        o.loss() != null ? o.loss() : out.loss(), out.weightInit());
            }
            layers.add(l);
        }
        return new ModelSpec(spec.name(), layers, o.weightInit() != null ? o.weightInit() : spec.weightInit());
    }
}
