package org.sparkprop.job.output;

import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.error.SparkPropException;

/**
 * A model or checkpoint file this program refuses to read, because reading it could run code or exhaust memory
 * (a Java-serialized object of a class sparkprop models never hold, a class name outside DL4J, ND4J and sparkprop
 * in the configuration, an entry larger than its limit). Nothing of the file was deserialized.
 */
public final class UnsafeModelFileException extends SparkPropException {
    UnsafeModelFileException(String file, String problem) {
        super("Refusing to read " + file + ": " + problem + ". Only load model files written by sparkprop or DL4J's"
                + " ModelSerializer from a source you trust; see SECURITY.md.", ExitCodes.USAGE);
    }
}
