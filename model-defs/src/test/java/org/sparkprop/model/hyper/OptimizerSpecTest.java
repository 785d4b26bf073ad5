package org.sparkprop.model.hyper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.zoo.ModelOptions;

class OptimizerSpecTest {
    private static ScheduleSpec schedule(String type, String unit) {
        return new ScheduleSpec(type, unit, 0.5, 2, 1.0, 0.001, 4, 0);
    }

    @Test
    void eachScheduleFollowsItsFormula() {
        double lr = 0.1;
        ISchedule step = schedule("step", "epoch").toSchedule(lr);
        assertEquals(0.1, step.valueAt(0, 1), 1e-12);
        assertEquals(0.05, step.valueAt(0, 2), 1e-12); // x0.5 every 2 epochs
        assertEquals(0.025, step.valueAt(0, 5), 1e-12);
        ISchedule exp = schedule("exponential", "iteration").toSchedule(lr);
        assertEquals(0.1 * Math.pow(0.5, 3 / 2.0), exp.valueAt(3, 0), 1e-12);
        ISchedule inverse = schedule("inverse-time", "epoch").toSchedule(lr);
        assertEquals(0.1 / (1 + 0.5 * 3 / 2.0), inverse.valueAt(0, 3), 1e-12);
        ISchedule cosine = schedule("cosine", "epoch").toSchedule(lr);
        assertEquals(0.1, cosine.valueAt(0, 0), 1e-12);
        assertEquals(0.001 + (0.1 - 0.001) / 2, cosine.valueAt(0, 2), 1e-12); // half way
        assertEquals(0.001, cosine.valueAt(0, 4), 1e-12);
        assertEquals(0.001, cosine.valueAt(0, 9), 1e-12); // flat after the period
        assertEquals(null, ScheduleSpec.CONSTANT.toSchedule(lr));
    }

    @Test
    void warmupRisesLinearlyThenHandsOverToTheSchedule() {
        ISchedule s = new ScheduleSpec("constant", "epoch", 0.1, 1, 1, 0, 1, 4).toSchedule(0.2);
        assertEquals(0.05, s.valueAt(0, 0), 1e-12);
        assertEquals(0.15, s.valueAt(2, 0), 1e-12);
        assertEquals(0.2, s.valueAt(3, 0), 1e-12);
        assertEquals(0.2, s.valueAt(100, 3), 1e-12);
    }

    @Test
    void everyOptimizerAndScheduleSurvivesTheJsonRoundTripThatSparkAndModelZipsUse() {
        List<String> lost = new java.util.ArrayList<>();
        for (String name : OptimizerSpec.NAMES) {
            for (String type : ScheduleSpec.TYPES) {
                if (name.equals("adagrad")) {
                    continue; // refused, see below
                }
                OptimizerSpec spec = OptimizerSpec.of(name, 0.01)
                        .withSchedule(new ScheduleSpec(type, "iteration", 0.5, 10, 1, 0, 100, 5));
                MultiLayerConfiguration conf = NetworkBuilder.build(ModelCatalog.spec("seed-mlp", ModelOptions.NONE),
                        new InputShape(4, 4, 1), 3, new Hyperparameters(1, spec, RegularizationSpec.NONE)).layers();
                MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
                BaseLayer layer = (BaseLayer) back.getConf(1).getLayer();
                if (!conf.equals(back) || !spec.toUpdater().equals(layer.getIUpdater())) {
                    lost.add(name + "/" + type);
                }
            }
        }
        assertEquals(List.of(), lost);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OptimizerSpec.of("adagrad", 0.01).withSchedule(schedule("step", "epoch")));
        assertEquals("adagrad takes a constant learning rate only: DL4J 1.0.0-M2.1's AdaGrad drops its schedule when"
                + " the configuration is saved (model.zip, checkpoints), leaving no learning rate at all; AdaGrad's"
                + " own 1/sqrt(sum g^2) already decays the step", e.getMessage());
    }

    @Test
    void classicalMomentumMatchesTheHeavyBallRecurrence() {
        Momentum config = new Momentum(0.1, null, 0.9);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        GradientUpdater<?> updater = config.instantiate(state, true);
        double[] w = {1.0, -2.0};
        double[] v = {0, 0};
        for (int t = 0; t < 5; t++) {
            double[] g = {2 * w[0], 3 * w[1]}; // gradient of w0^2 + 1.5 w1^2
            INDArray update = Nd4j.createFromArray(g).reshape(1, 2).castTo(DataType.DOUBLE);
            updater.applyUpdater(update, t, 0);
            for (int i = 0; i < 2; i++) {
                v[i] = 0.9 * v[i] + 0.1 * g[i];
                assertEquals(v[i], update.getDouble(0, i), 1e-12, "step " + t);
                w[i] -= update.getDouble(0, i);
            }
        }
        assertArrayEquals(new double[] {v[0], v[1]}, state.toDoubleVector(), 1e-12);
    }

    @Test
    void weightDecayAndElasticNetReachTheLayers() {
        MultiLayerNetwork net = NetworkBuilder.build(ModelCatalog.spec("seed-mlp", ModelOptions.NONE),
                new InputShape(4, 4, 1), 3, new Hyperparameters(1, OptimizerSpec.of("adam", 0.01),
                        new RegularizationSpec(1e-5, 1e-4, 1e-3))).newMultiLayerNetwork();
        BaseLayer dense = (BaseLayer) net.getLayer(0).conf().getLayer();
        assertEquals(List.of("L1Regularization", "L2Regularization", "WeightDecay"),
                dense.getRegularization().stream().map(r -> r.getClass().getSimpleName()).toList());
        assertEquals(List.of(), dense.getRegularizationBias());
    }
}
