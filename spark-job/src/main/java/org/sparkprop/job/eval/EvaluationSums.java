package org.sparkprop.job.eval;

import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What evaluating a network on some batches adds up to: DL4J's {@link Evaluation} and the loss summed over examples.
 * The one place a batch is scored, on the driver ({@link DriverEvaluator}) and on the executors
 * ({@link ExecutorEvaluator}, which merges one of these per partition in partition order), so both give the same
 * figures.
 */
final class EvaluationSums implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Evaluation evaluation;
    private final java.util.ArrayList<org.sparkprop.data.folder.BadInput> skipped = new java.util.ArrayList<>();
    private double lossSum;
    private long examples;
    private transient NeuralNetwork regularizedFor;
    private transient double regularization;

    EvaluationSums(List<String> classes) {
        evaluation = new Evaluation(new java.util.ArrayList<>(classes), // mutable: Kryo rebuilds it by adding
                classes.size() > EvaluationResult.TOP5_ABOVE_CLASSES ? 5 : 1);
    }

    /**
     * Scores one batch in inference mode (no dropout, batch norm with its running statistics), with one forward pass
     * where the output layer is softmax (the loss is computed from the predictions), two otherwise.
     */
    void add(NeuralNetwork network, DataSet batch) {
        INDArray predicted;
        double loss;
        if (network instanceof MultiLayerNetwork mln) {
            predicted = mln.output(batch.getFeatures(), false);
            Double onePass = lossFromOutput(mln, mln.getOutputLayer(), batch, predicted);
            loss = onePass != null ? onePass : mln.score(batch, false);
        } else if (network instanceof ComputationGraph graph) {
            predicted = graph.outputSingle(false, batch.getFeatures());
            Double onePass = graph.getNumOutputArrays() == 1 ? lossFromOutput(graph, graph.getOutputLayer(0),
                    batch, predicted) : null;
            loss = onePass != null ? onePass : graph.score(batch, false);
        } else {
            throw new IllegalArgumentException("cannot evaluate a " + network.getClass().getName());
        }
        evaluation.eval(batch.getLabels(), predicted);
        lossSum += loss * batch.numExamples();
        examples += batch.numExamples();
    }

    /**
     * DL4J's {@code score(batch, false)} from the predictions already computed, without a second forward pass: the
     * output layer's loss on the pre-activations that give these softmax outputs ({@code log p}, as
     * softmax(log p) = p), summed and divided by the batch size, plus the network's regularization term, as
     * {@code BaseOutputLayer.computeScore} adds them. Null (score it the usual way) for an output layer that is not
     * softmax or a batch with a label mask.
     */
    private Double lossFromOutput(NeuralNetwork network, org.deeplearning4j.nn.api.Layer outputLayer, DataSet batch,
                                  INDArray predicted) {
        if (!(outputLayer.conf().getLayer() instanceof BaseOutputLayer out)
                || !(out.getActivationFn() instanceof ActivationSoftmax) || batch.getLabelsMaskArray() != null) {
            return null;
        }
        INDArray preOutput = Transforms.log(predicted, true);
        double data = out.getLossFn().computeScore(batch.getLabels(), preOutput, out.getActivationFn(), null, false)
                / batch.numExamples();
        if (regularizedFor != network) { // one network per evaluation: its parameters do not change meanwhile
            regularization = network instanceof MultiLayerNetwork mln ? mln.calcRegularizationScore(true)
                    : ((ComputationGraph) network).calcRegularizationScore(true);
            regularizedFor = network;
        }
        return data + regularization;
    }

    /** Records an input that could not be scored (images decoded on the executors). */
    void skip(org.sparkprop.data.folder.BadInput bad) {
        skipped.add(bad);
    }

    List<org.sparkprop.data.folder.BadInput> skipped() {
        return skipped;
    }

    /** Adds {@code other}'s counts, loss and skipped inputs to these. */
    EvaluationSums merge(EvaluationSums other) {
        evaluation.merge(other.evaluation);
        skipped.addAll(other.skipped);
        lossSum += other.lossSum;
        examples += other.examples;
        return this;
    }

    EvaluationResult result(List<String> classes) {
        return new EvaluationResult(evaluation, examples > 0 ? lossSum / examples : Double.NaN, classes);
    }
}
