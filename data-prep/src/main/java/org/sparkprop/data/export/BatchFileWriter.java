package org.sparkprop.data.export;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes one batch file, byte for byte what DL4J's {@link DataSet#save(OutputStream)} writes for 8-bit features and
 * float labels (so {@link DataSet#load} and every DL4J loader read it), but the pixels in one bulk write. ND4J writes
 * a buffer element by element ({@code DataOutputStream.writeByte(getInt(i))}), which was two thirds of the export
 * tasks' time for 224x224x3 images (a JFR profile of {@code bench-export}; BENCHMARKS.md). The layout, from ND4J
 * 1.0.0-M2.1's {@code DataSet.save} and {@code BaseDataBuffer.write}: one byte of flags (1 features, 2 labels), then
 * per array its shape-information buffer and its data buffer, each as allocation mode (UTF), length (long), data
 * type (UTF) and the elements, big-endian. A test compares the bytes with DL4J's own.
 */
final class BatchFileWriter {
    private static final int FEATURES = 1;
    private static final int LABELS = 2;

    private BatchFileWriter() {
    }

    /**
     * @param features {@code n} images, channels-first, {@code [n, c, h, w]} values in {@code pixels}
     * @param pixels   the features' bytes, at least {@code features.length()} long
     * @param labels   {@code [n, classes]} one-hot floats
     */
    static void write(OutputStream to, INDArray features, byte[] pixels, INDArray labels) throws IOException {
        if (features.dataType() != DataType.BYTE || features.ordering() != 'c') {
            throw new IllegalArgumentException("features must be a C-ordered BYTE array: "
                    + features.shapeInfoToString());
        }
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(to, 1 << 16));
        out.writeByte(FEATURES | LABELS);
        // as Nd4j.write: a view's shape is written as its copy's would be (offset and view flag dropped)
        INDArray whole = features.isView() ? features.dup('c') : features;
        try {
            whole.shapeInfoDataBuffer().write(out);
            out.writeUTF(whole.data().allocationMode().name());
        } finally {
            if (whole != features) {
                whole.close();
            }
        }
        out.writeLong(features.length());
        out.writeUTF(DataType.BYTE.name());
        out.write(pixels, 0, (int) features.length());
        Nd4j.write(labels, out);
        out.flush();
    }
}
