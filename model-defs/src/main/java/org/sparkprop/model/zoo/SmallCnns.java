package org.sparkprop.model.zoo;

import static org.sparkprop.model.zoo.Layers.batchNorm;
import static org.sparkprop.model.zoo.Layers.conv;
import static org.sparkprop.model.zoo.Layers.convForBn;
import static org.sparkprop.model.zoo.Layers.dense;
import static org.sparkprop.model.zoo.Layers.flatten;
import static org.sparkprop.model.zoo.Layers.maxPool;
import static org.sparkprop.model.zoo.Layers.relu;
import static org.sparkprop.model.zoo.Layers.softmaxOutput;

import java.util.List;
import java.util.Set;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.ModelSpec;

/** The small convolutional networks for 28x28 digits: ReLU, He initialization, valid padding, softmax output. */
final class SmallCnns {
    private SmallCnns() {
    }

    /** The lecture's small CNN: 9,269 parameters on 28x28x1 with 10 classes. */
    static CatalogEntry seedCnn() {
        return new CatalogEntry("seed-cnn", "conv 10 3x3, maxpool 2, conv 5 3x3, maxpool 2, flatten, dense 64,"
                + " dense 10 softmax (9,269 params on 28x28x1)", Set.of(), o -> new ModelSpec("seed-cnn", List.of(
                conv(10, 3), maxPool(2), conv(5, 3), maxPool(2), flatten(), dense(64), softmaxOutput()),
                WeightInitSpec.HE));
    }

    /** LeNet as in DL4J's and Caffe's MNIST examples: 431,080 parameters on 28x28x1 with 10 classes. */
    static CatalogEntry leNet() {
        return new CatalogEntry("lenet", "conv 20 5x5, maxpool 2, conv 50 5x5, maxpool 2, dense 500, dense 10"
                + " softmax (431,080 params on 28x28x1)", Set.of(), o -> new ModelSpec("lenet", List.of(
                conv(20, 5), maxPool(2), conv(50, 5), maxPool(2), flatten(), dense(500), softmaxOutput()),
                WeightInitSpec.HE));
    }

    /** Three 3x3 convolutions with batch normalization before each ReLU. */
    static CatalogEntry leNetBn() {
        return new CatalogEntry("lenet-bn", "conv 3x3 16/32/64 each with batch norm and ReLU, maxpool 2 after the"
                + " first two, dense 50, dense 10 softmax", Set.of(), o -> new ModelSpec("lenet-bn", List.of(
                convForBn(16, 3, 1, "valid"), batchNorm(), relu(), maxPool(2),
                convForBn(32, 3, 1, "valid"), batchNorm(), relu(), maxPool(2),
                convForBn(64, 3, 1, "valid"), batchNorm(), relu(),
                flatten(), dense(50), softmaxOutput()), WeightInitSpec.HE));
    }
}
