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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
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

    @Test
    void aModelThisProjectWritesStillLoadsWithItsInputDescription() throws Exception {
        MultiLayerNetwork loaded = ModelStore.load(model);

        assertEquals(25_450, loaded.numParams());
        assertEquals("28x28x1", ModelStore.input(model).get("image_size").asText());
    }
}
