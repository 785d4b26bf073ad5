package org.sparkprop.model.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;

class LayerListParserTest {
    private static String errorOf(Object raw) {
        return assertThrows(IllegalArgumentException.class, () -> LayerListParser.parse("model.layers", raw))
                .getMessage();
    }

    @Test
    void everyLayerTypeParsesWithItsDefaults() {
        List<LayerSpec> layers = LayerListParser.parse("model.layers", List.of(
                Map.of("type", "conv", "filters", 8, "kernel", 3),
                Map.of("type", "maxpool"),
                Map.of("type", "avgpool", "size", 3, "stride", 1, "padding", "same"),
                Map.of("type", "batchnorm"),
                Map.of("type", "activation", "function", "elu"),
                Map.of("type", "residual", "filters", 8, "stride", 2, "bottleneck", true),
                Map.of("type", "globalavgpool"),
                Map.of("type", "flatten"),
                Map.of("type", "dense", "units", 16, "activation", "tanh", "bias", false, "weight-init", "xavier"),
                Map.of("type", "dropout", "rate", 0.5),
                Map.of("type", "output", "loss", "binary-crossentropy")));

        assertEquals(List.of(
                new LayerSpec.Conv(8, 3, 1, "valid", "relu", true, null),
                new LayerSpec.Pool("max", 2, 2, "valid"),
                new LayerSpec.Pool("avg", 3, 1, "same"),
                new LayerSpec.BatchNorm(),
                new LayerSpec.Activation("elu"),
                new LayerSpec.Residual(8, 2, true),
                new LayerSpec.GlobalAvgPool(),
                new LayerSpec.Flatten(),
                new LayerSpec.Dense(16, "tanh", false, new WeightInitSpec("xavier", 0.01)),
                new LayerSpec.Dropout(0.5),
                new LayerSpec.Output(null, Loss.BINARY_CROSSENTROPY, null)), layers);
    }

    @Test
    void errorsNameTheEntryAndWhatIsAllowed() {
        assertEquals("model.layers must be a non-empty list of layers, e.g. [{type = dense, units = 64}, {type ="
                + " output}]", errorOf(List.of()));
        assertEquals("model.layers[0] must be an object such as {type = dense, units = 64}, got dense",
                errorOf(List.of("dense")));
        assertEquals("model.layers[0] has no type; allowed types: dense, conv, maxpool, avgpool, globalavgpool,"
                + " flatten, dropout, batchnorm, activation, output, residual", errorOf(List.of(Map.of("units", 3))));
        assertEquals("model.layers[0] needs units (a positive integer)", errorOf(List.of(Map.of("type", "dense"))));
        assertEquals("model.layers[0].units must be an integer, got 2.5",
                errorOf(List.of(Map.of("type", "dense", "units", 2.5))));
        assertEquals("model.layers[0]: dropout rate 1.5 must be in (0, 1)",
                errorOf(List.of(Map.of("type", "dropout", "rate", 1.5))));
        assertEquals("model.layers[0]: padding 'full' must be valid or same",
                errorOf(List.of(Map.of("type", "conv", "filters", 2, "kernel", 3, "padding", "full"))));
        assertEquals("model.layers[0].bias must be true or false, got yes",
                errorOf(List.of(Map.of("type", "dense", "units", 2, "bias", "yes"))));
    }
}
