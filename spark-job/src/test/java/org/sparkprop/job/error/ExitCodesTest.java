package org.sparkprop.job.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.sparkprop.data.folder.DatasetLayoutException;
import org.sparkprop.data.folder.TooMuchBadInputException;
import org.sparkprop.job.config.ConfigException;

class ExitCodesTest {
    @Test
    void aFailureThatExplainsItselfKeepsItsCodeAndAnyOtherIsAFailedRunWithItsStackTrace() {
        assertEquals(new ExitCodes.Failure(2, true), ExitCodes.of(new ConfigException("bad key")));
        assertEquals(new ExitCodes.Failure(1, true), ExitCodes.of(new SparkPropException("diverged", 1)));
        assertEquals(new ExitCodes.Failure(2, true), ExitCodes.of(new DatasetLayoutException("no class folders")));
        assertEquals(new ExitCodes.Failure(1, true), ExitCodes.of(new TooMuchBadInputException("3 of 4 bad")));
        assertEquals(new ExitCodes.Failure(1, true), ExitCodes.of(new IOException("disk full")));
        assertEquals(new ExitCodes.Failure(1, false), ExitCodes.of(new IllegalStateException("a bug")));
    }
}
