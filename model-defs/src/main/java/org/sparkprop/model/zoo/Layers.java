package org.sparkprop.model.zoo;

import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;

/** Short constructors for writing catalogue models. */
final class Layers {
    private Layers() {
    }

    static LayerSpec conv(int filters, int kernel) {
        return conv(filters, kernel, 1, "valid");
    }

    static LayerSpec conv(int filters, int kernel, int stride, String padding) {
        return new LayerSpec.Conv(filters, kernel, stride, padding, "relu", true, null);
    }

    /** Convolution without bias or activation, for a following batch normalization. */
    static LayerSpec convForBn(int filters, int kernel, int stride, String padding) {
        return new LayerSpec.Conv(filters, kernel, stride, padding, "identity", false, null);
    }

    static LayerSpec maxPool(int size) {
        return maxPool(size, size, "valid");
    }

    static LayerSpec maxPool(int size, int stride, String padding) {
        return new LayerSpec.Pool("max", size, stride, padding);
    }

    static LayerSpec dense(int units) {
        return new LayerSpec.Dense(units, "relu", true, null);
    }

    static LayerSpec flatten() {
        return new LayerSpec.Flatten();
    }

    static LayerSpec batchNorm() {
        return new LayerSpec.BatchNorm();
    }

    static LayerSpec relu() {
        return new LayerSpec.Activation("relu");
    }

    static LayerSpec dropout(double rate) {
        return new LayerSpec.Dropout(rate);
    }

    /** Softmax with categorical cross-entropy, Xavier-initialized. */
    static LayerSpec softmaxOutput() {
        return new LayerSpec.Output(null, Loss.CATEGORICAL_CROSSENTROPY, WeightInitSpec.XAVIER);
    }
}
