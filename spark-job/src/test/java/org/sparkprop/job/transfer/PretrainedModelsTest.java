package org.sparkprop.job.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.job.config.TransferSection;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.zoo.ModelOptions;

/**
 * Reading pretrained networks: a Keras .h5 file (spark-job/src/test/resources/keras/tiny_cnn.h5, written by
 * make_tiny_cnn.py next to it with h5py in the layout Keras 2 saves, together with numpy's forward pass of it), and
 * the errors for sources that cannot be used.
 */
class PretrainedModelsTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws Exception {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/keras/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static String message(String source) {
        return assertThrows(PretrainedModelException.class,
                () -> PretrainedModels.load(source, new Configuration())).getMessage();
    }

    @Test
    void aKerasSequentialModelImportsAndOnChannelsFirstImagesGivesKerasOwnOutputs() throws Exception {
        MultiLayerNetwork net = PretrainedModels.load(resource("tiny_cnn.h5").toString(), new Configuration());
        TransferModels.adaptInput(net, new InputShape(8, 8, 1));
        JsonNode expected = new ObjectMapper().readTree(resource("tiny_cnn_expected.json").toFile());
        INDArray images = Nd4j.create(DataType.FLOAT, 2, 1, 8, 8);
        for (int n = 0; n < 2; n++) {
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    images.putScalar(new long[] {n, 0, r, c}, expected.get("inputs_hw").get(n).get(r).get(c).asDouble());
                }
            }
        }
        INDArray out = net.output(images, false);
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(expected.get("softmax").get(n).get(k).asDouble(), out.getDouble(n, k), 1e-5,
                        "example " + n + " class " + k);
            }
        }
    }

    @Test
    void aKerasModelTransfersByKerasLayerNameAndItsHeadTrains() throws Exception {
        String source = resource("tiny_cnn.h5").toString();
        TransferModel t = TransferModels.build(PretrainedModels.load(source, new Configuration()), source,
                new TransferModels.Settings(TransferSection.Mode.FEATURE_EXTRACTOR, "conv2d", 1, 0.001), new InputShape(8, 8, 1), 2,
                Hyperparameters.defaults(1));
        assertEquals(List.of("conv2d", "max_pooling2d", "features", "predictions"), t.layerNames());
        assertTrue(t.network().getLayer(0) instanceof FrozenLayer);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8), Nd4j.eye(2).repeat(0, 2));
        float[] conv = t.network().getLayer(0).params().dup().data().asFloat();
        INDArray dense = t.network().getLayer(2).params().dup();
        t.network().fit(batch);
        assertArrayEquals(conv, t.network().getLayer(0).params().dup().data().asFloat());
        assertTrue(!dense.equals(t.network().getLayer(2).params()), "the layers above the frozen conv2d train");
        assertEquals(2, t.network().output(batch.getFeatures()).size(1));
    }

    @Test
    void aMissingFileIsNamedAndNothingIsDownloaded() {
        String missing = dir.resolve("nope.zip").toString();
        assertEquals("Cannot use " + missing + " (transfer.source): no such file. Check transfer.source; pretrained"
                + " networks are never downloaded, copy the file there first.", message(missing));
    }

    @Test
    void aFileOfAnotherFormatADamagedZipAndAForeignZipAreRefusedWithWhatToDo() throws Exception {
        Path text = Files.writeString(dir.resolve("model.h5"), "not a model at all");
        assertEquals("Cannot use " + text + " (transfer.source): not a format this trainer reads (the file starts"
                + " with neither a zip nor an HDF5 signature). Give a DL4J model zip (ModelSerializer) or a Keras .h5"
                + " file saved with model.save(\"name.h5\").", message(text.toString()));

        Path foreign = dir.resolve("foreign.zip");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        org.sparkprop.job.output.UnsafeModelFileException e = assertThrows(
                org.sparkprop.job.output.UnsafeModelFileException.class,
                () -> PretrainedModels.load(foreign.toString(), new Configuration()));
        assertEquals("Refusing to read " + foreign + ": it holds an entry readme.txt, which DL4J's model zips do not"
                + " have. Only load model files written by sparkprop or DL4J's ModelSerializer from a source you"
                + " trust; see SECURITY.md.", e.getMessage());

        Path hdf5 = Files.write(dir.resolve("keras.zip"), new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a,
                '\n', 0, 0});
        assertEquals("Cannot use " + hdf5 + " (transfer.source): it is named .zip but holds an HDF5 (Keras) file."
                + " Rename it .h5 if it is a Keras model from a source you trust.", message(hdf5.toString()));

        Path whole = dir.resolve("whole.zip");
        MultiLayerNetwork net = NetworkBuilder.build(ModelCatalog.spec("seed-mlp", ModelOptions.NONE),
                new InputShape(28, 28, 1), 10, Hyperparameters.defaults(1)).newMultiLayerNetwork();
        ModelStore.save(net, whole);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(message(cut.toString()).startsWith("Cannot use " + cut + " (transfer.source): a damaged zip ("),
                message(cut.toString()));
        assertTrue(message(cut.toString()).endsWith("Copy the file again; a partial download or copy looks like this."));
    }

    @Test
    void aGraphIsRefusedNamingWhatToUseInstead() throws Exception {
        ComputationGraph graph = NetworkBuilder.build(ModelCatalog.spec("resnet18", ModelOptions.NONE),
                new InputShape(32, 32, 3), 10, Hyperparameters.defaults(1)).newComputationGraph();
        Path file = dir.resolve("graph.zip");
        ModelStore.save(graph, file);
        assertEquals("Cannot use " + file + " (transfer.source): it is a DL4J ComputationGraph (e.g. ResNet);"
                + " transfer learning here takes layer stacks (DL4J MultiLayerNetwork, Keras Sequential). Use a"
                + " layer-stack model, such as this trainer's lenet, lenet-bn, alexnet or vgg16 models.",
                message(file.toString()));
    }

    @Test
    void aFreezePointThatDoesNotExistIsAnsweredWithTheLayerNames() throws Exception {
        String source = resource("tiny_cnn.h5").toString();
        PretrainedModelException e = assertThrows(PretrainedModelException.class, () -> TransferModels.build(
                PretrainedModels.load(source, new Configuration()), source,
                new TransferModels.Settings(TransferSection.Mode.FEATURE_EXTRACTOR, "dense", 1, 0.001), new InputShape(8, 8, 1), 2,
                Hyperparameters.defaults(1)));
        assertEquals("Cannot use " + source + " (transfer.source): transfer.freeze = dense names no layer. Use one of"
                + " [conv2d, max_pooling2d, features] or a layer count.", e.getMessage());
        PretrainedModelException size = assertThrows(PretrainedModelException.class, () -> TransferModels.build(
                PretrainedModels.load(source, new Configuration()), source,
                new TransferModels.Settings(TransferSection.Mode.FEATURE_EXTRACTOR, null, 1, 0.001), new InputShape(28, 28, 1), 2,
                Hyperparameters.defaults(1)));
        assertTrue(size.getMessage().startsWith("Cannot use " + source + " (transfer.source): the network cannot"
                + " take this data's 28x28x1 images ("), size.getMessage());
    }
}
