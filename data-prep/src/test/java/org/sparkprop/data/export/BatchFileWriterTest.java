package org.sparkprop.data.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class BatchFileWriterTest {
    @Test
    void theFileHasExactlyTheBytesDl4jWritesAndLoadsBackTheSamePixelsAndLabels() throws IOException {
        int n = 5;
        int classes = 3;
        byte[] pixels = new byte[n * 3 * 7 * 6];
        new SplittableRandom(3).nextBytes(pixels); // every value 0..255, negative bytes too
        float[] onehot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            onehot[i * classes + i % classes] = 1f;
        }
        INDArray features = Nd4j.createFromArray(pixels).reshape('c', n, 3, 7, 6);
        INDArray labels = Nd4j.create(onehot, new long[] {n, classes}, 'c');

        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        new DataSet(features, labels).save(dl4j);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        BatchFileWriter.write(ours, new long[] {n, 3, 7, 6}, pixels, labels);

        assertArrayEquals(dl4j.toByteArray(), ours.toByteArray());
        DataSet loaded = new DataSet();
        loaded.load(new ByteArrayInputStream(ours.toByteArray()));
        assertEquals(features, loaded.getFeatures());
        assertEquals(labels, loaded.getLabels());
    }
}
