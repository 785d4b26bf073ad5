package org.sparkprop.job.run;

import java.util.Set;
import org.sparkprop.job.checkpoint.CheckpointChanges;
import org.sparkprop.job.promote.Promotion;

/**
 * What a run does about an earlier one and after training: {@code overwrite} replaces its output (and deletes
 * its checkpoints), {@code resume} continues from the newest complete checkpoint in {@code checkpoint.dir},
 * {@code allowedChanges} are result-defining keys that may differ from the checkpoint's when resuming (from
 * {@link CheckpointChanges#ALLOWED}: the run continues from the checkpoint's parameters and optimizer state in
 * the network this config builds), and {@code promotion} is where the trained model is promoted to when it beats
 * the one in service ({@code train --promote-to}), or null to only write the output folder.
 */
public record RunOptions(boolean overwrite, boolean resume, Set<String> allowedChanges, Promotion promotion) {
    /** A new run that refuses to replace an earlier one's output, promoting nothing. */
    public static final RunOptions NEW_RUN = new RunOptions(false, false, Set.of(), null);

    public RunOptions {
        allowedChanges = Set.copyOf(allowedChanges);
    }

    public RunOptions overwriting(boolean overwrite) {
        return new RunOptions(overwrite, resume, allowedChanges, promotion);
    }

    public RunOptions resuming(boolean resume) {
        return new RunOptions(overwrite, resume, allowedChanges, promotion);
    }

    public RunOptions allowing(Set<String> changes) {
        return new RunOptions(overwrite, resume, changes, promotion);
    }

    public RunOptions promotingTo(Promotion promotion) {
        return new RunOptions(overwrite, resume, allowedChanges, promotion);
    }
}
