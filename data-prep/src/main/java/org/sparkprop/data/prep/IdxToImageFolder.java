package org.sparkprop.data.prep;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.data.split.Split;

/**
 * Writes IDX images as an image folder, {@code ROOT/train/<NN-class>/<index>.png} and {@code ROOT/test/...}, so the
 * built-in datasets can take the path users' own data takes. Class folders are prefixed with the label
 * ({@code 0-t-shirt-top}) so the sorted folder names give back the IDX label numbers; file names are the zero-padded
 * IDX index. PNG is lossless: decoding gives back the IDX bytes exactly.
 */
public final class IdxToImageFolder {
    private IdxToImageFolder() {
    }

    /** Folder name of class {@code label}: {@code 3} for digits, {@code 3-dress} when the name is not the number. */
    public static String classFolder(int label, List<String> classNames) {
        String name = classNames.get(label);
        return name.equals(Integer.toString(label)) ? name : label + "-" + name;
    }

    /**
     * Writes {@code data} under {@code root/<split>/}. Returns the number of files written.
     *
     * @throws IOException when the split folder already holds files (nothing is overwritten)
     */
    public static int write(LabeledImages data, List<String> classNames, String root, Split split,
                            Configuration hadoop) throws IOException {
        Path dir = new Path(root, split.id());
        FileSystem fs = dir.getFileSystem(hadoop);
        if (fs.exists(dir) && fs.listStatus(dir).length > 0) {
            throw new IOException("Folder " + dir + " already holds files; prep writes only into a new or empty"
                    + " folder. Remove it or choose another --to.");
        }
        int rows = data.images().rows();
        int cols = data.images().cols();
        int pixels = rows * cols;
        byte[] all = data.images().pixels();
        int digits = Math.max(5, Integer.toString(data.size() - 1).length());
        String pattern = "%0" + digits + "d.png";
        fs.setWriteChecksum(false); // no .crc file beside every image on a local file system
        for (String name : classNames) {
            fs.mkdirs(new Path(dir, classFolder(classNames.indexOf(name), classNames)));
        }
        try {
            IntStream.range(0, data.size()).parallel().forEach(i -> {
                BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
                byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                System.arraycopy(all, i * pixels, dst, 0, pixels);
                Path file = new Path(new Path(dir, classFolder(data.label(i), classNames)),
                        String.format(Locale.ROOT, pattern, i));
                try (OutputStream out = fs.create(file, false)) {
                    if (!ImageIO.write(image, "png", out)) {
                        throw new IOException("no PNG writer in this JVM");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return data.size();
    }
}
