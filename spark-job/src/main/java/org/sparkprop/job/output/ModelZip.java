package org.sparkprop.job.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The one gate through which this program reads a DL4J model zip (model.zip, a checkpoint, a pretrained
 * {@code transfer.source}). DL4J's {@code ModelSerializer} reads {@code preprocessor.bin} and {@code objects/*} with
 * plain Java deserialization and resolves the {@code @class} names of {@code configuration.json}; a crafted zip could
 * make either run code. Before DL4J sees the file, this class
 * <ul>
 *   <li>caps every entry's size ({@link #MAX_JSON_BYTES} for the configuration and the objects,
 *       {@link #MAX_ARRAY_BYTES} for parameter and updater arrays), counting the bytes actually inflated;</li>
 *   <li>reads every Java-serialized entry through an {@link ObjectInputFilter} that admits only
 *       {@code java.lang.String}, the one class sparkprop's own zips serialize (the run's input description and
 *       checkpoint state are JSON strings): any other class is refused before it is loaded, so its
 *       {@code readObject} never runs;</li>
 *   <li>admits {@code @class} names in the configuration only under {@code org.deeplearning4j.}, {@code org.nd4j.}
 *       and {@code org.sparkprop.}.</li>
 * </ul>
 * The checked file must not change before DL4J reads it: callers pass a local copy of remote files.
 */
public final class ModelZip {
    /** Largest configuration.json and Java-serialized entry: 64 MiB (ours are a few KiB). */
    public static final long MAX_JSON_BYTES = 64L << 20;
    /** Largest parameter or updater-state entry: 16 GiB, a network of 4 billion float parameters. */
    public static final long MAX_ARRAY_BYTES = 16L << 30;
    private static final List<String> ALLOWED_CLASS_PREFIXES = List.of("org.deeplearning4j.", "org.nd4j.",
            "org.sparkprop.");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelZip() {
    }

    /**
     * A zip that passed {@link #check}: its configuration and its string objects, read once, and DL4J's restore.
     *
     * @param configuration configuration.json, or null when the zip has none
     * @param objects       the strings stored with DL4J's {@code addObjectToFile}, by key
     */
    public record Checked(File file, String configuration, Map<String, String> objects) {
        /** Whether the zip holds a ComputationGraph (its configuration has vertices). */
        public boolean isGraph() {
            return configuration != null && configuration.contains("\"vertices\"");
        }

        /** The string stored as object {@code key}, or null. */
        public String object(String key) {
            return objects.get(key);
        }

        /** Whichever network the zip holds. */
        public NeuralNetwork restore(boolean loadUpdater) throws IOException {
            return isGraph() ? restoreComputationGraph(loadUpdater) : restoreMultiLayerNetwork(loadUpdater);
        }

        public MultiLayerNetwork restoreMultiLayerNetwork(boolean loadUpdater) throws IOException {
            return ModelSerializer.restoreMultiLayerNetwork(file, loadUpdater);
        }

        public ComputationGraph restoreComputationGraph(boolean loadUpdater) throws IOException {
            return ModelSerializer.restoreComputationGraph(file, loadUpdater);
        }
    }

    /**
     * Checks {@code zip} as described above, reading each entry DL4J would deserialize once.
     *
     * @param name how messages name the file (its URI)
     * @throws UnsafeModelFileException for what could run code or exhaust memory
     * @throws IOException              when the file cannot be read, or is not a zip
     */
    public static Checked check(File zip, String name) throws IOException {
        String configuration = null;
        Map<String, String> objects = new LinkedHashMap<>();
        try (ZipFile file = new ZipFile(zip)) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String entryName = entry.getName();
                boolean serialized = entryName.equals("preprocessor.bin") || entryName.startsWith("objects/");
                boolean json = serialized || entryName.equals("configuration.json");
                long limit = json ? MAX_JSON_BYTES : MAX_ARRAY_BYTES;
                if (entry.getSize() > limit) {
                    throw tooLarge(name, entryName, entry.getSize(), limit);
                }
                if (!json) {
                    continue;
                }
                byte[] bytes = read(file, entry, limit, name);
                if (serialized) {
                    String value = deserializeString(bytes, name, entryName);
                    if (entryName.startsWith("objects/")) {
                        objects.put(entryName.substring("objects/".length()), value);
                    }
                } else {
                    checkClassNames(bytes, name);
                    configuration = new String(bytes, StandardCharsets.UTF_8);
                }
            }
        }
        return new Checked(zip, configuration, Collections.unmodifiableMap(objects));
    }

    private static byte[] read(ZipFile file, ZipEntry entry, long limit, String name) throws IOException {
        try (InputStream in = file.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) { // the central directory may understate what inflates
                throw tooLarge(name, entry.getName(), bytes.length, limit);
            }
            return bytes;
        }
    }

    private static String deserializeString(byte[] bytes, String name, String entry) throws IOException {
        List<String> refused = new ArrayList<>();
        ObjectInputFilter onlyStrings = info -> {
            Class<?> type = info.serialClass();
            if (type == null || type == String.class) {
                return info.depth() > 2 ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
            }
            refused.add(type.getName());
            return ObjectInputFilter.Status.REJECTED;
        };
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(onlyStrings);
            Object value = in.readObject();
            if (value instanceof String text) {
                return text;
            }
            throw new UnsafeModelFileException(name, "its entry " + entry + " holds a "
                    + (value == null ? "null" : value.getClass().getName()) + ", where sparkprop stores a string");
        } catch (InvalidClassException | ClassNotFoundException e) {
            throw new UnsafeModelFileException(name, "its entry " + entry + " holds a Java-serialized "
                    + (refused.isEmpty() ? "object (" + e.getMessage() + ")" : refused.get(0))
                    + ", and sparkprop models serialize no class but strings (deserializing it could run its code)");
        }
    }

    private static void checkClassNames(byte[] configuration, String name) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(configuration);
        } catch (IOException e) {
            throw new UnsafeModelFileException(name, "its configuration.json is not JSON (" + e.getMessage() + ")");
        }
        List<JsonNode> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            JsonNode node = stack.remove(stack.size() - 1);
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getKey().equals("@class") && !allowedClass(field.getValue().asText())) {
                        throw new UnsafeModelFileException(name, "its configuration.json names the class "
                                + field.getValue().asText() + ", outside DL4J, ND4J and sparkprop ("
                                + String.join(", ", ALLOWED_CLASS_PREFIXES) + "); DL4J would load it");
                    }
                    stack.add(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(stack::add);
            }
        }
    }

    private static boolean allowedClass(String className) {
        return ALLOWED_CLASS_PREFIXES.stream().anyMatch(className::startsWith);
    }

    private static UnsafeModelFileException tooLarge(String name, String entry, long size, long limit) {
        return new UnsafeModelFileException(name, "its entry " + entry + " is " + (size > limit ? "over " : "")
                + limit + " bytes (" + (entry.equals("configuration.json") || entry.startsWith("objects/")
                || entry.equals("preprocessor.bin") ? "the limit for configuration and objects"
                : "the limit for parameter arrays") + ")");
    }
}
