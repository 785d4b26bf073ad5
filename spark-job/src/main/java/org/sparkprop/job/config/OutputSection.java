package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.location;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The {@code output} and {@code report} keys: where the run's results go and whether it writes the HTML report.
 *
 * @param dir the local output folder
 */
public record OutputSection(Path dir, boolean report) {
    public static final Key<String> DIR = Key.string("output").validator(location())
            .required("Output folder for model.zip and metrics.json. Existing results there are not "
                    + "overwritten unless --overwrite is given.");
    public static final Key<Boolean> REPORT = Key.bool("report")
            .withDefault(true, "Write report.html (self-contained) and PNG charts (loss, accuracy, confusion "
                    + "matrix) to the output folder after training.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Output and report",
            DIR, REPORT);

    static OutputSection from(ConfigValues v) {
        return new OutputSection(Paths.get(v.get(DIR)), v.get(REPORT));
    }
}
