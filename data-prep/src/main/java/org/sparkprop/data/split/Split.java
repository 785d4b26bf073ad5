package org.sparkprop.data.split;

import java.util.Locale;

/** The three parts of a dataset. Folder names: {@code train}, {@code val}, {@code test}. */
public enum Split {
    TRAIN, VAL, TEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
