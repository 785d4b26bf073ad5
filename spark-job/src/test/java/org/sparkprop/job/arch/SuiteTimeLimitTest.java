package org.sparkprop.job.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every test of the suite runs under a time limit (the parent pom's Surefire configuration): a hung Spark job fails
 * in minutes with the test's name instead of stalling CI until its own limit.
 */
@ExtendWith(SuiteTimeLimitTest.Parameters.class)
class SuiteTimeLimitTest {
    @Test
    void everyTestIsInterruptedAfterThreeMinutesUnlessItSaysOtherwise(ExtensionContext context) {
        assertEquals(Optional.of("3 m"), context.getConfigurationParameter("junit.jupiter.execution.timeout.default"));
        assertEquals(Optional.of("enabled"), context.getConfigurationParameter("junit.jupiter.execution.timeout.mode"));
    }

    /** Hands the test its own extension context, where JUnit's configuration parameters are read. */
    static final class Parameters implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ExtensionContext.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context;
        }
    }
}
