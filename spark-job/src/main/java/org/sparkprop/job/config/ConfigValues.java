package org.sparkprop.job.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parsed, validated value of every key of one {@link ConfigDef}: immutable, read by typed {@link Key}. */
public final class ConfigValues {
    private final Map<String, Object> values;

    ConfigValues(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The key's value: given, or its default; null for an absent optional key. */
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        if (!values.containsKey(key.name())) {
            throw new IllegalArgumentException("configuration key " + key + " is not declared");
        }
        return (T) values.get(key.name());
    }

    /** Whether the key has a value (given, or defaulted). */
    public boolean isSet(Key<?> key) {
        return get(key) != null;
    }

    /** Every key's value by name, in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }
}
