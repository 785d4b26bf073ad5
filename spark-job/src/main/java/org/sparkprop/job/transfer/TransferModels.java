package org.sparkprop.job.transfer;

import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.config.TransferSection;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.RegularizationSpec;

/**
 * Turns a pretrained network into a {@link TransferModel} with DL4J's TransferLearning API: the output layer is
 * replaced by a new one for the new classes (same loss and activation, Xavier-initialized, trained with the run's
 * optimizer and regularization), the chosen layers are frozen, and the unfrozen pretrained layers get their own
 * learning rate.
 */
public final class TransferModels {
    private TransferModels() {
    }

    /** What to freeze and how to train; see the {@code transfer.*} keys of {@link TrainConfig}. */
    public record Settings(TransferSection.Mode mode, String freeze, int unfreezeTop, double pretrainedLearningRate) {
        public static Settings of(TrainConfig config) {
            return new Settings(config.transfer().mode(), config.transfer().freeze(), config.transfer().unfreezeTop(),
                    config.transfer().pretrainedLearningRate());
        }
    }

    /**
     * The pretrained network of the config's transfer.source, loaded and prepared for images of {@code input} and
     * {@code numClasses} classes with the config's transfer settings and hyperparameters. No Spark.
     */
    public static TransferModel build(TrainConfig config, InputShape input, int numClasses) {
        MultiLayerNetwork pretrained = PretrainedModels.load(config.transfer().source(), new org.apache.hadoop.conf
                .Configuration());
        return build(pretrained, config.transfer().source(), Settings.of(config), input, numClasses,
                config.optimizer().hyperparameters());
    }

