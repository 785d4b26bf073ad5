package org.sparkprop.model.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.hyper.Activations;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.summary.ModelSummary;

/**
 * Turns a {@link ModelSpec} plus {@link Hyperparameters} into a DL4J configuration for a given input shape and class
 * count: a {@link MultiLayerConfiguration} for plain layer stacks, a {@link ComputationGraphConfiguration} when the
 * model has residual blocks. Also computes the model's summary table from DL4J's own shape inference and parameter
 * initializers, without allocating the parameters.
 */
public final class NetworkBuilder {
    private NetworkBuilder() {
    }

    /** Builds in single precision, as for training. */
    public static NetworkDefinition build(ModelSpec spec, InputShape input, int numClasses, Hyperparameters hp) {
        return build(spec, input, numClasses, hp, DataType.FLOAT);
    }

    /**
     * @param dataType {@code DOUBLE} for gradient checks, {@code FLOAT} otherwise
     * @throws IllegalArgumentException when the layers do not fit the input shape (e.g. a window larger than its
     *                                  input) or are in an order that has no meaning, naming the layer
     */
    public static NetworkDefinition build(ModelSpec spec, InputShape input, int numClasses, Hyperparameters hp,
                                          DataType dataType) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        checkOrder(spec);
        InputType inputType = InputType.convolutional(input.height(), input.width(), input.channels());
        try {
            return spec.isGraph() ? new GraphPlan(spec, input, numClasses, hp, dataType).build(inputType)
                    : new StackPlan(spec, input, numClasses, hp, dataType).build(inputType);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("does not fit input")) {
                throw new IllegalArgumentException(spec.name() + " " + e.getMessage(), e);
            }
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(spec.name() + " does not fit input " + input + ": " + e.getMessage(), e);
        }
    }

    private static void checkOrder(ModelSpec spec) {
        boolean flat = false;
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            boolean spatial = l instanceof LayerSpec.Conv || l instanceof LayerSpec.Pool
                    || l instanceof LayerSpec.Residual || l instanceof LayerSpec.GlobalAvgPool;
            if (flat && (spatial || l instanceof LayerSpec.Flatten)) {
                throw new IllegalArgumentException("layer " + i + " (" + l.type() + ") needs an image-shaped input but"
                        + " comes after the data was flattened (by flatten, dense or globalavgpool); move it before"
                        + " them");
            }
            if (i > 0 && spec.layers().get(i - 1) instanceof LayerSpec.Flatten
                    && !(l instanceof LayerSpec.Dense || l instanceof LayerSpec.Output || l instanceof LayerSpec.Dropout)) {
                throw new IllegalArgumentException("layer " + i + " (" + l.type() + ") follows flatten; only dense,"
                        + " dropout or output may");
            }
            if (l instanceof LayerSpec.Flatten || l instanceof LayerSpec.Dense || l instanceof LayerSpec.GlobalAvgPool) {
                flat = true;
            }
        }
    }

    static NeuralNetConfiguration.Builder base(ModelSpec spec, Hyperparameters hp, DataType dataType) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(hp.seed())
                .dataType(dataType)
                .updater(hp.optimizer().toUpdater())
                .weightInit(spec.weightInit().toWeightInit())
                .convolutionMode(ConvolutionMode.Truncate);
        // one explicit list: DL4J's builder methods l2() and weightDecay() each silently remove the other
        RegularizationSpec r = hp.regularization();
        List<Regularization> penalties = new ArrayList<>();
        if (r.l1() > 0) {
            penalties.add(new L1Regularization(r.l1()));
        }
        if (r.l2() > 0) {
            penalties.add(new L2Regularization(r.l2()));
        }
        if (r.weightDecay() > 0) {
            penalties.add(new WeightDecay(r.weightDecay(), true));
        }
        b.regularization(penalties);
        return b;
    }

    /** The DL4J layer for a non-residual, non-flatten spec layer. */
    static Layer layer(LayerSpec spec, String name, int numClasses) {
        Layer.Builder<?> b;
        if (spec instanceof LayerSpec.Dense d) {
            DenseLayer.Builder db = new DenseLayer.Builder().nOut(d.units())
                    .activation(Activations.parse(d.activation())).hasBias(d.bias());
            if (d.weightInit() != null) {
                db.weightInit(d.weightInit().toWeightInit());
            }
            b = db;
        } else if (spec instanceof LayerSpec.Conv c) {
            ConvolutionLayer.Builder cb = new ConvolutionLayer.Builder(c.kernel(), c.kernel())
                    .stride(c.stride(), c.stride()).nOut(c.filters()).convolutionMode(mode(c.padding()))
                    .activation(Activations.parse(c.activation())).hasBias(c.bias());
            if (c.weightInit() != null) {
                cb.weightInit(c.weightInit().toWeightInit());
            }
            b = cb;
        } else if (spec instanceof LayerSpec.Pool p) {
            b = new SubsamplingLayer.Builder(p.kind().equals("max")
                    ? SubsamplingLayer.PoolingType.MAX : SubsamplingLayer.PoolingType.AVG)
                    .kernelSize(p.size(), p.size()).stride(p.stride(), p.stride()).convolutionMode(mode(p.padding()));
        } else if (spec instanceof LayerSpec.GlobalAvgPool) {
            b = new GlobalPoolingLayer.Builder(PoolingType.AVG);
        } else if (spec instanceof LayerSpec.Dropout d) {
            b = new DropoutLayer.Builder(1.0 - d.rate());
        } else if (spec instanceof LayerSpec.BatchNorm) {
            b = new BatchNormalization.Builder();
        } else if (spec instanceof LayerSpec.Activation a) {
            b = new ActivationLayer.Builder().activation(Activations.parse(a.function()));
        } else if (spec instanceof LayerSpec.Output o) {
            OutputLayer.Builder ob = new OutputLayer.Builder(o.loss().function()).nOut(numClasses)
                    .activation(Activations.parse(o.effectiveActivation()));
            if (o.weightInit() != null) {
                ob.weightInit(o.weightInit().toWeightInit());
            }
            b = ob;
        } else {
            throw new IllegalStateException(spec.type() + " has no single DL4J layer");
        }
        return b.name(name).build();
    }

    private static ConvolutionMode mode(String padding) {
        return padding.equals("same") ? ConvolutionMode.Same : ConvolutionMode.Truncate;
    }

    /** Row names: the type and a per-type counter, e.g. conv1, maxpool1, conv2. */
    static List<String> names(ModelSpec spec) {
        Map<String, Integer> counts = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            if (l instanceof LayerSpec.Output) {
                names.add("output");
            } else {
                int n = counts.merge(l.type(), 1, Integer::sum);
                names.add(l.type() + n);
            }
        }
        return names;
    }

    /**
     * DL4J 1.0.0-M2.1 copies a global weight decay into every layer twice (so it would decay at double the rate);
     * keep each penalty once.
     */
    static void dedupeRegularization(Layer layer) {
        if (layer instanceof BaseLayer b && b.getRegularization() != null) {
            b.setRegularization(new ArrayList<>(new LinkedHashSet<>(b.getRegularization())));
        }
    }

    static long params(Layer layer) {
        return layer.initializer().numParams(layer);
    }

    /** Batch norm's running mean and variance, and everything in a frozen layer, are not trained by the optimizer. */
    static long nonTrainable(Layer layer) {
        if (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
            return params(layer);
        }
        if (layer instanceof BatchNormalization bn) {
            return 2 * bn.getNOut();
        }
        return 0;
    }

    static String shape(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return String.format(Locale.ROOT, "%d x %d x %d", c.getHeight(), c.getWidth(), c.getChannels());
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            return Long.toString(f.getSize());
        }
        return t.toString();
    }

    /** A valid-padded window must fit its input: DL4J's shape arithmetic silently yields sizes of 0 or less. */
    static void checkFits(LayerSpec l, String name, InputType in, InputShape input) {
        int window = 0;
        if (l instanceof LayerSpec.Conv c && c.padding().equals("valid")) {
            window = c.kernel();
        } else if (l instanceof LayerSpec.Pool p && p.padding().equals("valid")) {
            window = p.size();
        }
        if (window > 0 && in instanceof InputType.InputTypeConvolutional c
                && (c.getHeight() < window || c.getWidth() < window)) {
            throw new IllegalArgumentException("does not fit input " + input + ": layer " + name + " has a "
                    + window + "x" + window + " window but its input is only " + shape(in)
                    + "; use a larger input or padding = same");
        }
    }

    static InputType flattened(InputType t) {
        return InputType.feedForward(t.arrayElementsPerExample());
    }

    /** A layer stack: one DL4J layer per spec layer, flatten as DL4J's CNN-to-dense preprocessor. */
    private record StackPlan(ModelSpec spec, InputShape input, int numClasses, Hyperparameters hp, DataType dataType) {
        NetworkDefinition build(InputType inputType) {
            List<String> names = names(spec);
            NeuralNetConfiguration.ListBuilder list = base(spec, hp, dataType).list();
            List<Integer> dl4jIndex = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < spec.layers().size(); i++) {
                LayerSpec l = spec.layers().get(i);
                if (l instanceof LayerSpec.Flatten) {
                    dl4jIndex.add(-1);
                } else {
                    list.layer(layer(l, names.get(i), numClasses));
                    dl4jIndex.add(next++);
                }
            }
            MultiLayerConfiguration conf = list.setInputType(inputType).build();
            for (NeuralNetConfiguration layerConf : conf.getConfs()) {
                dedupeRegularization(layerConf.getLayer());
            }
            List<InputType> types = conf.getLayerActivationTypes(inputType);
            List<ModelSummary.Row> rows = new ArrayList<>();
            InputType previous = inputType;
            for (int i = 0; i < spec.layers().size(); i++) {
                int k = dl4jIndex.get(i);
                if (k < 0) {
                    previous = flattened(previous);
                    rows.add(new ModelSummary.Row(names.get(i), "flatten", shape(previous), 0, 0));
                } else {
                    Layer layer = conf.getConf(k).getLayer();
                    checkFits(spec.layers().get(i), names.get(i), previous, input);
                    previous = types.get(k);
                    rows.add(new ModelSummary.Row(names.get(i), spec.layers().get(i).type(), shape(previous),
                            params(layer), nonTrainable(layer)));
                }
            }
            return new NetworkDefinition(spec, input, numClasses, conf, null,
                    new ModelSummary(spec.name(), input.toString(), rows));
        }
    }

    /** A graph: residual blocks expand to convolution, batch-norm, add and activation vertices. */
    private record GraphPlan(ModelSpec spec, InputShape input, int numClasses, Hyperparameters hp, DataType dataType) {
        NetworkDefinition build(InputType inputType) {
            List<String> names = names(spec);
            ComputationGraphConfiguration.GraphBuilder g = base(spec, hp, dataType).graphBuilder().addInputs("input");
            String last = "input";
            long channels = input.channels();
            List<List<String>> vertices = new ArrayList<>();
            List<Boolean> flattenRow = new ArrayList<>();
            for (int i = 0; i < spec.layers().size(); i++) {
                LayerSpec l = spec.layers().get(i);
                String name = names.get(i);
                List<String> added = new ArrayList<>();
                flattenRow.add(l instanceof LayerSpec.Flatten);
                if (l instanceof LayerSpec.Residual r) {
                    last = residual(g, r, name, last, channels, added);
                    channels = r.outChannels();
                } else if (!(l instanceof LayerSpec.Flatten)) {
                    g.addLayer(name, layer(l, name, numClasses), last);
                    added.add(name);
                    last = name;
                    if (l instanceof LayerSpec.Conv c) {
                        channels = c.filters();
                    }
                }
                vertices.add(added);
            }
            ComputationGraphConfiguration conf = g.setOutputs(last).setInputTypes(inputType).build();
            for (GraphVertex v : conf.getVertices().values()) {
                if (v instanceof LayerVertex lv) {
                    dedupeRegularization(lv.getLayerConf().getLayer());
                }
            }
            Map<String, InputType> types = conf.getLayerActivationTypes(inputType);
            List<ModelSummary.Row> rows = new ArrayList<>();
            InputType previous = inputType;
            for (int i = 0; i < spec.layers().size(); i++) {
                if (flattenRow.get(i)) {
                    previous = flattened(previous);
                    rows.add(new ModelSummary.Row(names.get(i), "flatten", shape(previous), 0, 0));
                    continue;
                }
                long params = 0;
                long frozen = 0;
                for (String v : vertices.get(i)) {
                    GraphVertex vertex = conf.getVertices().get(v);
                    if (vertex instanceof LayerVertex lv) {
                        params += params(lv.getLayerConf().getLayer());
                        frozen += nonTrainable(lv.getLayerConf().getLayer());
                    }
                }
                List<String> vs = vertices.get(i);
                checkFits(spec.layers().get(i), names.get(i), previous, input);
                previous = types.get(vs.get(vs.size() - 1));
                rows.add(new ModelSummary.Row(names.get(i), spec.layers().get(i).type(), shape(previous), params,
                        frozen));
            }
            return new NetworkDefinition(spec, input, numClasses, null, conf,
                    new ModelSummary(spec.name(), input.toString(), rows));
        }

        /** Adds one residual block after {@code in}; returns the name of its last vertex. */
        private static String residual(ComputationGraphConfiguration.GraphBuilder g, LayerSpec.Residual r, String name,
                                       String in, long inChannels, List<String> added) {
            String shortcut = in;
            if (r.stride() != 1 || inChannels != r.outChannels()) {
                String conv = name + "_proj";
                String bn = name + "_proj_bn";
                g.addLayer(conv, convLayer(conv, 1, r.stride(), r.outChannels()), in);
                g.addLayer(bn, new BatchNormalization.Builder().name(bn).build(), conv);
                added.add(conv);
                added.add(bn);
                shortcut = bn;
            }
            String x = in;
            int[][] convs = r.bottleneck()
                    ? new int[][] {{1, 1, r.filters()}, {3, r.stride(), r.filters()}, {1, 1, r.outChannels()}}
                    : new int[][] {{3, r.stride(), r.filters()}, {3, 1, r.filters()}};
            for (int j = 0; j < convs.length; j++) {
                String conv = name + "_conv" + (j + 1);
                String bn = name + "_bn" + (j + 1);
                g.addLayer(conv, convLayer(conv, convs[j][0], convs[j][1], convs[j][2]), x);
                g.addLayer(bn, new BatchNormalization.Builder().name(bn).build(), conv);
                added.add(conv);
                added.add(bn);
                x = bn;
                if (j < convs.length - 1) {
                    String act = name + "_relu" + (j + 1);
                    g.addLayer(act, new ActivationLayer.Builder().activation(Activation.RELU).name(act).build(), bn);
                    added.add(act);
                    x = act;
                }
            }
            String add = name + "_add";
            String out = name + "_out";
            g.addVertex(add, new ElementWiseVertex(ElementWiseVertex.Op.Add), x, shortcut);
            g.addLayer(out, new ActivationLayer.Builder().activation(Activation.RELU).name(out).build(), add);
            added.add(add);
            added.add(out);
            return out;
        }

        private static Layer convLayer(String name, int kernel, int stride, int filters) {
            return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                    .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).hasBias(false)
                    .name(name).build();
        }
    }
}
