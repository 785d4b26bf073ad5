package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.range;

import java.util.List;

/**
 * The {@code eval.*} and {@code early-stopping.*} keys: what is evaluated beyond the per-epoch and final test
 * figures, and when training stops early.
 */
public record EvaluationSection(boolean trainAccuracy, String earlyStoppingMetric, int earlyStoppingPatience,
                                double earlyStoppingMinDelta) {
    public static final Key<Boolean> TRAIN_ACCURACY = Key.bool("eval.train-accuracy")
            .withDefault(false, "Also evaluate the final model on the whole training set (one more pass on the "
                    + "driver).");
    public static final Key<String> EARLY_STOPPING_METRIC = Key.string("early-stopping.metric")
            .validator(oneOf(List.of("accuracy", "f1", "loss")))
            .withDefault("accuracy", "Validation figure early stopping watches (and which epoch's model is "
                    + "kept): accuracy or macro f1 (higher is better), loss (lower is better).");
    public static final Key<Integer> EARLY_STOPPING_PATIENCE = Key.integer("early-stopping.patience")
            .validator(range(0, 100_000))
            .withDefault(0, "Stop after N epochs without improvement of early-stopping.metric, and keep the "
                    + "best epoch's model as model.zip. 0: off (train all epochs, keep the last model).");
    public static final Key<Double> EARLY_STOPPING_MIN_DELTA = Key.decimal("early-stopping.min-delta")
            .validator(range(0.0, null))
            .withDefault(0.0, "Smallest change of the metric that counts as an improvement.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Evaluation and early stopping",
            TRAIN_ACCURACY, EARLY_STOPPING_METRIC, EARLY_STOPPING_PATIENCE, EARLY_STOPPING_MIN_DELTA);

    static EvaluationSection from(ConfigValues v) {
        return new EvaluationSection(v.get(TRAIN_ACCURACY), v.get(EARLY_STOPPING_METRIC),
                v.get(EARLY_STOPPING_PATIENCE), v.get(EARLY_STOPPING_MIN_DELTA));
    }
}
