package org.sparkprop.job.config;

import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.error.SparkPropException;

/**
 * A configuration the job cannot run with. The message names the key, the offending value, the limit it broke and
 * how to change it; the CLI prints it as one line and exits with {@link #EXIT_CODE}.
 */
public class ConfigException extends SparkPropException {
    public static final int EXIT_CODE = ExitCodes.USAGE;

    public ConfigException(String message) {
        super(message, ExitCodes.USAGE);
    }

    /** {@code Invalid value V for configuration K: REASON. Change it in the config file or with --set K=...} */
    public static ConfigException invalid(String key, Object value, String reason) {
        return new ConfigException("Invalid value " + value + " for configuration " + key + ": " + reason
                + ". Change it in the config file or with --set " + key + "=...");
    }
}
