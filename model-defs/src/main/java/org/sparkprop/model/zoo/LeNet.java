package org.sparkprop.model.zoo;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkprop.model.Hyperparameters;
import org.sparkprop.model.InputShape;

/**
 * LeNet as in DL4J's and Caffe's MNIST examples: conv 5x5x20, max-pool 2x2/2, conv 5x5x50, max-pool 2x2/2, dense 500
 * ReLU, softmax output. On 28x28x1 input with 10 classes it has 431,080 parameters. Convolutions use ReLU and He
 * initialization; the output layer Xavier.
 */
public final class LeNet {
    public static final String NAME = "lenet";

    private LeNet() {
    }

    public static MultiLayerConfiguration configuration(InputShape input, int numClasses, Hyperparameters hp) {
        if (input.height() < 16 || input.width() < 16) {
            throw new IllegalArgumentException("lenet needs input of at least 16x16 (two 5x5 convolutions and two"
                    + " 2x2 poolings), got " + input);
        }
        return new NeuralNetConfiguration.Builder()
                .seed(hp.seed())
                .updater(hp.optimizer().toUpdater())
                .l2(hp.l2())
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(20).activation(Activation.RELU)
                        .name("conv1").build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .name("pool1").build())
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.RELU)
                        .name("conv2").build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .name("pool2").build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).name("dense").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(numClasses)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).name("output").build())
                .setInputType(InputType.convolutional(input.height(), input.width(), input.channels()))
                .build();
    }
}
