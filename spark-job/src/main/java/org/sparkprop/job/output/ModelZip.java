package org.sparkprop.job.output;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The one gate through which this program reads a DL4J model zip (model.zip, a checkpoint, a pretrained
 * {@code transfer.source}). DL4J's {@code ModelSerializer} reads {@code preprocessor.bin} and {@code objects/*} with
 * plain Java deserialization and resolves the {@code @class} names of {@code configuration.json}; a crafted zip could
 * make either run code. And a zip has two views of its entries: the central directory (what {@link ZipFile} reads)
 * and the local headers (what DL4J's {@link ZipInputStream} walks, keeping the last entry of each name). So DL4J
 * never opens the user's file. This class reads every entry once, through the local headers as DL4J would, and
 * <ul>
 *   <li>refuses a zip whose two views differ (an entry only one of them has, a name twice), a name DL4J's zips do
 *       not hold, an HDF5 (Keras) file or anything else that is not a zip;</li>
 *   <li>caps every entry's size ({@link #MAX_JSON_BYTES} for the configuration and the objects,
 *       {@link #MAX_ARRAY_BYTES} for parameter and updater arrays) and the total, counting the bytes actually
 *       inflated: DL4J holds the whole model in memory while reading it, so the total is capped at half this JVM's
 *       heap;</li>
 *   <li>reads every Java-serialized entry through an {@link ObjectInputFilter} that admits only
 *       {@code java.lang.String}, the one class sparkprop's own zips serialize (the run's input description and
 *       checkpoint state are JSON strings): any other class is refused before it is loaded, so its
 *       {@code readObject} never runs;</li>
 *   <li>parses configuration.json refusing repeated keys (DL4J's reader takes the first {@code @class} of an
 *       object, a tree the last) and admits {@code @class} names only under {@code org.deeplearning4j.},
 *       {@code org.nd4j.} and {@code org.sparkprop.}.</li>
 * </ul>
 * The entries that passed are written to a canonical copy (a temporary file, one entry per name, both views equal),
 * and DL4J restores from that copy only; {@code normalizer.bin}, which DL4J's network restore never reads, is left
 * out of it.
 */
public final class ModelZip {
    /** Largest configuration.json and Java-serialized entry: 64 MiB (ours are a few KiB). */
    public static final long MAX_JSON_BYTES = 64L << 20;
    /** Largest parameter or updater-state entry: DL4J reads each into one byte array. */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    private static final List<String> ALLOWED_CLASS_PREFIXES = List.of("org.deeplearning4j.", "org.nd4j.",
            "org.sparkprop.");
    /** The entries DL4J's ModelSerializer writes; {@code objects/KEY} besides. */
    private static final Set<String> KNOWN_ENTRIES = Set.of(ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.UPDATER_BIN, ModelSerializer.NO_PARAMS_MARKER,
            ModelSerializer.PREPROCESSOR_BIN, ModelSerializer.NORMALIZER_BIN);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ModelZip() {
    }

    /**
     * A zip that passed {@link #check}: its configuration and its string objects, read once, and DL4J's restore
     * from the canonical copy of its checked entries. Restoring deletes the copy; so does {@link #close}. One from
     * {@link #inspect} has no copy ({@code copy} null) and cannot be restored.
     *
     * @param configuration configuration.json, or null when the zip has none
     * @param objects       the strings stored with DL4J's {@code addObjectToFile}, by key
     * @param entries       the entries of the canonical copy, in order
     */
    public record Checked(Path copy, String configuration, Map<String, String> objects, List<String> entries)
            implements AutoCloseable {
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
            requireCopy();
            try {
                return ModelSerializer.restoreMultiLayerNetwork(copy.toFile(), loadUpdater);
            } finally {
                close();
            }
        }

        public ComputationGraph restoreComputationGraph(boolean loadUpdater) throws IOException {
            requireCopy();
            try {
                return ModelSerializer.restoreComputationGraph(copy.toFile(), loadUpdater);
            } finally {
                close();
            }
        }

        private void requireCopy() {
            if (copy == null) {
                throw new IllegalStateException("an inspected zip has no copy to restore from: use ModelZip.check");
            }
        }

        /** Deletes the canonical copy. */
        @Override
        public void close() throws IOException {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /**
     * Checks {@code zip} as described above, with the total capped at half this JVM's heap.
     *
     * @param name how messages name the file (its URI)
     * @throws UnsafeModelFileException for what could run code or exhaust memory, or two views that differ
     * @throws IOException              when the file cannot be read, or is not a zip
     */
    public static Checked check(File zip, String name) throws IOException {
        return check(zip, name, Runtime.getRuntime().maxMemory() / 2);
    }

    /**
     * The same checks, for reading the configuration and the objects only (a stored input description): no copy is
     * written, so the result cannot be restored.
     */
    public static Checked inspect(File zip, String name) throws IOException {
        return check(zip, name, Runtime.getRuntime().maxMemory() / 2, false);
    }

    /** As {@link #check(File, String)}, with every entry's inflated bytes together at most {@code maxTotalBytes}. */
    static Checked check(File zip, String name, long maxTotalBytes) throws IOException {
        return check(zip, name, maxTotalBytes, true);
    }

    private static Checked check(File zip, String name, long maxTotalBytes, boolean restorable) throws IOException {
        checkMagic(zip, name);
        List<String> central = centralDirectory(zip, name);
        Path copy = restorable ? Files.createTempFile("sparkprop-model-", ".zip") : null;
        try {
            Checked checked = copyChecked(zip, name, new HashSet<>(central), maxTotalBytes, copy);
            Set<String> missing = new LinkedHashSet<>(central);
            missing.removeAll(checked.entries());
            missing.remove(ModelSerializer.NORMALIZER_BIN);
            if (!missing.isEmpty()) {
                throw new UnsafeModelFileException(name, "its central directory lists " + missing + ", which it"
                        + " holds no entry for (the two views of a zip must agree)");
            }
            return checked;
        } catch (IOException | RuntimeException e) {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
            throw e;
        }
    }

    private static void checkMagic(File zip, String name) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(zip.toPath())) {
            head = in.readNBytes(HDF5_MAGIC.length);
        }
        if (Arrays.equals(head, HDF5_MAGIC)) {
            throw new UnsafeModelFileException(name, "it is an HDF5 (Keras) file, not a DL4J zip; name it .h5 to"
                    + " import it as a Keras model");
        }
        if (head.length < ZIP_MAGIC.length || !Arrays.equals(Arrays.copyOf(head, ZIP_MAGIC.length), ZIP_MAGIC)) {
            throw new java.util.zip.ZipException(name + " is not a zip (it does not start with a zip entry)");
        }
    }

    /** Every name of the central directory, refusing one listed twice. */
    private static List<String> centralDirectory(File zip, String name) throws IOException {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (ZipFile file = new ZipFile(zip)) {
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (!seen.add(entry)) {
                    throw new UnsafeModelFileException(name, "its central directory lists " + entry + " twice");
                }
                names.add(entry);
            }
        }
        return names;
    }

    /**
     * Walks the local entries as DL4J does, checking each, and writes the ones DL4J reads to {@code copy} (to nowhere
     * when it is null).
     */
    private static Checked copyChecked(File zip, String name, Set<String> central, long maxTotalBytes, Path copy)
            throws IOException {
        String configuration = null;
        Map<String, String> objects = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(zip.toPath()),
                1 << 16));
             ZipOutputStream out = new ZipOutputStream(copy != null ? Files.newOutputStream(copy)
                     : OutputStream.nullOutputStream())) {
            out.setLevel(Deflater.NO_COMPRESSION); // read back at once; compressing would only cost time
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String entryName = entry.getName();
                checkName(entryName, name, central, seen);
                boolean serialized = entryName.equals(ModelSerializer.PREPROCESSOR_BIN)
                        || entryName.startsWith("objects/");
                boolean json = serialized || entryName.equals(ModelSerializer.CONFIGURATION_JSON);
                long limit = Math.min(json ? MAX_JSON_BYTES : MAX_ARRAY_BYTES, maxTotalBytes - total);
                boolean dropped = entryName.equals(ModelSerializer.NORMALIZER_BIN);
                OutputStream target = dropped ? OutputStream.nullOutputStream() : out;
                if (!dropped) {
                    out.putNextEntry(new ZipEntry(entryName));
                    entries.add(entryName);
                }
                if (json) {
                    byte[] bytes = readCapped(in, entryName, limit, name, total, maxTotalBytes);
                    total += bytes.length;
                    if (serialized) {
                        String value = deserializeString(bytes, name, entryName);
                        if (entryName.startsWith("objects/")) {
                            objects.put(entryName.substring("objects/".length()), value);
                        }
                    } else {
                        checkClassNames(bytes, name);
                        configuration = new String(bytes, StandardCharsets.UTF_8);
                    }
                    target.write(bytes);
                } else {
                    total += copyCapped(in, target, entryName, limit, name, total, maxTotalBytes);
                }
                if (!dropped) {
                    out.closeEntry();
                }
            }
        }
        return new Checked(copy, configuration, Collections.unmodifiableMap(objects), List.copyOf(entries));
    }

    private static void checkName(String entry, String name, Set<String> central, Set<String> seen) {
        if (!KNOWN_ENTRIES.contains(entry) && !(entry.startsWith("objects/") && entry.length() > 8)) {
            throw new UnsafeModelFileException(name, "it holds an entry " + entry + ", which DL4J's model zips do"
                    + " not have");
        }
        if (!seen.add(entry)) {
            throw new UnsafeModelFileException(name, "it holds two entries named " + entry + " (DL4J would read the"
                    + " last one)");
        }
        if (!central.contains(entry)) {
            throw new UnsafeModelFileException(name, "its entry " + entry + " is missing from its central directory"
                    + " (the two views of a zip must agree: DL4J reads the entries, a zip tool lists the directory)");
        }
    }

    private static byte[] readCapped(InputStream in, String entry, long limit, String name, long total,
                                     long maxTotal) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        copyCapped(in, bytes, entry, limit, name, total, maxTotal);
        return bytes.toByteArray();
    }

    /** Copies one entry, counting what inflates: over {@code limit} is refused before the rest is read. */
    private static long copyCapped(InputStream in, OutputStream out, String entry, long limit, String name,
                                   long total, long maxTotal) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            copied += n;
            if (copied > limit) {
                throw total + copied > maxTotal ? totalTooLarge(name, maxTotal) : tooLarge(name, entry, copied, limit);
            }
            out.write(buffer, 0, n);
        }
        return copied;
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
            throw new UnsafeModelFileException(name, "its configuration.json is not JSON without repeated keys ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
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

    private static UnsafeModelFileException totalTooLarge(String name, long maxTotal) {
        return new UnsafeModelFileException(name, "its entries inflate to over " + maxTotal + " bytes (half of"
                + " this JVM's heap: DL4J holds a whole model in memory while reading it); give the driver more"
                + " memory (spark.driver.memory, or -Xmx) if the model is genuine");
    }
}
