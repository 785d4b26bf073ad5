package org.sparkprop.job.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.sparkprop.job.config.TransferSection;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.LocalSparkTestBase;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.job.checkpoint.CheckpointStore;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.IdxData;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.job.TestConfig;
import org.sparkprop.job.TestData;

/**
 * Transfer learning on a slice of real MNIST: a lenet-bn (batch norm inside the part that gets frozen) pretrained by
 * this trainer on digits 0-4 is transferred to digits 5-9.
 */
class TransferLearningTest extends LocalSparkTestBase {
    @TempDir
    static Path shared;
    static String pretrained;

    @TempDir
    Path dir;

    @BeforeAll
    static void pretrainOnDigitsZeroToFour() throws Exception {
        TestData.requireMnist();
        Path out = shared.resolve("pretrained");
        train(config(out, "model.name=lenet-bn", "data.classes=[0,1,2,3,4]", "data.train-limit=960"), false);
        pretrained = out.resolve("model.zip").toString();
    }

    private static TrainConfig config(Path out, String... overrides) {
        return TestConfig.quickStart(out).set("epochs=1", "data.test-limit=300", "batch-size=16",
                "averaging-frequency=2", "spark.workers=2", "report=false").set(overrides).build();
    }

    /** A transfer of the pretrained network to digits 5-9. */
    private TrainConfig transfer(Path out, String... overrides) {
        List<String> all = new ArrayList<>(List.of("transfer.source=" + pretrained, "data.classes=[5,6,7,8,9]",
                "data.train-per-class=64"));
        all.addAll(List.of(overrides));
        return config(out, all.toArray(String[]::new));
    }

