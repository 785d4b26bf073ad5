package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.location;
import static org.sparkprop.job.config.ConfigDef.range;

/**
 * The {@code checkpoint.*} keys: where checkpoints go and how often.
 *
 * @param dir          the checkpoint folder URI: checkpoint.dir, or {@code <output>/checkpoints}
 * @param insideOutput whether it lies inside the output folder (then the output's lock covers it)
 */
public record CheckpointSection(String dir, int everyEpochs, double everyMinutes, int keep, boolean insideOutput) {
    public static final Key<String> DIR = Key.string("checkpoint.dir").validator(location())
            .optional("Where checkpoints go: any Hadoop URI (file:, hdfs:, s3a:) or a local folder. Unset: "
                    + "<output>/checkpoints.");
    public static final Key<Integer> EVERY_EPOCHS = Key.integer("checkpoint.every-epochs").validator(range(0, 100_000))
            .withDefault(1, "Checkpoint after every N epochs (0: not by epoch). A checkpoint costs one model "
                    + "write.");
    public static final Key<Double> EVERY_MINUTES = Key.decimal("checkpoint.every-minutes").validator(range(0.0, null))
            .withDefault(0.0, "Also checkpoint after the averaging round that passes N minutes since the last "
                    + "one, in the middle of an epoch (0: off). For long epochs on preemptible executors.");
    public static final Key<Integer> KEEP = Key.integer("checkpoint.keep").validator(range(1, 1000))
            .withDefault(2, "Checkpoints kept; older ones are deleted after a newer one is complete.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Checkpoints",
            DIR, EVERY_EPOCHS, EVERY_MINUTES, KEEP);

    static CheckpointSection from(ConfigValues v, OutputSection output) {
        String given = v.get(DIR);
        String dir = given != null ? given : output.dir().resolve("checkpoints").toAbsolutePath().toString();
        return new CheckpointSection(dir, v.get(EVERY_EPOCHS), v.get(EVERY_MINUTES), v.get(KEEP),
                PathOverlap.inside(dir, output.dir().toString()));
    }

    /** Whether any checkpoint is written (by epoch or by time). */
    public boolean enabled() {
        return everyEpochs > 0 || everyMinutes > 0;
    }
}
