package org.sparkprop.job.config;

import java.util.List;
import java.util.Objects;

/**
 * One configuration key, declared once: its name, value type, default, validator and doc, in the spirit of Spark
 * ML's {@code Param[T]} and Kafka's {@code ConfigDef.ConfigKey}. {@link ConfigValues#get(Key)} returns a {@code T}
 * without a cast at the call site. {@link #toString()} is the name, so a key reads as its name in messages.
 *
 * @param <T> the Java type of its parsed value: String, Integer, Long, Double, Boolean or List
 */
public final class Key<T> {
    /** Value types; LIST values are HOCON/JSON lists (of numbers, strings or objects), e.g. {@code [64, 32]}. */
    public enum Type { STRING, INT, LONG, DOUBLE, BOOLEAN, LIST }

    /** How a key's absence is filled. */
    public enum Presence {
        /** Absent: the default value. */
        DEFAULTED,
        /** Absent: null, meaning "the model's, library's or another key's choice" (the doc says which). */
        OPTIONAL,
        /** Absent: the config is refused. */
        REQUIRED
    }

    private final String name;
    private final Type type;
    private final Presence presence;
    private final T defaultValue;
    private final ConfigDef.Validator validator;
    private final String doc;

    private Key(String name, Type type, Presence presence, T defaultValue, ConfigDef.Validator validator,
                String doc) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.presence = presence;
        this.defaultValue = defaultValue;
        this.validator = validator;
        this.doc = Objects.requireNonNull(doc);
        if ((presence == Presence.DEFAULTED) != (defaultValue != null)) {
            throw new IllegalArgumentException("key " + name + ": a default exactly when the key is DEFAULTED");
        }
    }

    /** Builds keys of one value type; start with {@link #string}, {@link #integer} and so on. */
    public static final class Builder<T> {
        private final String name;
        private final Type type;
        private ConfigDef.Validator validator;

        private Builder(String name, Type type) {
            this.name = name;
            this.type = type;
        }

        public Builder<T> validator(ConfigDef.Validator v) {
            this.validator = v;
            return this;
        }

        /** A key whose absence means {@code value}. */
        public Key<T> withDefault(T value, String doc) {
            return new Key<>(name, type, Presence.DEFAULTED, Objects.requireNonNull(value), validator, doc);
        }

        /** A key whose absence means null: the doc says what then applies. */
        public Key<T> optional(String doc) {
            return new Key<>(name, type, Presence.OPTIONAL, null, validator, doc);
        }

        /** A key that must be given. */
        public Key<T> required(String doc) {
            return new Key<>(name, type, Presence.REQUIRED, null, validator, doc);
        }
    }

    public static Builder<String> string(String name) {
        return new Builder<>(name, Type.STRING);
    }

    public static Builder<Integer> integer(String name) {
        return new Builder<>(name, Type.INT);
    }

    public static Builder<Long> longInteger(String name) {
        return new Builder<>(name, Type.LONG);
    }

    public static Builder<Double> decimal(String name) {
        return new Builder<>(name, Type.DOUBLE);
    }

    public static Builder<Boolean> bool(String name) {
        return new Builder<>(name, Type.BOOLEAN);
    }

    public static Builder<List<Object>> list(String name) {
        return new Builder<>(name, Type.LIST);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public Presence presence() {
        return presence;
    }

    /** The default, or null for an optional or required key. */
    public T defaultValue() {
        return defaultValue;
    }

    /** Null when any value of the type is accepted. */
    public ConfigDef.Validator validator() {
        return validator;
    }

    public String doc() {
        return doc;
    }

    @Override
    public String toString() {
        return name;
    }
}
