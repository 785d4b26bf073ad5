package org.sparkprop.job.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Declares configuration keys once each, with type, default, validator and documentation, in the manner of Kafka's
 * {@code ConfigDef}; {@link #parse(Map)} turns raw strings into typed, validated values.
 */
public final class ConfigDef {
    /** Checks one parsed value; throws {@link ConfigException} via {@link ConfigException#invalid}. */
    public interface Validator {
        void ensureValid(String key, Object value);

        /** What the validator accepts, for the docs, e.g. {@code [1,...]}. */
        String describe();
    }

    /** A titled group of keys, documented together (as Kafka groups its docs). */
    public record Section(String title, List<Key<?>> keys) {
        public Section {
            keys = List.copyOf(keys);
        }
    }

    private final List<Section> sections;
    private final Map<String, Key<?>> keys = new LinkedHashMap<>();

    /** @throws IllegalArgumentException when a key name is declared twice */
    public ConfigDef(List<Section> sections) {
        this.sections = List.copyOf(sections);
        for (Section section : this.sections) {
            for (Key<?> key : section.keys()) {
                if (keys.put(key.name(), key) != null) {
                    throw new IllegalArgumentException("configuration key " + key + " is defined twice");
                }
            }
        }
    }

    public static Section section(String title, Key<?>... keys) {
        return new Section(title, List.of(keys));
    }

    public List<Section> sections() {
        return sections;
    }

    public Map<String, Key<?>> keys() {
        return Collections.unmodifiableMap(keys);
    }

    /**
     * Typed values for every declared key: given ones parsed and validated, the others at their defaults.
     *
     * @throws ConfigException for an unknown key, a value of the wrong type, one its validator rejects, or a
     *                         missing required key
     */
    public ConfigValues parse(Map<String, String> raw) {
        for (String given : raw.keySet()) {
            if (!keys.containsKey(given)) {
                throw unknownKey(given);
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Key<?> key : keys.values()) {
            Object value;
            if (raw.containsKey(key.name())) {
                value = parseValue(key, raw.get(key.name()));
            } else if (key.presence() == Key.Presence.REQUIRED) {
                throw new ConfigException("Missing required configuration " + key.name() + ": " + key.doc()
                        + " Set it in the config file or with --set " + key.name() + "=...");
            } else {
                value = key.defaultValue();
            }
            if (key.validator() != null && value != null) {
                key.validator().ensureValid(key.name(), value);
            }
            values.put(key.name(), value);
        }
        return new ConfigValues(values);
    }

    private static Object parseValue(Key<?> key, String text) {
        String t = text.trim();
        try {
            return switch (key.type()) {
                case STRING -> t;
                case LIST -> parseList(key, t);
                case INT -> Integer.parseInt(t);
                case LONG -> Long.parseLong(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOLEAN -> {
                    String b = t.toLowerCase(Locale.ROOT);
                    if (!b.equals("true") && !b.equals("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(b);
                }
            };
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key.name(), text, "expected " + article(key.type()));
        }
    }

    private static java.util.List<Object> parseList(Key<?> key, String text) {
        try {
            return com.typesafe.config.ConfigFactory.parseString("v = " + text,
                    com.typesafe.config.ConfigParseOptions.defaults().setIncluder(NoIncludes.INSTANCE))
                    .getList("v").unwrapped();
        } catch (com.typesafe.config.ConfigException e) {
            throw ConfigException.invalid(key.name(), text, "expected a list such as [64, 32]");
        }
    }

    /** A list value is a value: an include in it (a file, a URL, a resource) is refused, never read. */
    private enum NoIncludes implements com.typesafe.config.ConfigIncluder, com.typesafe.config.ConfigIncluderFile,
            com.typesafe.config.ConfigIncluderURL, com.typesafe.config.ConfigIncluderClasspath {
        INSTANCE;

        @Override
        public com.typesafe.config.ConfigIncluder withFallback(com.typesafe.config.ConfigIncluder fallback) {
            return this;
        }

        @Override
        public com.typesafe.config.ConfigObject include(com.typesafe.config.ConfigIncludeContext context,
                                                         String what) {
            throw refused();
        }

        @Override
        public com.typesafe.config.ConfigObject includeFile(com.typesafe.config.ConfigIncludeContext context,
                                                             java.io.File file) {
            throw refused();
        }

        @Override
        public com.typesafe.config.ConfigObject includeURL(com.typesafe.config.ConfigIncludeContext context,
                                                            java.net.URL url) {
            throw refused();
        }

        @Override
        public com.typesafe.config.ConfigObject includeResources(com.typesafe.config.ConfigIncludeContext context,
                                                                  String resource) {
            throw refused();
        }

        private static com.typesafe.config.ConfigException refused() {
            return new com.typesafe.config.ConfigException.Generic("an include inside a list value");
        }
    }

    private static String article(Key.Type type) {
        return switch (type) {
            case INT -> "an integer";
            case LONG -> "an integer";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case LIST -> "a list such as [64, 32]";
        };
    }

    private ConfigException unknownKey(String given) {
        List<String> close = new ArrayList<>();
        for (String name : keys.keySet()) {
            String givenLast = given.substring(given.lastIndexOf('.') + 1);
            String nameLast = name.substring(name.lastIndexOf('.') + 1);
            boolean sameSection = given.substring(0, given.length() - givenLast.length())
                    .equals(name.substring(0, name.length() - nameLast.length()));
            boolean typo = sameSection && editDistance(givenLast, nameLast) <= Math.max(1, givenLast.length() / 3);
            if (typo || name.endsWith("." + given) || given.endsWith("." + name)) {
                close.add(name);
            }
        }
        String hint = close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?";
        int dot = given.indexOf('.');
        TreeSet<String> section = new TreeSet<>();
        if (dot > 0) {
            for (String name : keys.keySet()) {
                if (name.startsWith(given.substring(0, dot + 1))) {
                    section.add(name);
                }
            }
        }
        String known = section.isEmpty() ? "" : " Keys under " + given.substring(0, dot) + ": "
                + String.join(", ", section) + ".";
        return new ConfigException("Unknown configuration key " + given + "." + hint + known
                + " bin/sparkprop train --help describes all " + keys.size() + " keys.");
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Width of {@link #describe()}'s lines. */
    static final int HELP_WIDTH = 108;

    /**
     * One block per section, one per key in it: name, type, default, accepted values, doc; wrapped at
     * {@value #HELP_WIDTH} characters.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Section section : sections) {
            sb.append('\n').append(section.title()).append(":\n");
            for (Key<?> key : section.keys()) {
                StringBuilder head = new StringBuilder(key.name()).append(" (")
                        .append(key.type().name().toLowerCase(Locale.ROOT)).append(", ").append(switch (key.presence()) {
                            case DEFAULTED -> "default " + key.defaultValue();
                            case OPTIONAL -> "default unset";
                            case REQUIRED -> "required";
                        });
                if (key.validator() != null) {
                    head.append(", ").append(key.validator().describe());
                }
                sb.append(wrap(head.append(')').toString(), "  ", "      "));
                sb.append(wrap(key.doc(), "      ", "      "));
            }
        }
        return sb.toString();
    }

    /**
     * The reference of every key as Markdown, one table per section (key, type, default, accepted values, what it
     * does): docs/CONFIG.md, generated from the declarations so it cannot drift from them.
     */
    public String markdown() {
        StringBuilder sb = new StringBuilder("# Configuration reference\n\n")
                .append("Every key a training config (`bin/sparkprop train CONFIG`) may set, section by section, as")
                .append(" `bin/sparkprop train --help`\nprints it. Generated from the key declarations in")
                .append(" `spark-job/.../job/config/*Section.java`; do not edit:\n")
                .append("`ConfigReferenceTest` fails when this file differs from them and says how to regenerate it.")
                .append("\n");
        for (Section section : sections) {
            sb.append("\n## ").append(section.title()).append("\n\n")
                    .append("| key | type | default | accepted | what it does |\n|---|---|---|---|---|\n");
            for (Key<?> key : section.keys()) {
                String presence = switch (key.presence()) {
                    case DEFAULTED -> "`" + key.defaultValue() + "`";
                    case OPTIONAL -> "unset";
                    case REQUIRED -> "required";
                };
                sb.append("| `").append(key.name()).append("` | ").append(key.type().name().toLowerCase(Locale.ROOT))
                        .append(" | ").append(cell(presence)).append(" | ")
                        .append(key.validator() == null ? "any" : cell(key.validator().describe())).append(" | ")
                        .append(cell(key.doc())).append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** {@code text} in lines of at most {@link #HELP_WIDTH}, broken at spaces, each ending in a newline. */
    public static String wrap(String text, String firstIndent, String indent) {
        StringBuilder sb = new StringBuilder();
        String prefix = firstIndent;
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && prefix.length() + line.length() + 1 + word.length() > HELP_WIDTH) {
                sb.append(prefix).append(line).append('\n');
                prefix = indent;
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        return sb.append(prefix).append(line).append('\n').toString();
    }

    // ---- validators ----

    /** Numbers in [min, max] (either bound may be null). */
    public static Validator range(Number min, Number max) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                double v = ((Number) value).doubleValue();
                if (Double.isNaN(v) || (min != null && v < min.doubleValue())) {
                    throw ConfigException.invalid(key, value, "must be at least " + min);
                }
                if (max != null && v > max.doubleValue()) {
                    throw ConfigException.invalid(key, value, "must be at most " + max);
                }
            }

            @Override
            public String describe() {
                return "[" + (min == null ? "..." : min) + "," + (max == null ? "..." : max) + "]";
            }
        };
    }

    /** Numbers strictly greater than {@code bound} and finite. */
    public static Validator greaterThan(double bound) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                double v = ((Number) value).doubleValue();
                if (!(v > bound) || Double.isInfinite(v)) {
                    throw ConfigException.invalid(key, value, "must be a finite number greater than " + bound);
                }
            }

            @Override
            public String describe() {
                return "> " + bound;
            }
        };
    }

    /** Strings from a fixed list. */
    public static Validator oneOf(List<String> allowed) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (!allowed.contains(value)) {
                    throw ConfigException.invalid(key, value, "must be one of " + String.join(", ", allowed));
                }
            }

            @Override
            public String describe() {
                return "one of " + String.join(", ", allowed);
            }
        };
    }

    /** Non-blank strings. */
    /**
     * A folder or file: a local path or any Hadoop URI, non-empty. A URI may not carry a fragment ({@code #}) or a
     * query ({@code ?}): Hadoop's paths drop them, so the run would write elsewhere than where its lock and its
     * messages say.
     */
    public static Validator location() {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                String text = value.toString();
                nonBlank().ensureValid(key, value);
                if (text.chars().anyMatch(Character::isISOControl)) {
                    throw ConfigException.invalid(key, text.replaceAll("\\p{Cntrl}", "?"), "a line break or other"
                            + " control character (shown as ?) cannot be part of a folder or file name here");
                }
                boolean uri = text.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
                if (uri && (text.contains("#") || text.contains("?"))) {
                    throw ConfigException.invalid(key, text, "a URI's " + (text.contains("#") ? "#fragment"
                            : "?query") + " is not part of its path (Hadoop drops it, and the files would go"
                            + " elsewhere than the run says); percent-encode the character (%23 for #, %3F for ?)"
                            + " or give a plain local path");
                }
            }

            @Override
            public String describe() {
                return "non-empty";
            }
        };
    }

    public static Validator nonBlank() {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                if (value.toString().isBlank()) {
                    throw ConfigException.invalid(key, "\"\"", "must not be empty");
                }
            }

            @Override
            public String describe() {
                return "non-empty";
            }
        };
    }

    /** Strings that {@code parser} accepts; its IllegalArgumentException message says what is wrong. */
    public static Validator parsedBy(String description, java.util.function.Function<String, ?> parser) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                try {
                    parser.apply(value.toString());
                } catch (IllegalArgumentException e) {
                    throw ConfigException.invalid(key, value, e.getMessage());
                }
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
