package org.sparkprop.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIG.md is the key declarations as Markdown: it fails here when a key, a default or a doc changed without
 * it. With {@code -Dsparkprop.regenerate-docs=true} the test writes the file instead.
 */
class ConfigReferenceTest {
    private static final Path FILE = Path.of("../docs/CONFIG.md");

    @Test
    void theConfigurationReferenceIsTheKeyDeclarations() throws IOException {
        String generated = TrainConfig.DEF.markdown();
        if (Boolean.getBoolean("sparkprop.regenerate-docs")) {
            Files.writeString(FILE, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(FILE), FILE.toAbsolutePath() + " is missing; write it with: mvn -B test -pl spark-job"
                + " -am -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dsparkprop.regenerate-docs=true");
        assertEquals(generated, Files.readString(FILE, StandardCharsets.UTF_8), "docs/CONFIG.md differs from the"
                + " key declarations; regenerate it with: mvn -B test -pl spark-job -am -Dtest=ConfigReferenceTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dsparkprop.regenerate-docs=true");
        assertTrue(generated.contains("| `data.path` | string | unset | non-empty |"), generated);
    }
}
