package org.sparkprop.job.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.export.HadoopSource;
import org.sparkprop.data.fs.OwnedFolder;
import org.sparkprop.job.config.TransferSection;
import org.sparkprop.job.data.ExecutorBatches;
import scala.Tuple2;

/**
 * Runs a transfer model's frozen body once over the training set on the executors and stores the features (the
 * body's output, with the labels) as one DL4J DataSet file per mini-batch under a Hadoop folder, which the head's
 * training then reads every epoch instead of the images. Each executor builds the network once per partition from the
 * broadcast configuration and parameters.
 */
public final class Featurizer {
    /** File name of feature batch {@code i}. */
    static String fileName(int i) {
        return String.format(java.util.Locale.ROOT, "train-%06d.bin", i);
    }

    /**
     * @param files    feature batch files, in the training batches' order
     * @param examples examples in each
     * @param seconds  wall time of the pass
     */
    public record Features(List<String> files, List<Integer> examples, double seconds) {
        public long totalExamples() {
            return examples.stream().mapToLong(Integer::longValue).sum();
        }
    }

    private Featurizer() {
    }

    static final String MARKER = "_sparkprop-features";

    /** The features folder: only its marker and {@code train-NNNNNN.bin} files are ever deleted. */
    static OwnedFolder folder(String dir, Configuration hadoop) throws IOException {
        return new OwnedFolder(dir, hadoop, MARKER, Pattern.compile("train-\\d{6}\\.bin"), "features folder",
                TransferSection.FEATURES_DIR.name());
    }

    /** Featurizes {@code input} into {@code dir} (earlier features there deleted first). */
    public static Features featurize(JavaSparkContext sc, TransferModel model, ExecutorBatches input, String dir)
            throws IOException {
        long start = System.nanoTime();
        Configuration hadoop = sc.hadoopConfiguration();
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(hadoop);
        folder(dir, hadoop).claim(); // refuses a folder that holds anything but earlier features
        String rootUri = fs.makeQualified(root).toString();
        Broadcast<String> conf = sc.broadcast(model.network().getLayerWiseConfigurations().toJson());
        Broadcast<byte[]> params = sc.broadcast(Nd4j.toByteArray(model.network().params()));
        SerializableConfiguration hadoopConf = new SerializableConfiguration(hadoop);
        int frozen = model.frozenLayers();
        List<Tuple2<Integer, Integer>> written;
        if (input instanceof ExecutorBatches.InMemory m) {
            List<Tuple2<Integer, DataSet>> items = new ArrayList<>();
            for (int i = 0; i < m.batches().size(); i++) {
                items.add(new Tuple2<>(i, m.batches().get(i)));
            }
            JavaRDD<Tuple2<Integer, DataSet>> rdd = sc.parallelize(items, slices(sc, items.size()));
            written = rdd.mapPartitions(it -> run(it, conf, params, frozen, rootUri, hadoopConf, null)).collect();
        } else {
            ExecutorBatches.Files f = (ExecutorBatches.Files) input;
            List<Tuple2<Integer, String>> items = new ArrayList<>();
            for (int i = 0; i < f.paths().size(); i++) {
                items.add(new Tuple2<>(i, f.paths().get(i)));
            }
            DataSetLoader loader = f.loader();
            JavaRDD<Tuple2<Integer, String>> rdd = sc.parallelize(items, slices(sc, items.size()));
            written = rdd.mapPartitions(it -> run(it, conf, params, frozen, rootUri, hadoopConf, loader)).collect();
        }
        conf.destroy();
        params.destroy();
        List<Tuple2<Integer, Integer>> sorted = new ArrayList<>(written);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        List<String> files = new ArrayList<>();
        List<Integer> examples = new ArrayList<>();
        for (Tuple2<Integer, Integer> t : sorted) {
            files.add(rootUri + "/" + fileName(t._1()));
            examples.add(t._2());
        }
        return new Features(files, examples, (System.nanoTime() - start) / 1e9);
    }

    private static int slices(JavaSparkContext sc, int items) {
        return Math.max(1, Math.min(items, sc.defaultParallelism()));
    }

    /** Executor side: one partition's batches (DataSets, or paths read with {@code loader}) through the body. */
    private static <T> Iterator<Tuple2<Integer, Integer>> run(Iterator<Tuple2<Integer, T>> items,
                                                               Broadcast<String> conf, Broadcast<byte[]> params,
                                                               int frozen, String root,
                                                               SerializableConfiguration hadoop,
                                                               DataSetLoader loader) throws IOException {
        List<Tuple2<Integer, Integer>> out = new ArrayList<>();
        if (!items.hasNext()) {
            return out.iterator();
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
        net.init(Nd4j.fromByteArray(params.value()), false);
        FileSystem fs = new Path(root).getFileSystem(hadoop.value());
        while (items.hasNext()) {
            Tuple2<Integer, T> item = items.next();
            DataSet batch = item._2() instanceof DataSet ds ? ds
                    : loader.load(new HadoopSource(fs, (String) item._2()));
            DataSet features = TransferModel.featurize(net, frozen, batch);
            try (OutputStream stream = fs.create(new Path(root, fileName(item._1())), true)) {
                features.save(stream);
            }
            out.add(new Tuple2<>(item._1(), features.numExamples()));
        }
        return out.iterator();
    }

    /** Reads feature batch files written by {@link #featurize} (as DL4J's workers do, one file a mini-batch). */
    public static final class FeatureFileLoader implements DataSetLoader {
        @Override
        public DataSet load(Source source) throws IOException {
            DataSet batch = new DataSet();
            try (InputStream in = source.getInputStream()) {
                batch.load(in);
            }
            return batch;
        }
    }
}
