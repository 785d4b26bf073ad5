package org.sparkprop.data.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.normalize.ChannelStats;
import org.sparkprop.data.split.Split;
import org.sparkprop.model.InputShape;

/**
 * The executor side of an export: a task is given planned batches (metadata only) and, one batch at a time, reads
 * and decodes the batch's files and writes the batch file. A task holds one batch of pixels, whatever its size;
 * each file is read and decoded exactly once. A bad file leaves its batch one row short.
 *
 * @param stats whether to sum the training images' pixels (standardization)
 */
record ExportTask(ImageDecoder decoder, int numClasses, boolean stats, SerializableConfiguration hadoop)
        implements Serializable {
    /**
     * @throws org.sparkprop.data.folder.UnreadableInputException on an I/O error: the task fails and Spark retries
     *                                                            it
     */
    Iterator<ExportPart> run(Iterator<ExportBatch> batches) throws IOException {
        InputShape shape = decoder.shape();
        List<Integer> numbers = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        long[] perClass = new long[Split.values().length * numClasses];
        List<BadInput> bad = new ArrayList<>();
        ChannelStats channelStats = new ChannelStats(shape.channels());
        FileSystem fs = null;
        while (batches.hasNext()) {
            ExportBatch batch = batches.next();
            if (fs == null && !batch.rows().isEmpty()) {
                fs = new Path(batch.rows().get(0).path()).getFileSystem(hadoop.value());
            }
            numbers.add(batch.number());
            rows.add(write(batch, fs, perClass, bad, channelStats));
        }
        int[] n = numbers.stream().mapToInt(Integer::intValue).toArray();
        int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
        return List.of(new ExportPart(n, r, perClass, bad, channelStats)).iterator();
    }

    /**
     * Decodes the batch's files into one channels-first 8-bit array and writes it with one-hot labels, unless every
     * file was bad. Returns the rows written.
     */
    private int write(ExportBatch batch, FileSystem fs, long[] perClass, List<BadInput> bad, ChannelStats sums)
            throws IOException {
        InputShape shape = decoder.shape();
        int c = shape.channels();
        int per = shape.pixels() * c;
        List<ImageItem> members = batch.rows();
        byte[] features = new byte[members.size() * per];
        float[] onehot = new float[members.size() * numClasses];
        int n = 0;
        for (ImageItem item : members) {
            ImageDecoder.Result result = decoder.read(fs, item.path());
            if (!result.ok()) {
                bad.add(result.bad());
                continue;
            }
            shape.toChannelsFirst(result.pixels(), features, n * per);
            onehot[n * numClasses + item.label()] = 1f;
            perClass[batch.split() * numClasses + item.label()]++;
            if (stats && batch.split() == Split.TRAIN.ordinal()) {
                sums.add(result.pixels());
            }
            n++;
        }
        if (n == 0) {
            return 0;
        }
        if (n < members.size()) {
            onehot = Arrays.copyOf(onehot, n * numClasses);
        }
        // the pixels are written as 8-bit values (DL4J's BYTE holds 0..255 bit for bit; the loader reads them back
        // as unsigned), straight from the array they were decoded into
        INDArray labels = Nd4j.create(onehot, new long[] {n, numClasses}, 'c');
        Path path = new Path(batch.path());
        try (OutputStream out = path.getFileSystem(hadoop.value()).create(path, true)) {
            BatchFileWriter.write(out, new long[] {n, c, shape.height(), shape.width()}, features, labels);
        } finally {
            labels.close(); // off-heap: freed now rather than when the collector gets to it
        }
        return n;
    }
}
