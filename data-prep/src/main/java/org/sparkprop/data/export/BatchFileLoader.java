package org.sparkprop.data.export;

import java.io.IOException;
import java.io.InputStream;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.augment.AugmentationPipeline;
import org.sparkprop.data.augment.FloatImage;
import org.sparkprop.data.normalize.Normalization;

/**
 * Reads one batch file of a pre-batched copy (8-bit pixels) into a float mini-batch: augmentation (training only)
 * on the 0..255 values, then the copy's normalization. Runs on the executors as DL4J's path-based training loader,
 * and on the driver for evaluation (without augmentation). An image's augmentation seed is (seed, epoch, its
 * position in the copy: batch x batch size + row), so a run is reproducible and each epoch sees new variants.
 */
public final class BatchFileLoader implements DataSetLoader {
    private final Normalization normalization;
    private final AugmentationPipeline augmentation;
    private final long seed;
    private final int epoch;
    private final int batchSize;

    public BatchFileLoader(Normalization normalization, AugmentationPipeline augmentation, long seed, int epoch,
                           int batchSize) {
        this.normalization = normalization;
        this.augmentation = augmentation;
        this.seed = seed;
        this.epoch = epoch;
        this.batchSize = batchSize;
    }

    /** Normalization only: for validation, test and prediction. */
    public static BatchFileLoader forEvaluation(Normalization normalization, int batchSize) {
        return new BatchFileLoader(normalization, AugmentationPipeline.none(), 0, 0, batchSize);
    }

    @Override
    public DataSet load(Source source) throws IOException {
        DataSet stored = new DataSet();
        try (InputStream in = source.getInputStream()) {
            stored.load(in);
        }
        return transform(stored, BatchFiles.batchIndex(source.getPath()));
    }

    DataSet transform(DataSet stored, int batchIndex) {
        INDArray raw = stored.getFeatures();
        long[] shape = raw.shape(); // n, c, h, w
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        int per = c * h * w;
        boolean eightBit = raw.dataType() == DataType.INT8 || raw.dataType() == DataType.UINT8;
        byte[] bytes = eightBit ? raw.dup('c').data().asBytes() : null;
        float[] values = bytes == null ? raw.castTo(DataType.FLOAT).data().asFloat() : null;
        float[] out = new float[n * per];
        for (int row = 0; row < n; row++) {
            float[] image = new float[per];
            for (int i = 0; i < per; i++) {
                image[i] = bytes != null ? bytes[row * per + i] & 0xFF : values[row * per + i];
            }
            if (!augmentation.isEmpty()) {
                long id = (long) batchIndex * batchSize + row;
                image = augmentation.apply(new FloatImage(image, h, w, c), seed, epoch, id).data();
            }
            normalization.apply(image, c);
            System.arraycopy(image, 0, out, row * per, per);
        }
        return new DataSet(Nd4j.create(out, new long[] {n, c, h, w}, 'c'), stored.getLabels());
    }
}
