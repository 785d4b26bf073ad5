package org.sparkprop.data;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * The names under which the program calling data-prep lets its user change what data-prep's messages ask to change:
 * spark-job's config keys ({@code data.path}, {@code data.max-file-bytes}, ...). They reach data-prep as values,
 * the way MLlib builds a message from the Param object, and are never spelt in it, so a renamed key is renamed in
 * every message. Every {@link Setting} must be named.
 */
public final class SettingNames implements Serializable {
    /** What data-prep's messages may ask a user to change. */
    public enum Setting {
        /** The image folder's root. */
        PATH,
        /** The size and channels images are brought to. */
        IMAGE_SIZE,
        /** Where the pre-batched copy goes. */
        BATCHES,
        /** Where the IDX files of a built-in dataset are. */
        DIR,
        /** The largest share of bad files accepted. */
        BAD_INPUT_THRESHOLD,
        /** The largest file read. */
        MAX_FILE_BYTES,
        /** The largest width x height decoded. */
        MAX_IMAGE_PIXELS
    }

    private final EnumMap<Setting, String> names;

    /** @throws IllegalArgumentException when a setting has no name */
    public SettingNames(Map<Setting, String> names) {
        this.names = new EnumMap<>(Setting.class);
        this.names.putAll(names);
        for (Setting setting : Setting.values()) {
            String name = this.names.get(setting);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("no name for " + setting + " in " + names);
            }
        }
    }

    /** The name a user sets {@code setting} by. */
    public String of(Setting setting) {
        return names.get(setting);
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