    /**
     * @param pretrained  the loaded network (unfrozen; not changed)
     * @param input       the shape of this run's images, channels-first batches
     * @param numClasses  classes of this run's data
     * @param hyper       the run's optimizer (for the new head) and regularization (new head only), and its seed
     * @throws PretrainedModelException when the network has no output layer to replace, the freeze point does not
     *                                  exist, or the network cannot take this data's images
     */
    public static TransferModel build(MultiLayerNetwork pretrained, String source, Settings settings,
                                      InputShape input, int numClasses, Hyperparameters hyper) {
        MultiLayerNetwork net = pretrained.clone();
        adaptInput(net, input);
        if (settings.mode() == TransferSection.Mode.WARM_START) {
            return warmStart(net, source, settings, input, numClasses, hyper);
        }
        int n = net.getnLayers();
        Layer last = net.getLayerWiseConfigurations().getConf(n - 1).getLayer();
        // Keras import with a training configuration ends in a dense layer plus a loss layer: both are the head.
        int headLayers = last instanceof LossLayer && n > 1
                && net.getLayerWiseConfigurations().getConf(n - 2).getLayer() instanceof DenseLayer ? 2 : 1;
        Layer scores = net.getLayerWiseConfigurations().getConf(n - headLayers).getLayer();
        ILossFunction loss = headLayers == 2 ? ((LossLayer) last).getLossFn() : lossOf(last);
        if (loss == null) {
            throw new PretrainedModelException(source, "its last layer " + describe(last) + " is neither an output"
                    + " layer nor a softmax or sigmoid dense layer, so there is no classifier head to replace",
                    "Give a classifier: a model whose last layer outputs class scores.");
        }
        FeedForwardLayer out = (FeedForwardLayer) scores;
        int below = n - headLayers;
        int frozen = frozenLayers(net, source, settings, below);
        IUpdater headUpdater = hyper.optimizer().toUpdater();
        IUpdater pretrainedUpdater = settings.mode() == TransferSection.Mode.FINE_TUNE
                ? hyper.optimizer().withLearningRate(settings.pretrainedLearningRate()).toUpdater() : headUpdater;
        TransferLearning.Builder builder = new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(pretrainedUpdater)
                        .seed(hyper.seed()).build());
        if (frozen > 0) {
            builder.setFeatureExtractor(frozen - 1);
        }
        builder.removeLayersFromOutput(headLayers);
        OutputLayer.Builder head = new OutputLayer.Builder(loss).activation(((BaseLayer) scores).getActivationFn())
                .nIn(out.getNIn()).nOut(numClasses).weightInit(WeightInit.XAVIER).updater(headUpdater)
                .name(scores.getLayerName() != null ? scores.getLayerName() : "output");
        RegularizationSpec r = hyper.regularization();
        if (r.l1() > 0) {
            head.l1(r.l1());
        }
        if (r.l2() > 0) {
            head.l2(r.l2());
        }
        if (r.weightDecay() > 0) {
            head.weightDecay(r.weightDecay());
        }
        Nd4j.getRandom().setSeed(hyper.seed()); // the new head's initial weights depend on the seed only
        builder.addLayer(head.build());
        MultiLayerNetwork transfer = builder.build();
        if (settings.mode() == TransferSection.Mode.SCRATCH) {
            MultiLayerNetwork fresh = new MultiLayerNetwork(transfer.getLayerWiseConfigurations().clone());
            fresh.init();
            transfer = fresh;
        }
        checkTakes(transfer, source, input);
        return new TransferModel(transfer, frozen, settings.mode(), source);
    }

    /**
     * Warm start: the network as trained, head included, every layer trainable at the pretrained learning rate with
     * the run's optimizer; its parameters are the starting point, unchanged.
     *
     * @throws PretrainedModelException when its output layer has another class count than this data
     */
    private static TransferModel warmStart(MultiLayerNetwork net, String source, Settings settings, InputShape input,
                                           int numClasses, Hyperparameters hyper) {
        int n = net.getnLayers();
        Layer last = net.getLayerWiseConfigurations().getConf(n - 1).getLayer();
        long outputs = last instanceof FeedForwardLayer ff ? ff.getNOut() : -1;
        if (outputs != numClasses) {
            throw new PretrainedModelException(source, "its output layer " + describe(last) + " has " + outputs
                    + " outputs and this data has " + numClasses + " classes, so its head cannot be kept",
                    "Warm-start from a model trained for these classes, or set " + TransferSection.MODE
                            + " = feature-extractor or fine-tune to replace the head.");
        }
        MultiLayerNetwork warm = new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .updater(hyper.optimizer().withLearningRate(settings.pretrainedLearningRate()).toUpdater())
                        .seed(hyper.seed()).build())
                .build();
        checkTakes(warm, source, input);
        return new TransferModel(warm, 0, settings.mode(), source);
    }

    /**
     * The loss of the pretrained head: an output layer's own, or for a dense layer without one (a Keras model saved
     * without its training configuration) the loss its activation implies: softmax - cross-entropy, sigmoid - binary
     * cross-entropy. Null when neither applies.
     */
    private static ILossFunction lossOf(Layer last) {
        if (last instanceof BaseOutputLayer out) {
            return out.getLossFn();
        }
        if (last instanceof DenseLayer dense) {
            if (dense.getActivationFn() instanceof ActivationSoftmax) {
                return new LossMCXENT();
            }
            if (dense.getActivationFn() instanceof ActivationSigmoid) {
                return new LossBinaryXENT();
            }
        }
        return null;
    }

    private static int frozenLayers(MultiLayerNetwork net, String source, Settings settings, int below) {
        return switch (settings.mode()) {
            case SCRATCH -> 0;
            case FINE_TUNE -> {
                if (settings.freeze() != null) {
                    yield freezePoint(net, source, settings.freeze(), below);
                }
                if (settings.unfreezeTop() > below) {
                    throw new PretrainedModelException(source, TransferSection.UNFREEZE_TOP + " = "
                            + settings.unfreezeTop() + " but the network has " + below + " layers below its output"
                            + " layer", "Set " + TransferSection.UNFREEZE_TOP + " to at most " + below + ".");
                }
                yield below - settings.unfreezeTop();
            }
            case FEATURE_EXTRACTOR, WARM_START -> settings.freeze() == null ? below
                    : freezePoint(net, source, settings.freeze(), below);
        };
    }

    /** A count, or the index after the named layer. */
    private static int freezePoint(MultiLayerNetwork net, String source, String freeze, int below) {
        if (freeze.matches("\\d+")) {
            int count = Integer.parseInt(freeze);
            if (count > below) {
                throw new PretrainedModelException(source, TransferSection.FREEZE + " = " + count + " but the"
                        + " network has " + below + " layers below its output layer (which is always replaced)",
                        "Set " + TransferSection.FREEZE + " to at most " + below + ".");
            }
            return count;
        }
        List<String> names = TransferModel.layerNames(net);
        int index = names.indexOf(freeze);
        if (index < 0 || index >= below) {
            throw new PretrainedModelException(source, TransferSection.FREEZE + " = " + freeze + " names "
                    + (index < 0 ? "no layer" : "the output layer, which is always replaced"), "Use one of "
                    + names.subList(0, below) + " or a layer count.");
        }
        return index + 1;
    }

    /** Lets channels-first image batches into a network imported from Keras (channels-last or flat input). */
    static void adaptInput(MultiLayerNetwork net, InputShape input) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (conf.getInputPreProcess(0) != null) {
            return;
        }
        Layer first = conf.getConf(0).getLayer();
        if (first instanceof ConvolutionLayer c && c.getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            conf.getInputPreProcessors().put(0, new NchwToNhwcPreProcessor());
        } else if (first instanceof FeedForwardLayer && !(first instanceof ConvolutionLayer)) {
            conf.getInputPreProcessors().put(0, new CnnToFeedForwardPreProcessor(input.height(), input.width(),
                    input.channels()));
        }
    }

    /** One forward pass on a blank image: fails here, before Spark, when the network cannot take this input. */
    private static void checkTakes(MultiLayerNetwork net, String source, InputShape input) {
        try {
            net.output(Nd4j.zeros(DataType.FLOAT, 1, input.channels(), input.height(), input.width()), false);
        } catch (RuntimeException e) {
            throw new PretrainedModelException(source, "the network cannot take this data's " + input.height() + "x"
                    + input.width() + "x" + input.channels() + " images (" + e.getMessage() + ")",
                    "Transfer to data of the size and channel count it was trained on (data.image-size for an image"
                            + " folder).", e);
        }
    }

    private static String describe(Layer layer) {
        return (layer.getLayerName() != null ? layer.getLayerName() + " " : "") + "("
                + layer.getClass().getSimpleName() + ")";
    }
}
