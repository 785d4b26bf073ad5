package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.range;
import static org.sparkprop.job.config.ConfigDef.oneOf;

import java.util.List;

/**
 * The keys {@code train --promote-to URI} reads: which test figure decides whether the new model replaces the served
 * one, by how much it must beat it, how many promoted models are kept, and how far the class balance of the data may
 * move from the last run's before the run is stopped. Without {@code --promote-to} they are not used.
 *
 * @param metric        accuracy, f1 or loss
 * @param minDelta      the least improvement over the served model's figure that promotes
 * @param keep          promoted models kept at the URI (the served one always among them)
 * @param maxClassShift largest relative change of a class's share of the data from the last run's
 */
public record PromoteSection(String metric, double minDelta, int keep, double maxClassShift) {
    public static final Key<String> METRIC = Key.string("promote.metric")
            .validator(oneOf(List.of("accuracy", "f1", "loss")))
            .withDefault("accuracy", "Test figure that decides promotion: accuracy or macro f1 (higher is "
                    + "better), loss (lower is better). The served model is evaluated on the executors on "
                    + "the same test data as the run's final test.");
    public static final Key<Double> MIN_DELTA = Key.decimal("promote.min-delta").validator(range(-1e6, 1e6))
            .withDefault(0.0, "Least improvement of promote.metric over the served model that promotes the new "
                    + "one. 0: not worse is enough (a tie promotes); 0.002: at least 0.2 accuracy points "
                    + "better; negative: tolerate a small drop, e.g. -0.001.");
    public static final Key<Integer> KEEP = Key.integer("promote.keep").validator(range(1, 10_000))
            .withDefault(5, "Promoted models kept at the --promote-to URI as model-<run id>.zip, for "
                    + "promote --rollback. Older ones are deleted; the one in service always stays.");
    public static final Key<Double> MAX_CLASS_SHIFT = Key.decimal("data.max-class-shift")
            .validator(range(0.0, null))
            .withDefault(0.5, "With --promote-to: largest relative change of a class's share of the data from "
                    + "the last run's (history.jsonl), e.g. 0.5 = a class that was 10% of the images may be 5% "
                    + "to 15%. A larger shift, or a class that vanished or appeared, stops the run before "
                    + "training: usually a broken upstream export. Raise it (or pass --allow-class-change for "
                    + "a new class set) when the change is real.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Promotion (train --promote-to URI)",
            METRIC, MIN_DELTA, KEEP, MAX_CLASS_SHIFT);

    static PromoteSection from(ConfigValues v) {
        return new PromoteSection(v.get(METRIC), v.get(MIN_DELTA), v.get(KEEP), v.get(MAX_CLASS_SHIFT));
    }
}
