package org.sparkprop.job.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.augment.AugmentationParser;
import org.sparkprop.data.augment.AugmentationPipeline;
import org.sparkprop.data.augment.FloatImage;
import org.sparkprop.data.export.BatchFileLoader;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageLimits;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.job.config.DataSection;
import org.sparkprop.job.run.RunOptions;
import org.sparkprop.job.run.TrainJob;
import org.sparkprop.job.config.ConfigLoader;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.build.NetworkDefinition;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.zoo.ModelOptions;

/**
 * Data pipeline throughput next to training consumption, in one run on one machine. Pipeline stages run on one
 * thread (images/s per core; Spark runs one such task per core): decoding PNG/JPEG files, augmenting, and loading
 * a pre-batched file (what each epoch costs once the copy exists). Then a short LeNet run on Spark (all cores)
 * gives the rate training consumes images. Each pipeline figure is the median of several repeats.
 */
public final class PipelineBenchmark {
    private static final int REPEATS = 5;
    private static final List<Map<String, Object>> DIGIT_AUGMENTATION = List.of(
            Map.of("type", "translate", "probability", 1.0, "range", 0.1),
            Map.of("type", "rotate", "probability", 1.0, "range", 10.0),
            Map.of("type", "scale", "probability", 1.0, "range", 0.1),
            Map.of("type", "noise", "probability", 1.0, "range", 0.02));
    private static final List<Map<String, Object>> PHOTO_AUGMENTATION = List.of(
            Map.of("type", "mirror", "probability", 0.5),
            Map.of("type", "crop", "probability", 1.0, "range", 0.2),
            Map.of("type", "rotate", "probability", 1.0, "range", 10.0),
            Map.of("type", "color-jitter", "probability", 1.0, "range", 0.1),
            Map.of("type", "noise", "probability", 1.0, "range", 0.02));

    private final PrintStream out;

    public PipelineBenchmark(PrintStream out) {
        this.out = out;
    }

    public void run(Path trainingConfig, int trainImages) throws IOException {
        out.printf(Locale.ROOT, "pipeline benchmark: %d cores, Java %s, medians of %d repeats, one thread per"
                + " figure%n%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                REPEATS);
        LabeledImages mnist = new DatasetFetcher().fetch(KnownDataset.MNIST, null,
                DataSection.SETTING_NAMES).files().readTrain().head(4000);
        List<byte[]> pngs = mnistPngs(mnist);
        ImageDecoder digits = new ImageDecoder(new InputShape(28, 28, 1), ResizePolicy.CROP, ImageLimits.DEFAULT,
                DataSection.SETTING_NAMES);
        AugmentationPipeline digitAugment = AugmentationParser.parse("bench", DIGIT_AUGMENTATION);
        double pngDecode = rate(pngs.size(), i -> digits.decode("x.png", pngs.get(i)));
        double digitAug = rate(pngs.size(), i -> digitAugment.apply(floats(mnist, i), 1, 1, i));
        double digitLoad = loaderRate(mnist, digitAugment);
        double digitLoadPlain = loaderRate(mnist, AugmentationPipeline.none());

        List<byte[]> jpegs = photoJpegs(120);
        ImageDecoder photos = new ImageDecoder(new InputShape(224, 224, 3), ResizePolicy.CROP, ImageLimits.DEFAULT,
                DataSection.SETTING_NAMES);
        AugmentationPipeline photoAugment = AugmentationParser.parse("bench", PHOTO_AUGMENTATION);
        double jpegDecode = rate(jpegs.size(), i -> photos.decode("x.jpg", jpegs.get(i)));
        byte[] decoded = photos.decode("x.jpg", jpegs.get(0)).pixels();
        FloatImage photo = chw(decoded, 224, 224, 3);
        double photoAug = rate(jpegs.size(), i -> photoAugment.apply(photo, 1, 1, i));

        double resnet = resnetRate(8, 3);
        double training = trainingRate(trainingConfig, trainImages);
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "%n%-58s %12s %10s%n", "stage (one thread)", "images/s", "x training");
        row("MNIST 28x28 PNG: decode (ImageIO)", pngDecode, training);
        row("MNIST 28x28: augment (translate+rotate+scale+noise)", digitAug, training);
        row("MNIST 28x28: decode + augment", serial(pngDecode, digitAug), training);
        row("MNIST batch file: load + normalize (per epoch, no augmentation)", digitLoadPlain, training);
        row("MNIST batch file: load + augment + normalize (per epoch)", digitLoad, training);
        row("224x224 RGB JPEG (256x256 source): decode + centre crop", jpegDecode, training);
        row("224x224x3: augment (mirror+crop+rotate+jitter+noise)", photoAug, training);
        row("224x224 RGB JPEG: decode + augment", serial(jpegDecode, photoAug), training);
        out.printf(Locale.ROOT, "%nLeNet training on Spark local[*] (%d cores) consumes %.0f images/s.%n", cores,
                training);
        out.printf(Locale.ROOT, "ResNet-18 at 224x224x3 (one JVM, all cores, batch 8) trains %.1f images/s: one core"
                        + " decodes + augments 224x224 JPEGs %.0fx faster, and loads + augments their batch files"
                        + " faster still.%n", resnet, serial(jpegDecode, photoAug) / resnet);
        out.printf(Locale.ROOT, "Per epoch the workers only load + augment batch files: one core does that %.1fx"
                + " faster than training consumes, %d cores %.1fx.%n", digitLoad / training, cores,
                cores * digitLoad / training);
    }

