package org.sparkprop.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.zoo.ModelOptions;

/** Model zips are checked before DL4J deserializes anything of them. */
class ModelZipTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static Path model;

    /** A class whose deserialization has a side effect, as a gadget chain's first link would. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    @BeforeAll
    static void writeAModelAsTheTrainerDoes() throws IOException {
        MultiLayerNetwork network = NetworkBuilder.build(ModelCatalog.spec("seed-mlp", ModelOptions.NONE),
                new InputShape(28, 28, 1), 10, Hyperparameters.defaults(1)).newMultiLayerNetwork();
        model = shared.resolve("model.zip");
        ModelStore.save(network, model, Map.of("image_size", "28x28x1"));
    }

    /** A copy of the model with {@code name} added (or replaced) holding {@code content}. */
    private Path withEntry(String name, byte[] content) throws IOException {
        Path out = dir.resolve("crafted.zip");
        try (ZipFile in = new ZipFile(model.toFile());
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.getName().equals(name)) {
                    zip.putNextEntry(new ZipEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(zip);
                }
            }
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
        }
        return out;
    }

    private static byte[] serialized(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    @Test
    void aPreprocessorHoldingAForeignClassIsRefusedAndItsCodeNeverRuns() throws Exception {
        Path crafted = withEntry("preprocessor.bin", serialized(new Gadget()));
        Gadget.ran = false;

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertFalse(Gadget.ran, "the gadget's readObject ran");
        assertEquals("Refusing to read " + crafted + ": its entry preprocessor.bin holds a Java-serialized "
                + Gadget.class.getName() + ", and sparkprop models serialize no class but strings (deserializing it"
                + " could run its code). Only load model files written by sparkprop or DL4J's ModelSerializer from a"
                + " source you trust; see SECURITY.md.", e.getMessage());
    }

    @Test
    void anObjectEntryHoldingAForeignClassIsRefusedWhereverTheZipIsRead() throws Exception {
        Path crafted = withEntry("objects/" + ModelStore.INPUT_ENTRY, serialized(new Gadget()));
        Gadget.ran = false;

        assertThrows(UnsafeModelFileException.class, () -> ModelStore.input(crafted));
        assertThrows(UnsafeModelFileException.class, () -> ModelStore.loadAny(crafted));
        Path checkpoints = Files.createDirectories(dir.resolve("ckpt"));
        Files.copy(crafted, checkpoints.resolve("checkpoint-00002-00000000.zip"));
        CheckpointStore store = new CheckpointStore(checkpoints.toString(), 2,
                new org.apache.hadoop.conf.Configuration());
        assertThrows(UnsafeModelFileException.class, () -> store.read(store.list().get(0)));
        assertFalse(Gadget.ran, "the gadget's readObject ran");
    }

    @Test
    void aConfigurationNamingAClassOutsideDl4jIsRefused() throws Exception {
        String configuration;
        try (ZipFile zip = new ZipFile(model.toFile())) {
            configuration = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes());
        }
        Path crafted = withEntry("configuration.json", configuration.replaceFirst(
                "org\\.nd4j\\.linalg\\.activations\\.impl\\.ActivationReLU", "javax.script.ScriptEngineManager")
                .getBytes());

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertTrue(e.getMessage().startsWith("Refusing to read " + crafted + ": its configuration.json names the"
                + " class javax.script.ScriptEngineManager, outside DL4J, ND4J and sparkprop"), e.getMessage());
    }

    @Test
    void anEntryOverItsLimitIsRefusedBeforeItIsRead() throws Exception {
        Path crafted = dir.resolve("big.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(crafted))) {
            zip.putNextEntry(new ZipEntry("configuration.json"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            OutputStream out = zip;
            for (long written = 0; written <= ModelZip.MAX_JSON_BYTES; written += spaces.length) {
                out.write(spaces);
            }
        }
        assertTrue(Files.size(crafted) < 1 << 20, "a zip bomb: small on disk");

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertTrue(e.getMessage().startsWith("Refusing to read " + crafted + ": its entry configuration.json is over "
                + ModelZip.MAX_JSON_BYTES + " bytes (the limit for configuration and objects)"), e.getMessage());
    }

    /** The local entry (header, data, descriptor) of a one-entry zip, as a crafted zip would prepend it. */
    private static byte[] localEntry(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
        }
        byte[] all = bytes.toByteArray();
        int centralDirectory = java.nio.ByteBuffer.wrap(all, all.length - 6, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(); // the end record's last field but the comment
        return java.util.Arrays.copyOf(all, centralDirectory);
    }

    /** The model with a local entry in front that its central directory does not list: a zip tool does not see it. */
    private Path withHiddenEntry(String name, byte[] content) throws IOException {
        Path out = dir.resolve("hidden.zip");
        Files.write(out, localEntry(name, content));
        Files.write(out, Files.readAllBytes(model), java.nio.file.StandardOpenOption.APPEND);
        return out;
    }

    @Test
    void anEntryOnlyDl4jWouldSeeIsRefusedAndNeverDeserialized() throws Exception {
        Path crafted = withHiddenEntry("preprocessor.bin", serialized(new java.util.HashMap<String, String>()));
        try (ZipFile zip = new ZipFile(crafted.toFile())) {
            assertEquals(null, zip.getEntry("preprocessor.bin"), "what a zip tool (and the old gate) lists");
        }

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertEquals("Refusing to read " + crafted + ": its entry preprocessor.bin is missing from its central"
                + " directory (the two views of a zip must agree: DL4J reads the entries, a zip tool lists the"
                + " directory). Only load model files written by sparkprop or DL4J's ModelSerializer from a source"
                + " you trust; see SECURITY.md.", e.getMessage());
    }

    @Test
    void anEntryNamedTwiceIsRefusedBecauseDl4jWouldReadTheLastOne() throws Exception {
        Path crafted = withHiddenEntry("configuration.json", "{}".getBytes(StandardCharsets.UTF_8));

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertTrue(e.getMessage().startsWith("Refusing to read " + crafted + ": it holds two entries named"
                + " configuration.json (DL4J would read the last one)."), e.getMessage());
    }

    @Test
    void anEntryDl4jsZipsDoNotHaveIsRefused() throws Exception {
        Path crafted = withEntry("updater.bin", serialized("legacy updaters were Java-serialized"));

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertTrue(e.getMessage().startsWith("Refusing to read " + crafted + ": it holds an entry updater.bin,"
                + " which DL4J's model zips do not have."), e.getMessage());
    }

    @Test
    void aConfigurationRepeatingAKeyIsRefusedForDl4jReadsTheFirstAndATreeTheLast() throws Exception {
        String configuration;
        try (ZipFile zip = new ZipFile(model.toFile())) {
            configuration = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
        }
        Path crafted = withEntry("configuration.json", configuration.replaceFirst("\"@class\" : \"",
                "\"@class\" : \"java.net.URL\", \"@class\" : \"").getBytes(StandardCharsets.UTF_8));

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertTrue(e.getMessage().startsWith("Refusing to read " + crafted + ": its configuration.json is not JSON"
                + " without repeated keys (Duplicate field '@class')"), e.getMessage());
    }

    @Test
    void entriesInflatingPastTheTotalCapAreRefusedWhileInflating() throws Exception {
        Path crafted = dir.resolve("bomb.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(crafted))) {
            for (String name : List.of("coefficients.bin", "updaterState.bin")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(new byte[3 << 20]);
            }
        }
        assertTrue(Files.size(crafted) < 100_000, "small on disk: " + Files.size(crafted));

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class,
                () -> ModelZip.check(crafted.toFile(), "bomb.zip", 5 << 20));

        assertEquals("Refusing to read bomb.zip: its entries inflate to over 5242880 bytes (half of this JVM's"
                + " heap: DL4J holds a whole model in memory while reading it); give the driver more memory"
                + " (spark.driver.memory, or -Xmx) if the model is genuine. Only load model files written by sparkprop"
                + " or DL4J's ModelSerializer from a source you trust; see SECURITY.md.", e.getMessage());
    }

    @Test
    void anHdf5FileNamedZipIsRefusedBeforeAnyParserSeesIt() throws Exception {
        Path crafted = dir.resolve("keras.zip");
        Files.write(crafted, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0});

        UnsafeModelFileException e = assertThrows(UnsafeModelFileException.class, () -> ModelStore.load(crafted));

        assertTrue(e.getMessage().startsWith("Refusing to read " + crafted + ": it is an HDF5 (Keras) file, not a"
                + " DL4J zip; name it .h5 to import it as a Keras model."), e.getMessage());
    }

    @Test
    void dl4jRestoresFromACanonicalCopyHoldingExactlyTheEntriesTheGateRead() throws Exception {
        List<String> local = new java.util.ArrayList<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(model))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                local.add(e.getName());
            }
        }
        ModelZip.Checked checked = ModelZip.check(model.toFile(), model.toString());
        List<String> copy = new java.util.ArrayList<>();
        try (ZipFile zip = new ZipFile(checked.copy().toFile())) {
            zip.stream().forEach(e -> copy.add(e.getName()));
        }

        assertEquals(local, checked.entries());
        assertEquals(local, copy);
        assertEquals(25_450, checked.restoreMultiLayerNetwork(true).numParams());
        assertFalse(Files.exists(checked.copy()), "the copy is deleted once restored");
    }

    @Test
    void aModelThisProjectWritesStillLoadsWithItsInputDescription() throws Exception {
        MultiLayerNetwork loaded = ModelStore.load(model);

        assertEquals(25_450, loaded.numParams());
        assertEquals("28x28x1", ModelStore.input(model).get("image_size").asText());
    }
}
