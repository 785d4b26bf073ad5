package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.greaterThan;
import static org.sparkprop.job.config.ConfigDef.location;
import static org.sparkprop.job.config.ConfigDef.nonBlank;
import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.range;

import java.util.List;

/**
 * The {@code transfer.*} keys: start from a pretrained network, which of its layers stay frozen, and how the frozen
 * body is run. Built once per config, with the checks that the mode uses the keys given.
 *
 * @param source                 the pretrained network's URI, or null when not transferring
 * @param mode                   what is kept of the pretrained network and what trains
 * @param freeze                 a layer count or name, or null for the mode's default
 * @param unfreezeTop            fine-tune mode: how many top pretrained layers train
 * @param pretrainedLearningRate learning rate of the unfrozen pretrained layers in fine-tune mode
 * @param featurizeOnce          whether the frozen body runs once (feature-extractor mode, featurize = once)
 * @param featuresDir            where features are stored: transfer.features-dir, or {@code <output>/features}
 */
public record TransferSection(String source, Mode mode, String freeze, int unfreezeTop,
                              double pretrainedLearningRate, boolean featurizeOnce, String featuresDir) {
    /** The values of {@code transfer.mode}; see its doc. */
    public enum Mode {
        FEATURE_EXTRACTOR("feature-extractor"), FINE_TUNE("fine-tune"), SCRATCH("scratch"),
        WARM_START("warm-start");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        /** The value as written in a config. */
        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }

        /** The mode whose {@link #id} is {@code id}. */
        public static Mode of(String id) {
            for (Mode mode : values()) {
                if (mode.id.equals(id)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException(id); // the key's validator allows the ids only
        }
    }

    public static final Key<String> SOURCE = Key.string("transfer.source").validator(location())
            .optional("Pretrained network to start from instead of model.name: a DL4J ModelSerializer zip "
                    + "(this trainer's model.zip, or a DL4J zoo zip) or a Keras .h5 model, at any Hadoop URI "
                    + "(file:, hdfs://, s3a://), or a train --promote-to folder (its model in service). Nothing "
                    + "is downloaded. Its output layer is replaced by a new "
                    + "one for this data's classes (loss and activation kept); optimizer.* trains that head. "
                    + "Unset: no transfer, model.* is trained from scratch.");
    public static final Key<String> MODE = Key.string("transfer.mode")
            .validator(oneOf(java.util.Arrays.stream(Mode.values()).map(Mode::id).toList()))
            .withDefault("feature-extractor", "feature-extractor: every pretrained layer below the head frozen "
                    + "(transfer.freeze to freeze fewer), only the new head trains - cheapest, best for little "
                    + "data similar to the pretraining data. fine-tune: the top transfer.unfreeze-top "
                    + "pretrained layers also train, at transfer.pretrained-learning-rate - for more data or "
                    + "less similar data. scratch: the same architecture with fresh weights - the baseline "
                    + "that says whether transfer helped. warm-start: a model trained for these same classes "
                    + "(e.g. the one in service, transfer.source = a train --promote-to folder) keeps its head "
                    + "and continues training, every layer at transfer.pretrained-learning-rate - retraining "
                    + "on data that grew.");
    public static final Key<String> FREEZE = Key.string("transfer.freeze").validator(nonBlank())
            .optional("Which pretrained layers stay frozen (parameters bit-identical, batch-norm statistics "
                    + "fixed): a count N (the first N layers) or a layer name (every layer up to and including "
                    + "it; a name that does not exist is answered with the list). Unset: all below the head in "
                    + "feature-extractor mode, all but the top transfer.unfreeze-top in fine-tune mode.");
    public static final Key<Integer> UNFREEZE_TOP = Key.integer("transfer.unfreeze-top").validator(range(1, 10_000))
            .optional("fine-tune mode: how many of the top pretrained layers (below the new head) train. "
                    + "Unset: 1. More layers adapt more but need more data not to overfit.");
    public static final Key<Double> PRETRAINED_LEARNING_RATE = Key.decimal("transfer.pretrained-learning-rate")
            .validator(greaterThan(0))
            .optional("fine-tune mode: learning rate of the unfrozen pretrained layers (same optimizer and "
                    + "schedule as the head); warm-start mode: of every layer. Unset: a tenth of "
                    + "optimizer.learning-rate, so the new head's large early gradients (fine-tune) or a fresh "
                    + "schedule's first steps (warm-start) do not wreck what the network learnt.");
    public static final Key<String> FEATURIZE = Key.string("transfer.featurize")
            .validator(oneOf(List.of("once", "every-epoch")))
            .withDefault("once", "feature-extractor mode: once runs the frozen body over the training data "
                    + "once on the executors, stores the features and trains only the head from them (each "
                    + "epoch costs the head's work only); every-epoch runs the frozen forward pass in every "
                    + "epoch (the naive way, needed with data.augment). Batches are formed once with features, "
                    + "so each epoch reshuffles the batch order, not the examples.");
    public static final Key<String> FEATURES_DIR = Key.string("transfer.features-dir").validator(location())
            .optional("Where transfer.featurize = once stores the features (any Hadoop URI; the executors "
                    + "write and read them). Unset: <output>/features. Deleted after training.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Transfer learning",
            SOURCE, MODE, FREEZE, UNFREEZE_TOP, PRETRAINED_LEARNING_RATE, FEATURIZE, FEATURES_DIR);

    /** @throws ConfigException for a key that needs a source, or one the chosen mode does not use */
    static TransferSection from(ConfigValues v, OutputSection output, OptimizerSection optimizer) {
        String source = v.get(SOURCE);
        Mode mode = Mode.of(v.get(MODE));
        List<Key<?>> unused = source == null ? List.of() : switch (mode) {
            case SCRATCH -> List.of(FREEZE, UNFREEZE_TOP, PRETRAINED_LEARNING_RATE, FEATURES_DIR);
            case FEATURE_EXTRACTOR -> List.of(UNFREEZE_TOP, PRETRAINED_LEARNING_RATE);
            case WARM_START -> List.of(FREEZE, UNFREEZE_TOP, FEATURES_DIR);
            case FINE_TUNE -> List.of(FEATURES_DIR);
        };
        if (source == null) {
            for (Key<?> key : List.of(FREEZE, UNFREEZE_TOP, PRETRAINED_LEARNING_RATE, FEATURES_DIR)) {
                if (v.isSet(key)) {
                    throw new ConfigException("Invalid configuration " + key + ": it is only read when " + SOURCE
                            + " names a pretrained network. Set " + SOURCE + " or remove " + key + ".");
                }
            }
        }
        for (Key<?> key : unused) {
            if (v.isSet(key)) {
                throw new ConfigException("Invalid configuration " + key + ": " + MODE + " = " + mode.id()
                        + " does not use it. Remove it, or pick the mode that does (" + MODE
                        + " = fine-tune trains the top pretrained layers).");
            }
        }
        if (source != null && mode == Mode.FINE_TUNE && v.isSet(FREEZE) && v.isSet(UNFREEZE_TOP)) {
            throw new ConfigException("Invalid configuration " + FREEZE + " = " + v.get(FREEZE) + " with "
                    + UNFREEZE_TOP + " = " + v.get(UNFREEZE_TOP) + ": both say which pretrained layers train. Set"
                    + " only one.");
        }
        boolean once = source != null && mode == Mode.FEATURE_EXTRACTOR && v.get(FEATURIZE).equals("once");
        if (once && v.isSet(DataSection.AUGMENT)) {
            throw new ConfigException("Invalid configuration " + DataSection.AUGMENT + " with " + FEATURIZE
                    + " = once: features computed once cannot see each epoch's new augmentation. Set "
                    + FEATURIZE + " = every-epoch, or remove " + DataSection.AUGMENT + ".");
        }
        Integer top = v.get(UNFREEZE_TOP);
        Double lr = v.get(PRETRAINED_LEARNING_RATE);
        String features = v.get(FEATURES_DIR);
        return new TransferSection(source, mode, v.get(FREEZE), top == null ? 1 : top,
                lr != null ? lr : optimizer.learningRate() / 10, once,
                features != null ? features : output.dir().resolve("features").toUri().toString());
    }

    /** Whether the run starts from a pretrained network. */
    public boolean enabled() {
        return source != null;
    }
}