    private void row(String stage, double rate, double training) {
        out.printf(Locale.ROOT, "%-58s %12.0f %9.1fx%n", stage, rate, rate / training);
    }

    /** Rate of two stages run one after the other on the same thread. */
    private static double serial(double a, double b) {
        return 1 / (1 / a + 1 / b);
    }

    /** Median images/s over {@link #REPEATS} passes of {@code work} over {@code n} images (after one warm-up). */
    private static double rate(int n, IntConsumer work) {
        for (int i = 0; i < n; i++) {
            work.accept(i);
        }
        double[] rates = new double[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                work.accept(i);
            }
            rates[r] = n / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        return rates[REPEATS / 2];
    }

    private static double loaderRate(LabeledImages mnist, AugmentationPipeline augmentation) throws IOException {
        int batch = 32;
        List<byte[]> files = new ArrayList<>();
        for (int from = 0; from + batch <= mnist.size(); from += batch) {
            byte[] pixels = Arrays.copyOfRange(mnist.images().pixels(), from * 784, (from + batch) * 784);
            DataSet ds = new DataSet(Nd4j.createFromArray(pixels).reshape('c', batch, 1, 28, 28),
                    Nd4j.zeros(batch, 10));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ds.save(bytes);
            files.add(bytes.toByteArray());
        }
        BatchFileLoader loader = new BatchFileLoader(Normalization.scale(), augmentation, 1, 1, batch);
        double batchesPerSecond = rate(files.size(), i -> {
            try {
                loader.load(new InMemorySource("batch-" + String.format(Locale.ROOT, "%06d", i) + ".bin",
                        files.get(i)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return batchesPerSecond * batch;
    }

    /** Images/s of ResNet-18 training steps at 224x224x3 on random data (the median of {@code steps} steps). */
    private double resnetRate(int batch, int steps) {
        NetworkDefinition def = NetworkBuilder.build(ModelCatalog.spec("resnet18", ModelOptions.NONE),
                new InputShape(224, 224, 3), 10, Hyperparameters.defaults(1));
        ComputationGraph graph = def.newComputationGraph();
        Nd4j.getRandom().setSeed(1);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, batch, 3, 224, 224), Nd4j.zeros(DataType.FLOAT, batch, 10)
                .putScalar(0, 1, 1f));
        graph.fit(data); // warm-up
        double[] rates = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            graph.fit(data);
            rates[i] = batch / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        return rates[steps / 2];
    }

    private double trainingRate(Path config, int images) throws IOException {
        Path output = Files.createTempDirectory("sparkprop-bench");
        TrainConfig train = TrainConfig.of(ConfigLoader.read(config, List.of("output=" + output, "epochs=1",
                "data.train-limit=" + images, "data.test-limit=500")));
        MetricsReport report = new TrainJob(train, RunOptions.NEW_RUN.overwriting(true), out,
                new DatasetFetcher()).run();
        return report.epochs().get(0).imagesPerSecond();
    }

    private static List<byte[]> mnistPngs(LabeledImages mnist) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < mnist.size(); i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 28, 28, Arrays.copyOfRange(mnist.images().pixels(), i * 784,
                    (i + 1) * 784));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            out.add(bytes.toByteArray());
        }
        return out;
    }

    /** Smooth colour gradients with noise, 256x256, JPEG at ImageIO's default quality: photo-like file sizes. */
    /** The first {@code n} of {@link SyntheticImages}' photo-like JPEGs. */
    private static List<byte[]> photoJpegs(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(SyntheticImages.encode(SyntheticImages.Kind.PHOTO, k));
        }
        return out;
    }

    private static FloatImage floats(LabeledImages mnist, int i) {
        float[] data = new float[784];
        for (int p = 0; p < 784; p++) {
            data[p] = mnist.images().pixel(i, p);
        }
        return new FloatImage(data, 28, 28, 1);
    }

    private static FloatImage chw(byte[] hwc, int h, int w, int c) {
        float[] data = new float[hwc.length];
        for (int p = 0; p < h * w; p++) {
            for (int ch = 0; ch < c; ch++) {
                data[ch * h * w + p] = hwc[p * c + ch] & 0xFF;
            }
        }
        return new FloatImage(data, h, w, c);
    }

    private record InMemorySource(String path, byte[] bytes) implements Source {
        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public String getPath() {
            return path;
        }
    }
}
