package org.sparkprop.model.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;

/**
 * Reads a layer list from its config form: a list of objects, each with a {@code type} and that type's keys, e.g.
 * <pre>
 * layers = [
 *   {type = conv, filters = 10, kernel = 3, activation = relu}
 *   {type = maxpool, size = 2}
 *   {type = flatten}
 *   {type = dense, units = 64}
 *   {type = output, loss = categorical-crossentropy}
 * ]
 * </pre>
 * Values arrive as parsed HOCON/JSON (maps, lists, strings, numbers, booleans). Every error names the offending
 * entry as {@code KEY[index]} and the allowed keys or values.
 */
public final class LayerListParser {
    private static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("dense", Set.of("units", "activation", "bias", "weight-init"));
        KEYS.put("conv", Set.of("filters", "kernel", "stride", "padding", "activation", "bias", "weight-init"));
        KEYS.put("maxpool", Set.of("size", "stride", "padding"));
        KEYS.put("avgpool", Set.of("size", "stride", "padding"));
        KEYS.put("globalavgpool", Set.of());
        KEYS.put("flatten", Set.of());
        KEYS.put("dropout", Set.of("rate"));
        KEYS.put("batchnorm", Set.of());
        KEYS.put("activation", Set.of("function"));
        KEYS.put("output", Set.of("activation", "loss", "weight-init"));
        KEYS.put("residual", Set.of("filters", "stride", "bottleneck"));
    }

    private LayerListParser() {
    }

    /**
     * @param key where the list came from, for messages (e.g. {@code model.layers})
     * @throws IllegalArgumentException naming {@code key[index]} and what is allowed
     */
    public static List<LayerSpec> parse(String key, Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(key + " must be a non-empty list of layers, e.g. [{type = dense,"
                    + " units = 64}, {type = output}]");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(at + " must be an object such as {type = dense, units = 64}, got "
                        + list.get(i));
            }
            try {
                layers.add(parseOne(new Entry(at, map)));
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(at) ? e : new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        return layers;
    }

    private static LayerSpec parseOne(Entry e) {
        String type = e.string("type", null);
        if (type == null) {
            throw new IllegalArgumentException(e.at + " has no type; allowed types: " + String.join(", ", LayerSpec.TYPES));
        }
        type = type.toLowerCase(Locale.ROOT);
        Set<String> allowed = KEYS.get(type);
        if (allowed == null) {
            throw new IllegalArgumentException(e.at + ": unknown layer type '" + type + "'; allowed types: "
                    + String.join(", ", LayerSpec.TYPES));
        }
        for (Object k : e.map.keySet()) {
            if (!k.equals("type") && !allowed.contains(k)) {
                throw new IllegalArgumentException(e.at + ": unknown key '" + k + "' for a " + type + " layer; allowed: "
                        + (allowed.isEmpty() ? "none besides type" : String.join(", ", allowed.stream().sorted().toList())));
            }
        }
        return switch (type) {
            case "dense" -> new LayerSpec.Dense(e.integer("units", -1), e.string("activation", "relu"),
                    e.bool("bias", true), e.weightInit());
            case "conv" -> new LayerSpec.Conv(e.integer("filters", -1), e.integer("kernel", -1),
                    e.integer("stride", 1), e.string("padding", "valid"), e.string("activation", "relu"),
                    e.bool("bias", true), e.weightInit());
            case "maxpool", "avgpool" -> {
                int size = e.integer("size", 2);
                yield new LayerSpec.Pool(type.substring(0, 3), size, e.integer("stride", size),
                        e.string("padding", "valid"));
            }
            case "globalavgpool" -> new LayerSpec.GlobalAvgPool();
            case "flatten" -> new LayerSpec.Flatten();
            case "dropout" -> new LayerSpec.Dropout(e.number("rate", -1));
            case "batchnorm" -> new LayerSpec.BatchNorm();
            case "activation" -> new LayerSpec.Activation(e.string("function", null));
            case "output" -> new LayerSpec.Output(e.string("activation", null),
                    Loss.parse(e.string("loss", Loss.CATEGORICAL_CROSSENTROPY.id())), e.weightInit());
            case "residual" -> new LayerSpec.Residual(e.integer("filters", -1), e.integer("stride", 1),
                    e.bool("bottleneck", false));
            default -> throw new IllegalStateException(type);
        };
    }

    /** One list entry with typed getters that name the entry and key in their errors. */
    private record Entry(String at, Map<?, ?> map) {
        String string(String k, String dflt) {
            Object v = map.get(k);
            if (v == null) {
                if (dflt == null && !k.equals("type") && !k.equals("activation")) {
                    throw new IllegalArgumentException(at + " needs " + k);
                }
                return dflt;
            }
            if (v instanceof Map || v instanceof List) {
                throw new IllegalArgumentException(at + "." + k + " must be a single value, got " + v);
            }
            return v.toString();
        }

        int integer(String k, int dflt) {
            Object v = map.get(k);
            if (v == null) {
                if (dflt < 0) {
                    throw new IllegalArgumentException(at + " needs " + k + " (a positive integer)");
                }
                return dflt;
            }
            if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                return n.intValue();
            }
            throw new IllegalArgumentException(at + "." + k + " must be an integer, got " + v);
        }

        double number(String k, double dflt) {
            Object v = map.get(k);
            if (v == null) {
                if (dflt < 0) {
                    throw new IllegalArgumentException(at + " needs " + k + " (a number)");
                }
                return dflt;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalArgumentException(at + "." + k + " must be a number, got " + v);
        }

        boolean bool(String k, boolean dflt) {
            Object v = map.get(k);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException(at + "." + k + " must be true or false, got " + v);
        }

        WeightInitSpec weightInit() {
            String w = string("weight-init", "");
            return w.isEmpty() ? null : new WeightInitSpec(w, 0.01);
        }
    }
}
