package org.sparkprop.job.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.train.EpochProgress;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static MultiLayerNetwork trainedNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(1);
        net.fit(new DataSet(Nd4j.rand(8, 4), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1)));
        return net;
    }

    private static CheckpointState state(int epoch, int batches) {
        return new CheckpointState(new EpochProgress(epoch, batches, 100, 3, 1.5, 96, 2.0, 42), 7,
                CheckpointStore.hash(Map.of("k", "v")), Map.of("k", "v"), false,
                List.of(MetricsReport.Epoch.of(1, 0.5, "test", 0.9, 100, 10, 12, 0.4, 0.88)), 1, 0.9, 0, 12.5);
    }

    @Test
    void aCheckpointRestoresParametersUpdaterStateCountersAndItsState() throws Exception {
        MultiLayerNetwork net = trainedNetwork();
        CheckpointStore store = new CheckpointStore(dir.toString(), 2, new Configuration());

        String uri = store.write(net, state(2, 24));
        Checkpoint back = store.newest();

        assertEquals(uri, back.uri());
        assertTrue(uri.endsWith("/checkpoint-00002-00000024.zip"), uri);
        MultiLayerNetwork restored = (MultiLayerNetwork) back.network();
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.getLayerWiseConfigurations().getIterationCount(),
                restored.getLayerWiseConfigurations().getIterationCount());
        assertEquals(state(2, 24), back.state());
    }

    @Test
    void onlyCompleteCheckpointsAreSeenAndTheLastKAreKept() throws Exception {
        MultiLayerNetwork net = trainedNetwork();
        CheckpointStore store = new CheckpointStore(dir.toString(), 2, new Configuration());
        store.write(net, state(2, 0));
        // What a crash during a write leaves: a hidden, half-copied temporary file.
        Files.write(dir.resolve(".checkpoint-00009-00000000.zip.tmp"), new byte[] {'P', 'K', 3});

        assertTrue(store.newest().uri().endsWith("checkpoint-00002-00000000.zip"));

        store.write(net, state(2, 50));
        store.write(net, state(3, 0));
        List<String> names = store.list().stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).toList();
        assertEquals(List.of("checkpoint-00002-00000050.zip", "checkpoint-00003-00000000.zip"), names);

        store.deleteAll();
        assertEquals(List.of(), store.list());
        assertTrue(!Files.exists(dir.resolve(".checkpoint-00009-00000000.zip.tmp")));
    }

    @Test
    void startingOverDeletesOnlyTheStoresOwnFiles() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.toString(), 2, new Configuration());
        store.write(trainedNetwork(), state(2, 0));
        store.writeBest(trainedNetwork());
        Files.writeString(dir.resolve("checkpoint-notes.txt"), "mine");
        Files.writeString(dir.resolve("checkpoint-old.zip"), "mine too");
        Files.writeString(dir.resolve(".bashrc.tmp"), "and mine");

        store.deleteAll();

        assertEquals(List.of(), store.list());
        assertTrue(!Files.exists(dir.resolve(CheckpointStore.BEST_FILE)));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(".bashrc.tmp", "checkpoint-notes.txt", "checkpoint-old.zip"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aFolderWithCheckpointNamesButNoMarkerIsNotEmptied() throws Exception {
        Files.writeString(dir.resolve("checkpoint-00001-00000000.zip"), "someone else's");
        Files.writeString(dir.resolve(CheckpointStore.BEST_FILE), "someone else's best");
        CheckpointStore store = new CheckpointStore(dir.toString(), 2, new Configuration());

        java.io.IOException e = assertThrows(java.io.IOException.class, store::deleteAll);

        assertEquals("Checkpoint folder " + store.dir() + " holds checkpoints but no _sparkprop-checkpoints file, so"
                + " sparkprop did not write it and deletes nothing in it. Delete them yourself, or set checkpoint.dir"
                + " elsewhere.", e.getMessage());
        assertTrue(Files.exists(dir.resolve(CheckpointStore.BEST_FILE)));
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousOneAndSaysSo() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.toString(), 3, new Configuration());
        store.write(trainedNetwork(), state(2, 0));
        String newest = store.write(trainedNetwork(), state(3, 0));
        Path file = Path.of(java.net.URI.create(newest));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2)); // a copy cut short
        List<String> warnings = new java.util.ArrayList<>();

        Checkpoint back = store.newest(warnings::add);

        assertEquals(2, back.state().next().epoch());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("warning: checkpoint " + newest + " cannot be read ("), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("; falling back to the previous one, " + store.list().get(0)),
                warnings.get(0));
        assertTrue(store.hasUnfinishedRun(3, warnings::add), "the run is still resumable");
    }

    @Test
    void aDifferentConfigIsRefusedNamingEachKeyWithBothValues() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.toString(), 2, new Configuration());
        store.write(trainedNetwork(), state(2, 0));
        Checkpoint checkpoint = store.newest();

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> CheckpointStore.checkCompatible(checkpoint, Map.of("k", "w", "extra", "1")));
        assertEquals("Cannot resume from " + checkpoint.uri() + ": it was trained with another configuration:"
                + " extra = 1 (checkpoint: (unset)), k = w (checkpoint: v). Resume with the checkpoint's values, or"
                + " start a new run (--overwrite, or another output).", e.getMessage());
        CheckpointStore.checkCompatible(checkpoint, Map.of("k", "v"));
    }

    @Test
    void aUsersFolderHoldingFilesButNoMarkerIsNeverWrittenInto() throws Exception {
        Path users = Files.createDirectories(dir.resolve("users"));
        Files.writeString(users.resolve("notes.txt"), "mine");
        Files.writeString(users.resolve("best-model.zip"), "my own model");
        CheckpointStore store = new CheckpointStore(users.toString(), 2, new Configuration());

        org.sparkprop.job.config.ConfigException e = assertThrows(org.sparkprop.job.config.ConfigException.class,
                store::checkWritable);

        assertEquals("Folder file:" + users + " (checkpoint.dir) holds 2 file(s) (best-model.zip, notes.txt) but no"
                + " _sparkprop-checkpoints marker, so sparkprop did not make it and writes nothing there. Point"
                + " checkpoint.dir at a new or empty folder.", e.getMessage());
        assertEquals("my own model", Files.readString(users.resolve("best-model.zip")));
        new CheckpointStore(dir.resolve("new").toString(), 2, new Configuration()).checkWritable();
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.writeString(locked.resolve(org.sparkprop.job.output.RunLock.FILE_NAME), "host=h\npid=1\n");
        new CheckpointStore(locked.toString(), 2, new Configuration()).checkWritable();
    }
}
