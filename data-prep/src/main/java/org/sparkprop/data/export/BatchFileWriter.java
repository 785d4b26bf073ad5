package org.sparkprop.data.export;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
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
 * type (UTF) and the elements, big-endian. A test compares the bytes with DL4J's own. The pixels are never
 * copied into an ND4J array.
 */
final class BatchFileWriter {
    private static final int FEATURES = 1;
    private static final int LABELS = 2;

    private BatchFileWriter() {
    }

    /**
     * @param shape  the features' shape, {@code [n, c, h, w]} (channels first, C order)
     * @param pixels the features' values, at least n x c x h x w bytes (further bytes are not written)
     * @param labels {@code [n, classes]} one-hot floats
     */
    static void write(OutputStream to, long[] shape, byte[] pixels, INDArray labels) throws IOException {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        if (length > pixels.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + length
                    + " pixels, given " + pixels.length);
        }
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(to, 1 << 16));
        out.writeByte(FEATURES | LABELS);
        // the shape information a new C-ordered array of this shape has, which is what Nd4j.write writes
        Nd4j.getShapeInfoProvider().createShapeInformation(shape, 'c', DataType.BYTE).getFirst().write(out);
        out.writeUTF(Nd4j.alloc.name());
        out.writeLong(length);
        out.writeUTF(DataType.BYTE.name());
        out.write(pixels, 0, (int) length);
        Nd4j.write(labels, out);
        out.flush();
    }
}
