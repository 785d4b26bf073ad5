package org.sparkprop.job;

import java.io.IOException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.spark.SparkContexts;

/**
 * One local[2] SparkContext shared by every test in the JVM (as Spark's MLlibTestSparkContext and DL4J's
 * BaseSparkTest do): starting Spark costs seconds, and only one context may live per JVM. Built with the same
 * {@link SparkContexts#conf} the job uses, so tests exercise Kryo with ND4J's registrator.
 */
public abstract class LocalSparkTestBase {
    private static JavaSparkContext sc;

    protected static synchronized JavaSparkContext sc() {
        if (sc == null) {
            SparkConf conf = SparkContexts.conf("sparkprop-tests", "local[2]")
                    .set("spark.ui.enabled", "false");
            sc = SparkContexts.start(conf);
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }

    /**
     * "Kills" a run after checkpoint {@code keep}: deletes every later checkpoint in {@code store}, on whatever Hadoop
     * file system it lives.
     */
    protected static void deleteCheckpointsAfter(org.sparkprop.job.checkpoint.CheckpointStore store, String keep)
            throws IOException {
        java.util.List<String> all = store.list();
        for (String later : all.subList(all.indexOf(keep) + 1, all.size())) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(later);
            path.getFileSystem(new org.apache.hadoop.conf.Configuration()).delete(path, false);
        }
    }
}
