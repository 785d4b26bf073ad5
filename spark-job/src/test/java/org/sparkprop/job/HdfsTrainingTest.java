package org.sparkprop.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.output.ModelStore;

/**
 * A real HDFS (Hadoop's MiniDFSCluster: a NameNode and a DataNode in this JVM, reached over hdfs:// on loopback):
 * the training images are read from it, the pre-batched copy and the checkpoints are written to it, and a run cut
 * off in the middle resumes from its checkpoints there and ends with the uninterrupted run's parameters.
 */
class HdfsTrainingTest extends LocalSparkTestBase {
    @TempDir
    static Path base;
    static MiniDFSCluster hdfs;
    static String uri;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        uri = hdfs.getURI().toString(); // hdfs://localhost:PORT
        Path local = SyntheticImages.bandFolder(base.resolve("bands"), 12, 30, 3);
        FileSystem fs = hdfs.getFileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/data/bands"));
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    private TrainConfig config(Path out, String checkpoints, String... overrides) {
        return TestConfig.smallFolder(uri + "/data/bands", out).set("data.batches", uri + "/data/bands-batches")
                .set("model.hidden=[16]", "batch-size=6", "averaging-frequency=1", "epochs=2", "report=false",
                        "spark.allreduce.stage-seconds=0.000001") // a stage per round: a checkpoint can follow each
                .set("checkpoint.dir", uri + checkpoints).set(overrides).build();
    }

    private static String train(TrainConfig config, boolean resume) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new TrainJob(config, RunOptions.NEW_RUN.resuming(resume), new PrintStream(console, true, StandardCharsets.UTF_8),
                new DatasetFetcher()).run(sc());
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsFromHdfsCheckpointsThereAndResumesFromThemExactly() throws Exception {
        String whole = train(config(dir.resolve("whole"), "/runs/whole/checkpoints"), false);
        assertTrue(whole.contains("image folder " + uri + "/data/bands: 3 classes, 90 files"), whole);
        FileSystem fs = hdfs.getFileSystem();
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/data/bands-batches/manifest.json"))
                || fs.listStatus(new org.apache.hadoop.fs.Path("/data/bands-batches")).length > 0,
                "the pre-batched copy is on HDFS");

        // Checkpoint after every round to HDFS, then cut the run off in epoch 2 by deleting the later checkpoints.
        String dirOnHdfs = "/runs/cut/checkpoints";
        train(config(dir.resolve("cut"), dirOnHdfs, "checkpoint.every-minutes=0.000001", "checkpoint.keep=1000"), false);
        CheckpointStore store = new CheckpointStore(uri + dirOnHdfs, 1000, new Configuration());
        List<String> all = store.list();
        assertTrue(all.size() > 4 && all.stream().allMatch(p -> p.startsWith(uri + dirOnHdfs)), all.toString());
        String resumeFrom = all.stream().filter(p -> p.contains("checkpoint-00002-") && !p.endsWith("-00000000.zip"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no epoch-2 checkpoint in " + all));
        deleteCheckpointsAfter(store, resumeFrom);
        Files.delete(dir.resolve("cut/model.zip"));
        Files.delete(dir.resolve("cut/metrics.json"));

        String resumed = train(config(dir.resolve("cut"), dirOnHdfs), true);
        assertTrue(resumed.contains("resuming from " + resumeFrom), resumed);
        MultiLayerNetwork a = ModelStore.load(dir.resolve("whole/model.zip"));
        MultiLayerNetwork b = ModelStore.load(dir.resolve("cut/model.zip"));
        assertArrayEquals(a.params().data().asFloat(), b.params().data().asFloat());
        assertEquals(2, new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                dir.resolve("cut/metrics.json").toFile()).get("epochs").size());
    }

    @Test
    void aPretrainedNetworkIsReadFromHdfs() throws Exception {
        MultiLayerNetwork net = org.sparkprop.model.build.NetworkBuilder.build(
                org.sparkprop.model.ModelCatalog.spec("seed-mlp", org.sparkprop.model.zoo.ModelOptions.NONE),
                new org.sparkprop.model.InputShape(28, 28, 1), 10,
                org.sparkprop.model.hyper.Hyperparameters.defaults(1)).newMultiLayerNetwork();
        Path local = dir.resolve("pretrained.zip");
        ModelStore.save(net, local);
        hdfs.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()),
                new org.apache.hadoop.fs.Path("/models/pretrained.zip"));
        MultiLayerNetwork loaded = org.sparkprop.job.transfer.PretrainedModels.load(uri + "/models/pretrained.zip",
                new Configuration());
        assertArrayEquals(net.params().data().asFloat(), loaded.params().data().asFloat());
    }

    @Test
    void modelsArePromotedToHdfsAtomicallyAndRolledBackThere() throws Exception {
        String served = uri + "/served/bands";
        org.sparkprop.job.promote.Promotion.Outcome[] outcomes = new org.sparkprop.job.promote.Promotion.Outcome[2];
        for (int run = 0; run < 2; run++) {
            TrainConfig config = config(dir.resolve("promote-" + run), "/runs/promote-" + run + "/checkpoints");
            org.sparkprop.job.promote.Promotion promotion = new org.sparkprop.job.promote.Promotion(served, false,
                    config.promote(), new Configuration());
            new TrainJob(config, RunOptions.NEW_RUN.promotingTo(promotion), new PrintStream(
                    new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new DatasetFetcher()).run(sc());
            outcomes[run] = promotion.outcome();
        }
        FileSystem fs = hdfs.getFileSystem();
        assertTrue(outcomes[1].promoted(), "the same seed and data give the same accuracy: a tie promotes");
        assertEquals(outcomes[0].candidate().accuracy(), outcomes[1].served().accuracy());
        assertEquals(outcomes[1].model(), new String(fs.open(new org.apache.hadoop.fs.Path("/served/bands/current"))
                .readAllBytes(), StandardCharsets.UTF_8).trim());
        assertEquals(java.util.Set.of("_sparkprop-served", "current", "history.jsonl", outcomes[0].model(),
                outcomes[1].model()), java.util.Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(
                "/served/bands"))).map(st -> st.getPath().getName()).collect(java.util.stream.Collectors.toSet()),
                "no temporary file or lock left on HDFS");

        org.sparkprop.job.promote.ServedModels models = org.sparkprop.job.promote.ServedModels.at(served, "--to",
                new Configuration());
        models.rollback(new Configuration());
        assertEquals(outcomes[0].model(), models.current());
        assertArrayEquals(Files.readAllBytes(dir.resolve("promote-0/model.zip")), fs.open(
                new org.apache.hadoop.fs.Path("/served/bands/" + models.current())).readAllBytes());
        assertEquals(3, models.history().size());
    }
}
