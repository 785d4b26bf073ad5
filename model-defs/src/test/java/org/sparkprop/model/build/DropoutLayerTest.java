package org.sparkprop.model.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;

/**
 * Dropout cannot be gradient-checked (it is random), so its behaviour is checked instead. The trap it guards: DL4J's
 * {@code dropOut(p)} takes the probability of <em>keeping</em> an activation, the model description the rate of
 * dropping it.
 */
class DropoutLayerTest {
    private static MultiLayerNetwork net(double rate) {
        ModelSpec spec = new ModelSpec("d", List.of(new LayerSpec.Flatten(), new LayerSpec.Dropout(rate),
                new LayerSpec.Output(null, Loss.CATEGORICAL_CROSSENTROPY, null)), WeightInitSpec.XAVIER);
        return NetworkBuilder.build(spec, new InputShape(100, 100, 1), 2, Hyperparameters.defaults(3))
                .newMultiLayerNetwork();
    }

    @Test
    void trainingDropsTheGivenShareAndScalesTheRestInferenceLeavesInputsAlone() {
        INDArray x = Nd4j.ones(4, 1, 100, 100);
        MultiLayerNetwork net = net(0.25);

        INDArray trained = net.feedForward(x, true).get(1); // activations after the dropout layer
        double dropped = trained.eq(0).castTo(x.dataType()).meanNumber().doubleValue();
        assertEquals(0.25, dropped, 0.02);
        assertEquals(1 / 0.75, trained.maxNumber().doubleValue(), 1e-5); // inverted dropout keeps the mean
        assertEquals(1.0, trained.meanNumber().doubleValue(), 0.03);

        INDArray inferred = net.feedForward(x, false).get(1);
        assertEquals(x.reshape(4, 10_000), inferred.reshape(4, 10_000));
    }
}
