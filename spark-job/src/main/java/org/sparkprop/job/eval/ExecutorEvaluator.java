package org.sparkprop.job.eval;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.export.HadoopSource;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.folder.UnreadableInputException;
import org.sparkprop.job.data.ExecutorBatches;

/**
 * Evaluates a network on the executors: its configuration and parameters are broadcast once, each task rebuilds the
 * network and scores its share of the batches (read there from batch files, or sent from the driver for an IDX
 * dataset), and the driver merges one {@link EvaluationSums} per partition, in partition order. The figures are
 * {@link DriverEvaluator}'s: the same accuracy, per-class counts, confusion matrix and top-5; the mean loss differs at
 * most in its last digits (the sum is taken in partitions).
 */
public final class ExecutorEvaluator {
    private ExecutorEvaluator() {
    }

    public static EvaluationResult evaluate(JavaSparkContext sc, NeuralNetwork network, ExecutorBatches batches,
                                            List<String> classes) throws IOException {
        return score(sc, network, batches, classes).result();
    }

    /** The figures and the inputs skipped on the way (only images decoded on the executors can be). */
    public record Scored(EvaluationResult result, List<BadInput> skipped) {
    }

    /** As {@link #evaluate}, also returning the image files that could not be decoded ({@link ExecutorBatches.Images}). */
    public static Scored score(JavaSparkContext sc, NeuralNetwork network, ExecutorBatches batches,
                               List<String> classes) throws IOException {
        boolean graph = network instanceof ComputationGraph;
        Broadcast<String> conf = sc.broadcast(graph ? ((ComputationGraph) network).getConfiguration().toJson()
                : ((MultiLayerNetwork) network).getLayerWiseConfigurations().toJson());
        Broadcast<byte[]> params = sc.broadcast(Nd4j.toByteArray(network.params()));
        List<String> names = List.copyOf(classes);
        SerializableConfiguration hadoop = new SerializableConfiguration(sc.hadoopConfiguration());
        try {
            List<EvaluationSums> parts;
            if (batches instanceof ExecutorBatches.InMemory m) {
                JavaRDD<DataSet> rdd = sc.parallelize(m.batches(), slices(sc, m.batches().size()));
                parts = rdd.mapPartitions(it -> List.of(score(it, conf, params, graph, names, null, hadoop))
                        .iterator()).collect();
            } else if (batches instanceof ExecutorBatches.Files f) {
                DataSetLoader loader = f.loader();
                JavaRDD<String> rdd = sc.parallelize(f.paths(), slices(sc, f.paths().size()));
                parts = rdd.mapPartitions(it -> List.of(score(it, conf, params, graph, names, loader, hadoop))
                        .iterator()).collect();
            } else {
                ExecutorBatches.Images images = (ExecutorBatches.Images) batches;
                JavaRDD<ImageItem> rdd = sc.parallelize(images.items(), slices(sc, images.items().size()));
                ExecutorBatches.Images recipe = images.withoutItems();
                parts = rdd.mapPartitions(it -> List.of(score(new DecodedBatches(it, recipe, hadoop), conf, params,
                        graph, names, null, hadoop)).iterator()).collect();
            }
            EvaluationSums total = new EvaluationSums(names);
            for (EvaluationSums part : parts) { // partition order: the same sum on every run
                total.merge(part);
            }
            return new Scored(total.result(names), List.copyOf(total.skipped()));
        } catch (Exception e) { // a task's UnreadableInputException names the file
            throw UnreadableInputException.rethrow(e);
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    private static int slices(JavaSparkContext sc, int items) {
        return Math.max(1, Math.min(items, sc.defaultParallelism()));
    }

    /** Executor side: one partition's batches (DataSets, or batch file paths read with {@code loader}). */
    private static EvaluationSums score(Iterator<?> items, Broadcast<String> conf, Broadcast<byte[]> params,
                                        boolean graph, List<String> classes, DataSetLoader loader,
                                        SerializableConfiguration hadoop) throws IOException {
        EvaluationSums sums = new EvaluationSums(classes);
        if (items instanceof DecodedBatches decoded) {
            decoded.into(sums);
        }
        if (!items.hasNext()) {
            return sums;
        }
        NeuralNetwork network;
        if (graph) {
            ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf.value()));
            g.init(Nd4j.fromByteArray(params.value()), false);
            network = g;
        } else {
            MultiLayerNetwork mln = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
            mln.init(Nd4j.fromByteArray(params.value()), false);
            network = mln;
        }
        FileSystem fs = null;
        while (items.hasNext()) {
            Object item = items.next();
            DataSet batch;
            if (item instanceof DataSet ds) {
                batch = ds;
            } else {
                String path = (String) item;
                if (fs == null) {
                    fs = new Path(path).getFileSystem(hadoop.value());
                }
                batch = loader.load(new HadoopSource(fs, path));
            }
            sums.add(network, batch);
        }
        return sums;
    }
}