    private static String train(TrainConfig config, boolean resume) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new TrainJob(config, RunOptions.NEW_RUN.resuming(resume), new PrintStream(console, true, StandardCharsets.UTF_8),
                new DatasetFetcher()).run(sc());
        return console.toString(StandardCharsets.UTF_8);
    }

    private static TransferModel build(String mode, String freeze, Integer unfreezeTop) {
        MultiLayerNetwork net = PretrainedModels.load(pretrained, new Configuration());
        return TransferModels.build(net, pretrained, new TransferModels.Settings(TransferSection.Mode.of(mode), freeze,
                        unfreezeTop == null ? 1 : unfreezeTop, 0.001), new InputShape(28, 28, 1), 3,
                Hyperparameters.defaults(7));
    }

    private static float[] values(INDArray a) {
        return a.dup().data().asFloat();
    }

    /** Parameters of layers 0..count-1 of {@code net}, concatenated. */
    private static float[] firstLayers(MultiLayerNetwork net, int count) {
        List<Float> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (net.getLayer(i).numParams() > 0) {
                for (float f : values(net.getLayer(i).params())) {
                    all.add(f);
                }
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void freezingByCountAndByNameFreezesExactlyThoseLayers() {
        TransferModel byCount = build("feature-extractor", "4", null);
        TransferModel byName = build("feature-extractor", "maxpool1", null);
        assertEquals(4, byCount.frozenLayers());
        assertEquals(4, byName.frozenLayers());
        for (TransferModel t : List.of(byCount, byName)) {
            for (int i = 0; i < t.network().getnLayers(); i++) {
                assertEquals(i < 4, t.network().getLayer(i) instanceof FrozenLayer, "layer " + i);
            }
        }
        TransferModel everything = build("feature-extractor", null, null);
        assertEquals(everything.network().getnLayers() - 1, everything.frozenLayers());
        TransferModel fineTune = build("fine-tune", null, 2);
        assertEquals(fineTune.network().getnLayers() - 3, fineTune.frozenLayers());
        assertEquals(0, build("scratch", null, null).frozenLayers());
    }

    @Test
    void theHeadIsReplacedForTheNewClassCountKeepingLossAndActivationAndScratchStartsAfresh() {
        TransferModel t = build("feature-extractor", null, null);
        MultiLayerNetwork net = t.network();
        OutputLayer out = (OutputLayer) net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer();
        assertEquals(3, out.getNOut());
        assertEquals(50, out.getNIn());
        assertInstanceOf(LossMCXENT.class, out.getLossFn());
        assertInstanceOf(ActivationSoftmax.class, out.getActivationFn());
        assertEquals(3, net.output(Nd4j.rand(2, 1, 28, 28)).size(1));

        MultiLayerNetwork original = PretrainedModels.load(pretrained, new Configuration());
        assertArrayEquals(values(original.getLayer(0).params()), values(net.getLayer(0).params()));
        assertFalse(java.util.Arrays.equals(values(original.getLayer(0).params()),
                values(build("scratch", null, null).network().getLayer(0).params())));
    }

    @Test
    void theHeadOnTheFeaturesComputesWhatTheWholeNetworkComputesOnTheImages() {
        TransferModel t = build("feature-extractor", "conv2", null); // head: batch norm, dense and output layers
        DataSet images = new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 1, 28, 28),
                Nd4j.eye(8).getColumns(0, 1, 2));
        INDArray whole = t.network().output(images.getFeatures(), false);
        INDArray fromFeatures = t.head().output(t.featurize(images).getFeatures(), false);
        assertArrayEquals(values(whole), values(fromFeatures), 1e-6f);
        assertArrayEquals(values(whole), values(t.withHead(t.head()).output(images.getFeatures(), false)), 1e-6f);
    }

    @Test
    void fineTuningOnSparkKeepsFrozenParametersAndBatchNormStatisticsBitIdenticalThroughAveragingAndResume()
            throws Exception {
        Path out = dir.resolve("fine-tune");
        // 3 workers on local[2]: the average of three equal floats is not always that float again (DL4J's averaging:
        // a barrier stage cannot start 3 tasks on 2 slots; the allreduce trainer's replicas restore theirs the same way)
        TrainConfig config = transfer(out, "transfer.mode=fine-tune", "transfer.freeze=activation3", "epochs=2",
                "spark.workers=3", "spark.trainer=averaging", "checkpoint.every-minutes=0.000001",
                "checkpoint.keep=1000");
        String printed = train(config, false);
        assertTrue(printed.contains("fine-tune, 11 of 13 layers frozen"), printed);

        MultiLayerNetwork before = PretrainedModels.load(pretrained, new Configuration());
        MultiLayerNetwork after = ModelStore.load(out.resolve("model.zip"));
        assertArrayEquals(firstLayers(before, 11), firstLayers(after, 11), "frozen layers, batchnorm statistics too");
        assertFalse(java.util.Arrays.equals(values(before.getLayer(11).params()), values(after.getLayer(11).params())),
                "dense1 is fine-tuned");
        assertInstanceOf(BatchNormalization.class, after.getLayerWiseConfigurations().getConf(1).getLayer(),
                "model.zip holds the plain network, not frozen wrappers");

        // Resume from a checkpoint in the middle of epoch 2: the frozen part stays as it was.
        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints").toString(), 1000, new Configuration());
        List<String> all = store.list();
        String mid = all.get(all.size() / 2 + 1);
        deleteCheckpointsAfter(store, mid);
        Files.delete(out.resolve("model.zip"));
        Files.delete(out.resolve("metrics.json"));
        String resumed = train(transfer(out, "transfer.mode=fine-tune", "transfer.freeze=activation3", "epochs=2",
                "spark.workers=3", "spark.trainer=averaging"), true);
        assertTrue(resumed.contains("resuming from " + mid), resumed);
        MultiLayerNetwork afterResume = ModelStore.load(out.resolve("model.zip"));
        assertArrayEquals(firstLayers(before, 11), firstLayers(afterResume, 11));
        // The trained layers match to float rounding only: with 3 workers Spark's reduce adds the workers' results
        // in the order their tasks finish, and (a + b) + c is not always (a + c) + b. Bit-exact resume of trained
        // layers is CheckpointResumeTest's (2 workers, where the sum does not depend on order).
        assertArrayEquals(values(after.params()), values(afterResume.params()), 1e-5f, "resume continues the run");
    }

    @Test
    void featurizeOnceTrainsTheHeadFromStoredFeaturesAndSavesAWholeNetworkThatEvaluateReads() throws Exception {
        Path out = dir.resolve("features");
        String printed = train(transfer(out, "epochs=2"), false);
        assertTrue(printed.contains("featurized 320 training images once through the 12 frozen layers"), printed);
        assertFalse(Files.exists(out.resolve("features")), "features are deleted after training");

        MultiLayerNetwork saved = ModelStore.load(out.resolve("model.zip"));
        MultiLayerNetwork before = PretrainedModels.load(pretrained, new Configuration());
        assertArrayEquals(firstLayers(before, 12), firstLayers(saved, 12));
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("once", metrics.get("transfer").get("featurize").asText());
        assertEquals(12, metrics.get("transfer").get("frozen_layers").asInt());
        // The saved whole network, on the test images, gives the figure the run reported.
        TrainConfig config = transfer(out);
        List<DataSet> test = IdxData.load(config, new DatasetFetcher(), System.out).test().load();
        org.nd4j.evaluation.classification.Evaluation e = saved.evaluate(
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(test));
        assertEquals(metrics.get("final").get("accuracy").asDouble(), e.accuracy(), 1e-9);
        assertTrue(e.accuracy() > 0.5, "transfer to digits 5-9 from 320 images: " + e.accuracy());
        assertNotNull(ModelStore.input(out.resolve("model.zip")));

        // `evaluate --data mnist` on a digits-5-9 model: the other digits' test images are left out, and counted.
        org.sparkprop.job.eval.SavedModelEvaluation.Outcome outcome = org.sparkprop.job.eval.SavedModelEvaluation.run(
                out.resolve("model.zip"), "mnist", new DatasetFetcher(), System.out);
        assertEquals(5139, outcome.skipped(), "MNIST's test set has 4,861 images of digits 5-9");
        assertEquals(4861, outcome.result().examples());
        assertTrue(outcome.result().accuracy() > 0.5, "accuracy " + outcome.result().accuracy());
    }

    @Test
    void anImageFolderIsFeaturizedFromItsBatchFilesOnTheExecutors() throws Exception {
        Path root = org.sparkprop.job.SyntheticImages.bandFolder(dir.resolve("bands"), 28, 40, 5);
        Path out = dir.resolve("folder-transfer");
        String printed = train(config(out, "transfer.source=" + pretrained, "data.path=" + root,
                "data.image-size=28x28x1", "epochs=3"), false);
        // 0.8 of 120 images train, in batches of 16 written by the pre-batched copy and featurized file by file
        assertTrue(printed.contains("featurized 96 training images once through the 12 frozen layers on the executors"),
                printed);
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("val", metrics.get("epoch_evaluation").asText());
        assertTrue(metrics.get("final").get("accuracy").asDouble() > 0.6, metrics.get("final").toString());
    }
}
