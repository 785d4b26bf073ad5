package org.sparkprop.model.build;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.OptimizerSpec;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;

/**
 * Backprop against central finite differences (DL4J's {@link GradientCheckUtil}, double precision) for every layer
 * type, activation and loss the model description offers, built through this project's own {@link NetworkBuilder}.
 * Dropout is stochastic and is left out of the checks (its behaviour is tested in {@code DropoutLayerTest}); batch
 * norm is checked in training mode with its running statistics excluded (they are not learned by gradient).
 */
class GradientCheckTest {
    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-3;
    private static final double MIN_ABS_ERROR = 1e-8;
    private static DataType previousDefault;

    @BeforeAll
    static void doublePrecision() {
        previousDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previousDefault, previousDefault);
    }

    /** SGD with rate 1 (the update is then the raw gradient), plus L1 and L2 so the penalty terms are checked too. */
    private static Hyperparameters hp(RegularizationSpec reg) {
        return new Hyperparameters(12345, OptimizerSpec.of("sgd", 1.0), reg);
    }

    private static final RegularizationSpec ELASTIC_NET = new RegularizationSpec(1e-3, 1e-3, 0);

    private static ModelSpec spec(LayerSpec... layers) {
        return new ModelSpec("check", List.of(layers), WeightInitSpec.XAVIER);
    }

    private static LayerSpec output(Loss loss) {
        return new LayerSpec.Output(null, loss, null);
    }

    /** Random inputs and labels that suit the loss: one-hot, independent bits, or real targets. */
    private static INDArray labels(Loss loss, int n, int classes) {
        Nd4j.getRandom().setSeed(99);
        return switch (loss) {
            case CATEGORICAL_CROSSENTROPY -> {
                INDArray y = Nd4j.zeros(DataType.DOUBLE, n, classes);
                for (int i = 0; i < n; i++) {
                    y.putScalar(i, i % classes, 1.0);
                }
                yield y;
            }
            case BINARY_CROSSENTROPY -> Nd4j.rand(DataType.DOUBLE, n, classes).gt(0.5).castTo(DataType.DOUBLE);
            case SQUARED_ERROR -> Nd4j.randn(DataType.DOUBLE, n, classes);
        };
    }

    private static boolean check(ModelSpec spec, InputShape input, Loss loss, RegularizationSpec reg) {
        int classes = 3;
        int n = 4;
        NetworkDefinition def = NetworkBuilder.build(spec, input, classes, hp(reg), DataType.DOUBLE);
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, input.channels(), input.height(), input.width()).subi(0.5);
        INDArray y = labels(loss, n, classes);
        if (def.isGraph()) {
            return checkGraph(def.newComputationGraph(), x, y);
        }
        MultiLayerNetwork net = def.newMultiLayerNetwork();
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .excludeParams(runningStatistics(net.paramTable().keySet())));
    }

    /**
     * Central differences over a graph's flattened parameters. Not {@link GradientCheckUtil}: it names a graph's
     * flattened parameters in {@code paramTable()} order, while {@code ComputationGraph} lays them out in topological
     * order, so its {@code excludeParams} skips the wrong ranges once a graph branches (found here: it excluded a
     * convolution's weights and checked batch norm's running mean). Exclusion here is by each parameter view's
     * real offset in the flattened array.
     */
    private static boolean checkGraph(ComputationGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        // DL4J's backprop sums over the mini-batch (its updater divides by the batch size); the score is the mean
        INDArray gradient = net.gradient().gradient().div(x.size(0));
        INDArray params = net.params();
        Set<Long> excluded = new HashSet<>();
        for (String key : runningStatistics(net.paramTable().keySet())) {
            INDArray view = net.getParam(key);
            long start = view.offset() - params.offset();
            for (long i = start; i < start + view.length(); i++) {
                excluded.add(i);
            }
        }
        DataSet ds = new DataSet(x, y);
        int failures = 0;
        int checked = 0;
        for (long i = 0; i < params.length(); i++) {
            if (excluded.contains(i)) {
                continue;
            }
            double orig = params.getDouble(i);
            params.putScalar(i, orig + EPS);
            double plus = net.score(ds, true);
            params.putScalar(i, orig - EPS);
            double minus = net.score(ds, true);
            params.putScalar(i, orig);
            double numerical = (plus - minus) / (2 * EPS);
            double analytic = gradient.getDouble(i);
            double absError = Math.abs(analytic - numerical);
            double relError = absError == 0 ? 0 : absError / (Math.abs(analytic) + Math.abs(numerical));
            checked++;
            if (relError > MAX_REL_ERROR && absError > MIN_ABS_ERROR) {
                failures++;
                System.err.printf("param %d: analytic %.8g numerical %.8g rel error %.3g%n", i, analytic, numerical,
                        relError);
            }
        }
        return failures == 0 && checked > 0 && excluded.size() > 0;
    }

    private static Set<String> runningStatistics(Set<String> keys) {
        Set<String> excluded = new HashSet<>();
        for (String k : keys) {
            if (k.endsWith("_mean") || k.endsWith("_var") || k.endsWith("_log10stdev")) {
                excluded.add(k);
            }
        }
        return excluded;
    }

    private static final InputShape SMALL_IMAGE = new InputShape(6, 6, 2);

    @Test
    void denseLayersPassForEveryHiddenActivation() {
        List<String> failed = new ArrayList<>();
        for (String act : List.of("sigmoid", "tanh", "relu", "elu", "softmax", "identity")) {
            ModelSpec s = spec(new LayerSpec.Flatten(), new LayerSpec.Dense(5, act, true, null),
                    output(Loss.CATEGORICAL_CROSSENTROPY));
            if (!check(s, new InputShape(2, 2, 2), Loss.CATEGORICAL_CROSSENTROPY, ELASTIC_NET)) {
                failed.add(act);
            }
        }
        assertTrue(failed.isEmpty(), "gradient check failed for " + failed);
    }

    @Test
    void eachLossPassesWithItsUsualOutputActivation() {
        for (Loss loss : Loss.values()) {
            ModelSpec s = spec(new LayerSpec.Flatten(), new LayerSpec.Dense(5, "tanh", true, null), output(loss));
            assertTrue(check(s, new InputShape(2, 2, 2), loss, RegularizationSpec.NONE), loss.id());
        }
    }

    @Test
    void convolutionPassesWithStridesAndBothPaddings() {
        for (String padding : List.of("valid", "same")) {
            ModelSpec s = spec(new LayerSpec.Conv(3, 3, 2, padding, "tanh", true, null),
                    new LayerSpec.Conv(2, 2, 1, padding, "elu", false, WeightInitSpec.HE), new LayerSpec.Flatten(),
                    output(Loss.CATEGORICAL_CROSSENTROPY));
            assertTrue(check(s, SMALL_IMAGE, Loss.CATEGORICAL_CROSSENTROPY, ELASTIC_NET), padding);
        }
    }

    @Test
    void maxAndAveragePoolingPass() {
        for (String kind : List.of("max", "avg")) {
            ModelSpec s = spec(new LayerSpec.Conv(3, 3, 1, "same", "tanh", true, null),
                    new LayerSpec.Pool(kind, 2, 2, "valid"), new LayerSpec.Flatten(),
                    output(Loss.CATEGORICAL_CROSSENTROPY));
            assertTrue(check(s, SMALL_IMAGE, Loss.CATEGORICAL_CROSSENTROPY, RegularizationSpec.NONE), kind);
        }
        ModelSpec global = spec(new LayerSpec.Conv(3, 3, 1, "same", "tanh", true, null), new LayerSpec.GlobalAvgPool(),
                output(Loss.CATEGORICAL_CROSSENTROPY));
        assertTrue(check(global, SMALL_IMAGE, Loss.CATEGORICAL_CROSSENTROPY, RegularizationSpec.NONE), "global avg");
    }

    @Test
    void batchNormalizationPassesAfterDenseAndAfterConvolution() {
        ModelSpec dense = spec(new LayerSpec.Flatten(), new LayerSpec.Dense(5, "identity", false, null),
                new LayerSpec.BatchNorm(), new LayerSpec.Activation("tanh"), output(Loss.CATEGORICAL_CROSSENTROPY));
        assertTrue(check(dense, new InputShape(2, 2, 2), Loss.CATEGORICAL_CROSSENTROPY, RegularizationSpec.NONE),
                "dense + BN");
        ModelSpec conv = spec(new LayerSpec.Conv(3, 3, 1, "same", "identity", false, null), new LayerSpec.BatchNorm(),
                new LayerSpec.Activation("elu"), new LayerSpec.Flatten(), output(Loss.CATEGORICAL_CROSSENTROPY));
        assertTrue(check(conv, SMALL_IMAGE, Loss.CATEGORICAL_CROSSENTROPY, RegularizationSpec.NONE), "conv + BN");
    }

    @Test
    void residualBlocksPassBasicAndBottleneckWithProjection() {
        for (boolean bottleneck : List.of(false, true)) {
            ModelSpec s = spec(new LayerSpec.Conv(2, 3, 1, "same", "tanh", true, null),
                    new LayerSpec.Residual(2, 1, bottleneck), new LayerSpec.Residual(3, 2, bottleneck),
                    new LayerSpec.GlobalAvgPool(), output(Loss.CATEGORICAL_CROSSENTROPY));
            assertTrue(check(s, new InputShape(8, 8, 2), Loss.CATEGORICAL_CROSSENTROPY, RegularizationSpec.NONE),
                    bottleneck ? "bottleneck" : "basic");
        }
    }
}
