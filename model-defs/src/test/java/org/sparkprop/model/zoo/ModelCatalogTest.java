package org.sparkprop.model.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.build.NetworkDefinition;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.summary.ModelSummary;

class ModelCatalogTest {
    private static final InputShape MNIST = new InputShape(28, 28, 1);

    private static NetworkDefinition build(String name, InputShape input, int classes) {
        return NetworkBuilder.build(ModelCatalog.spec(name, ModelOptions.NONE), input, classes,
                Hyperparameters.defaults(7));
    }

    @Test
    void seedCnnHasTheLecturesPerLayerParameterCounts() {
        ModelSummary s = build("seed-cnn", MNIST, 10).summary();
        assertArrayEquals(new long[] {100, 0, 455, 0, 0, 8_064, 650},
                s.rows().stream().mapToLong(ModelSummary.Row::params).toArray());
        assertEquals(List.of("26 x 26 x 10", "13 x 13 x 10", "11 x 11 x 5", "5 x 5 x 5", "125", "64", "10"),
                s.rows().stream().map(ModelSummary.Row::outputShape).toList());
        assertEquals(9_269, s.totalParams());
        assertEquals(9_269, s.trainableParams());
    }

    @Test
    void mlpFamilyAndLenetHaveTheirKnownSizes() {
        assertEquals(25_450, build("seed-mlp", MNIST, 10).summary().totalParams());
        assertEquals(431_080, build("lenet", MNIST, 10).summary().totalParams());
        // 784*1024+1024 + 1024*1024+1024 + 1024*10+10
        assertEquals(1_863_690, build("dropout-mlp", MNIST, 10).summary().totalParams());
        // dense without bias (BN's shift replaces it) + 4 BN parameters per unit, 2 of them running statistics
        ModelSummary bn = build("bn-mlp", MNIST, 10).summary();
        assertEquals(784 * 1024 + 4 * 1024 + 1024 * 1024 + 4 * 1024 + 10_250, bn.totalParams());
        assertEquals(2 * 2 * 1024, bn.nonTrainableParams());
    }

    @Test
    void imageNetModelsHaveThePublishedParameterCountsAtFullSize() {
        assertEquals(62_378_344, build("alexnet", new InputShape(227, 227, 3), 1000).summary().totalParams());
        assertEquals(138_357_544, build("vgg16", new InputShape(224, 224, 3), 1000).summary().totalParams());
        ModelSummary r18 = build("resnet18", new InputShape(224, 224, 3), 1000).summary();
        assertEquals(11_689_512, r18.trainableParams()); // torchvision's count
        assertEquals(9_600, r18.nonTrainableParams());
        ModelSummary r50 = build("resnet50", new InputShape(224, 224, 3), 1000).summary();
        assertEquals(25_557_032, r50.trainableParams());
        assertEquals(53_120, r50.nonTrainableParams()); // Keras' ResNet50 count of BN moving statistics
        assertEquals("7 x 7 x 2048", r50.rows().get(r50.rows().size() - 3).outputShape());
    }

    @Test
    void everyCatalogueModelBuildsAndRunsAForwardPass() {
        for (String name : ModelCatalog.NAMES) {
            InputShape input = switch (name) {
                case "alexnet" -> new InputShape(67, 67, 3);
                case "vgg16", "resnet18", "resnet50" -> new InputShape(32, 32, 3);
                default -> MNIST;
            };
            NetworkDefinition def = build(name, input, 5);
            Model net = def.isGraph() ? def.newComputationGraph() : def.newMultiLayerNetwork();
            assertEquals(def.summary().totalParams(), net.numParams(), name);
            INDArray x = Nd4j.rand(2, input.channels(), input.height(), input.width());
            INDArray y = def.isGraph() ? ((ComputationGraph) net).outputSingle(x) : ((MultiLayerNetwork) net).output(x);
            assertArrayEquals(new long[] {2, 5}, y.shape(), name);
            assertEquals(2.0, y.sumNumber().doubleValue(), 1e-4, name + " softmax rows sum to 1");
        }
    }

    @Test
    void sameSeedAndConfigGiveIdenticalInitialParametersAndAnotherSeedDoesNot() {
        for (String name : List.of("lenet-bn", "resnet18")) {
            InputShape input = name.equals("resnet18") ? new InputShape(32, 32, 3) : MNIST;
            NetworkDefinition a = build(name, input, 10);
            NetworkDefinition b = build(name, input, 10);
            INDArray pa = a.isGraph() ? a.newComputationGraph().params() : a.newMultiLayerNetwork().params();
            INDArray pb = b.isGraph() ? b.newComputationGraph().params() : b.newMultiLayerNetwork().params();
            assertEquals(pa, pb, name);
            NetworkDefinition c = NetworkBuilder.build(ModelCatalog.spec(name, ModelOptions.NONE), input, 10,
                    Hyperparameters.defaults(8));
            INDArray pc = c.isGraph() ? c.newComputationGraph().params() : c.newMultiLayerNetwork().params();
            assertTrue(!pa.equals(pc), name + " with another seed");
        }
    }

    @Test
    void mlpWidthsDropoutAndActivationAreOverridable() {
        ModelOptions o = ModelOptions.NONE.withHidden(List.of(64, 32)).withDropout(0.2).withActivation("tanh");
        NetworkDefinition def = NetworkBuilder.build(ModelCatalog.spec("mlp", o), MNIST, 10,
                Hyperparameters.defaults(1));
        assertEquals(List.of("flatten", "dense", "dropout", "dense", "dropout", "output"),
                def.summary().rows().stream().map(ModelSummary.Row::type).toList());
        assertEquals(784 * 64 + 64 + 64 * 32 + 32 + 330, def.summary().totalParams());
        assertEquals("tanh", ((org.sparkprop.model.spec.LayerSpec.Dense) def.spec().layers().get(1)).activation());
    }

    @Test
    void familyOptionsOnAModelWithFixedLayersAreRefusedNamingTheModelsThatTakeThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.spec("lenet", ModelOptions.NONE.withHidden(List.of(10))));
        assertEquals("option hidden applies to mlp, seed-mlp, dropout-mlp, bn-mlp only, not to lenet (write a"
                + " custom layer list to change its layers)", e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.spec("lenet5", ModelOptions.NONE));
        assertEquals("unknown model 'lenet5'; known: mlp, seed-mlp, dropout-mlp, bn-mlp, seed-cnn, lenet, lenet-bn,"
                + " alexnet, vgg16, resnet18, resnet50 (or custom with a layer list)", unknown.getMessage());
    }

    @Test
    void anInputTooSmallForTheModelIsReportedWithTheModelAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build("lenet", new InputShape(8, 8, 1), 10));
        assertEquals("lenet does not fit input 8x8x1: layer conv2 has a 5x5 window but its input is only 2 x 2 x 20; use"
                + " a larger input or padding = same", e.getMessage());
    }
}
