package org.sparkprop.data.folder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads one input file whole, at most {@link ImageLimits#maxBytes()} of it. */
public final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * The file's bytes, or null when it has more than {@code maxBytes} (only {@code maxBytes + 1} are read).
     *
     * @throws UnreadableInputException on any I/O error: not the content's fault
     */
    public static byte[] read(FileSystem fs, String path, long maxBytes) throws UnreadableInputException {
        try (InputStream in = fs.open(new Path(path))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 << 10];
            long total = 0;
            int n;
            while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes + 1 - total))) > 0) {
                out.write(buffer, 0, n);
                total += n;
                if (total > maxBytes) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UnreadableInputException(path, e);
        }
    }

    /** The {@link BadInput} of a file over the byte limit, set by {@code setting}. */
    public static BadInput tooLarge(String path, long maxBytes, String setting) {
        return new BadInput(path, BadInputReason.TOO_LARGE, String.format(java.util.Locale.ROOT,
                "more than %s = %,d bytes", setting, maxBytes));
    }
}
