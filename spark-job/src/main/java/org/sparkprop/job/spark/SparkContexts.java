package org.sparkprop.job.spark;

import org.apache.spark.SparkConf;
import org.sparkprop.data.DataPrepKryoRegistrator;
import org.sparkprop.data.fs.ForklessLocalFileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.config.TrainerSection;
import org.sparkprop.job.train.SparkTrainer;

/** Creates the job's SparkContext with the settings DL4J training needs. */
public final class SparkContexts {
    private SparkContexts() {
    }

    /**
     * A SparkConf for {@code master} (used only when spark-submit has not set one) with Kryo and ND4J's Kryo
     * registrator, which serializes INDArrays (off-heap) correctly and compactly.
     */
    public static SparkConf conf(String appName, String master) {
        SparkConf conf = new SparkConf()
                .setAppName(appName)
                .setIfMissing("spark.master", master)
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator," + DataPrepKryoRegistrator.NAME)
                // A round's tasks should start at once on any free core rather than wait for locality.
                .setIfMissing("spark.locality.wait", "0")
                // a barrier sync, if any code calls one, fails in minutes, not Spark's 365 days (the allreduce
                // trainer meets at its own rendezvous, with spark.allreduce.timeout-seconds)
                .setIfMissing("spark.barrier.sync.timeout", "600s")
                // file: writes without a forked chmod per file (the export writes one file per mini-batch)
                .setIfMissing("spark.hadoop.fs.file.impl", ForklessLocalFileSystem.class.getName());
        if (conf.get("spark.master").startsWith("local")) {
            // One JVM: keep driver and block manager on loopback, whatever the host name resolves to.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /**
     * The training job's SparkConf: {@link #conf(String, String)} for the config's master, plus GPU executor
     * resources when {@code spark.gpu.executor-amount} is set, and the JVM properties DL4J needs on executors for
     * the configured trainer ({@link SparkTrainer#jvmProperties}).
     */
    public static SparkConf conf(String appName, TrainConfig config) {
        SparkConf conf = conf(appName, config.trainer().sparkMaster());
        if (config.trainer().executorGpus() > 0) {
            conf.setIfMissing("spark.executor.resource.gpu.amount", Integer.toString(config.trainer().executorGpus()))
                    .setIfMissing("spark.executor.resource.gpu.discoveryScript", config.trainer().gpuDiscoveryScript());
            if (config.trainer().taskGpus() > 0) {
                conf.setIfMissing("spark.task.resource.gpu.amount", Double.toString(config.trainer().taskGpus()));
            }
        }
        StringBuilder options = new StringBuilder(conf.get("spark.executor.extraJavaOptions", ""));
        TrainerSection trainer = config.trainer();
        SparkTrainer.jvmProperties(trainer.collectStats(), trainer.method()).forEach((key, value) -> {
            if (options.indexOf("-D" + key + "=") < 0) {
                options.append(options.length() > 0 ? " " : "").append("-D").append(key).append('=').append(value);
            }
        });
        if (options.length() > 0) {
            conf.set("spark.executor.extraJavaOptions", options.toString());
        }
        return conf;
    }

    public static JavaSparkContext start(SparkConf conf) {
        return new JavaSparkContext(conf);
    }
}
