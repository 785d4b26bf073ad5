package org.sparkprop.job.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.job.data.ExecutorBatches;
import org.sparkprop.model.InputShape;

/**
 * Executor side of evaluating image files: reads and decodes one partition's images as the model's input
 * description says and hands them on as mini-batches, one batch in memory at a time; files that are not usable
 * images are recorded in the partition's {@link EvaluationSums} instead.
 */
final class DecodedBatches implements Iterator<DataSet> {
    private final Iterator<ImageItem> items;
    private final ExecutorBatches.Images spec;
    private final SerializableConfiguration hadoop;
    private final InputShape shape;
    private EvaluationSums sums;
    private FileSystem fs;
    private DataSet next;

    DecodedBatches(Iterator<ImageItem> items, ExecutorBatches.Images spec, SerializableConfiguration hadoop) {
        this.items = items;
        this.spec = spec;
        this.hadoop = hadoop;
        this.shape = spec.decoder().shape();
    }

    /** Where skipped files are recorded; called before the first batch is asked for. */
    void into(EvaluationSums sums) {
        this.sums = sums;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DataSet batch = next;
        next = null;
        return batch;
    }

    /** The next batch of up to {@code batchSize} decoded images, or null when the partition is done. */
    private DataSet read() throws IOException {
        int per = shape.pixels() * shape.channels();
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        while (images.size() < spec.batchSize() && items.hasNext()) {
            ImageItem item = items.next();
            if (fs == null) {
                fs = new Path(item.path()).getFileSystem(hadoop.value());
            }
            ImageDecoder.Result decoded = spec.decoder().read(fs, item.path()); // an I/O error fails the task
            if (!decoded.ok()) {
                sums.skip(decoded.bad());
                continue;
            }
            images.add(channelsFirst(decoded.pixels()));
            labels.add(spec.labels()[item.label()]);
        }
        if (images.isEmpty()) {
            return null;
        }
        float[] features = new float[images.size() * per];
        float[] onehot = new float[images.size() * spec.classes()];
        for (int r = 0; r < images.size(); r++) {
            System.arraycopy(images.get(r), 0, features, r * per, per);
            onehot[r * spec.classes() + labels.get(r)] = 1;
        }
        return new DataSet(Nd4j.create(features, new long[] {images.size(), shape.channels(), shape.height(),
                shape.width()}, 'c'), Nd4j.create(onehot, new long[] {images.size(), spec.classes()}, 'c'));
    }

    /** HWC bytes to CHW floats 0..255, then the model's normalization. */
    private float[] channelsFirst(byte[] hwc) {
        byte[] bytes = new byte[hwc.length];
        shape.toChannelsFirst(hwc, bytes, 0);
        float[] out = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        spec.normalization().apply(out, shape.channels());
        return out;
    }
}
