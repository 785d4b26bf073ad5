package org.sparkprop.data.augment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Reads an augmentation list from config: {@code [{type = rotate, probability = 0.5, range = 10}, ...]}. Types and
 * the meaning and default of {@code range}:
 * <ul>
 *   <li>{@code translate}: largest shift as a fraction of width/height (0.1)</li>
 *   <li>{@code rotate}: largest angle in degrees (15)</li>
 *   <li>{@code mirror}: left-right flip, no range</li>
 *   <li>{@code scale}: largest relative zoom in or out (0.1)</li>
 *   <li>{@code crop}: largest fraction cut off each side's length (0.2)</li>
 *   <li>{@code intensity}: largest relative brightness change (0.2)</li>
 *   <li>{@code color-jitter}: largest relative change of each channel (0.1)</li>
 *   <li>{@code noise}: Gaussian noise standard deviation as a fraction of the full scale (0.02)</li>
 * </ul>
 * {@code probability} defaults to 0.5. Errors name the entry ({@code data.augment[1].range}) and what is allowed.
 */
public final class AugmentationParser {
    private record Kind(double defaultRange, double maxRange, DoubleFunction<Augmentation> make) {
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("translate", new Kind(0.1, 0.5, Translate::new));
        KINDS.put("rotate", new Kind(15, 180, Rotate::new));
        KINDS.put("mirror", new Kind(0, 0, r -> new Mirror()));
        KINDS.put("scale", new Kind(0.1, 0.9, Scale::new));
        KINDS.put("crop", new Kind(0.2, 0.9, RandomCrop::new));
        KINDS.put("intensity", new Kind(0.2, 1, Intensity::new));
        KINDS.put("color-jitter", new Kind(0.1, 1, ColorJitter::new));
        KINDS.put("noise", new Kind(0.02, 1, GaussianNoise::new));
    }

    public static final List<String> TYPES = List.copyOf(KINDS.keySet());
    private static final Set<String> KEYS = Set.of("type", "probability", "range");

    private AugmentationParser() {
    }

    /**
     * @param key  the config key, for messages
     * @param list the parsed list (of maps); null means no augmentation
     * @throws IllegalArgumentException starting with {@code key[i]...}: what is wrong and what is allowed
     */
    public static AugmentationPipeline parse(String key, Object list) {
        if (list == null) {
            return AugmentationPipeline.none();
        }
        if (!(list instanceof List<?> entries)) {
            throw new IllegalArgumentException(key + " must be a list like [{type = rotate, probability = 0.5,"
                    + " range = 10}], got " + list);
        }
        List<AugmentationPipeline.Step> steps = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = key + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(at + " must be an object like {type = rotate, probability = 0.5,"
                        + " range = 10}, got " + entries.get(i));
            }
            for (Object k : entry.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) {
                    throw new IllegalArgumentException(at + "." + k + " is not a known setting; an augmentation has"
                            + " type, probability and range");
                }
            }
            Object type = entry.get("type");
            Kind kind = type == null ? null : KINDS.get(String.valueOf(type));
            if (kind == null) {
                throw new IllegalArgumentException(at + ".type " + (type == null ? "is missing" : "'" + type
                        + "' is unknown") + "; types: " + String.join(", ", TYPES));
            }
            double probability = number(at + ".probability", entry.get("probability"), 0.5, 0, 1);
            if (kind.maxRange() == 0 && entry.containsKey("range")) {
                throw new IllegalArgumentException(at + ".range: " + type + " takes no range");
            }
            double range = kind.maxRange() == 0 ? 0
                    : number(at + ".range", entry.get("range"), kind.defaultRange(), 0, kind.maxRange());
            steps.add(new AugmentationPipeline.Step((String) type, probability, kind.make().apply(range)));
        }
        return new AugmentationPipeline(steps);
    }

    private static double number(String at, Object value, double fallback, double min, double max) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
            throw new IllegalArgumentException(at + " = " + value + " must be a number in [" + min + ", " + max + "]");
        }
        return n.doubleValue();
    }
}
