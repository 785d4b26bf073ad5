package org.sparkprop.data.export;

import java.util.Locale;
import org.sparkprop.data.split.Split;

/** Names inside a pre-batched copy: {@code <split>/batch-000042.bin}. */
public final class BatchFiles {
    private static final String PREFIX = "batch-";
    private static final String SUFFIX = ".bin";

    private BatchFiles() {
    }

    public static String relative(Split split, int batch) {
        return split.id() + "/" + String.format(Locale.ROOT, PREFIX + "%06d" + SUFFIX, batch);
    }

    /** The batch number in a batch file's path or name. */
    public static int batchIndex(String path) {
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            throw new IllegalArgumentException(path + " is not a batch file (" + PREFIX + "NNNNNN" + SUFFIX + ")");
        }
        return Integer.parseInt(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }
}
