package org.sparkprop.model.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.model.Hyperparameters;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.OptimizerSpec;

class LeNetTest {
    private static final InputShape MNIST = new InputShape(28, 28, 1);

    private static Hyperparameters hp(long seed) {
        return new Hyperparameters(seed, new OptimizerSpec("nesterov", 0.01, 0.9), 5e-4);
    }

    private static MultiLayerNetwork lenet(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(ModelCatalog.build("lenet", MNIST, 10, hp(seed)));
        net.init();
        return net;
    }

    @Test
    void lenetOnMnistHas431080ParametersInTheExpectedLayers() {
        MultiLayerNetwork net = lenet(1);

        assertEquals(431_080, net.numParams());
        long[] perLayer = new long[net.getnLayers()];
        for (int i = 0; i < perLayer.length; i++) {
            perLayer[i] = net.getLayer(i).numParams();
        }
        assertArrayEquals(new long[] {520, 0, 25_050, 0, 400_500, 5_010}, perLayer);
    }

    @Test
    void aForwardPassGivesOneProbabilityRowPerImage() {
        INDArray out = lenet(1).output(Nd4j.rand(new int[] {3, 1, 28, 28}));

        assertArrayEquals(new long[] {3, 10}, out.shape());
        assertEquals(1.0, out.getRow(0).sumNumber().doubleValue(), 1e-5);
    }

    @Test
    void theSameSeedGivesIdenticalInitialParametersAndAnotherSeedDoesNot() {
        assertEquals(lenet(7).params(), lenet(7).params());
        assertNotEquals(lenet(7).params(), lenet(8).params());
    }

    @Test
    void tooSmallAnInputIsRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.build("lenet", new InputShape(12, 12, 1), 10, hp(1)));

        assertEquals("lenet needs input of at least 16x16 (two 5x5 convolutions and two 2x2 poolings), got 12x12x1",
                e.getMessage());
    }

    @Test
    void anUnknownModelNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.build("resnet-9000", MNIST, 10, hp(1)));

        assertEquals("unknown model 'resnet-9000'; known: lenet", e.getMessage());
    }
}
