package org.sparkprop.data;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One local[2] SparkContext for every data-prep test in the JVM, with Kryo as the job uses it, so records, tuples
 * and arrays cross task boundaries as they do in production (ND4J's registrator lives in dl4j-spark, which
 * data-prep does not use: no INDArray crosses a task boundary here).
 */
public abstract class LocalSparkTestBase {
    private static JavaSparkContext sc;

    protected static synchronized JavaSparkContext sc() {
        if (sc == null) {
            SparkConf conf = new SparkConf()
                    .setAppName("data-prep-tests")
                    .setMaster("local[2]")
                    .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .set("spark.kryo.registrator", DataPrepKryoRegistrator.NAME)
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.enabled", "false");
            sc = new JavaSparkContext(conf);
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }
}
