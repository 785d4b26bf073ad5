package org.sparkprop.data.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format used by MNIST and Fashion-MNIST (plain or {@code .gz}): a big-endian header with the magic
 * number {@code 0x0000 08 NN} (unsigned byte data, NN dimensions), one int per dimension, then the data.
 * Only unsigned-byte files are supported: images (3 dimensions) and labels (1 dimension).
 */
public final class IdxReader {
    static final int UNSIGNED_BYTE = 0x08;
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    public static IdxImages readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in, IMAGES_MAGIC, "images (3 dimensions)");
            int count = dimension(file, in, "image count");
            int rows = dimension(file, in, "rows");
            int cols = dimension(file, in, "columns");
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException("IDX file " + file + " declares " + count + " images of " + rows + "x"
                        + cols + " = " + bytes + " bytes, more than one array can hold; split the file");
            }
            byte[] pixels = readFully(file, in, (int) bytes, count + " images of " + rows + "x" + cols);
            return new IdxImages(count, rows, cols, pixels);
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in, LABELS_MAGIC, "labels (1 dimension)");
            int count = dimension(file, in, "label count");
            return readFully(file, in, count, count + " labels");
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "IDX file not found; fetch the dataset first (bin/sparkprop fetch-data)");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static void checkMagic(Path file, DataInputStream in, int expected, String what) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException("IDX file " + file + " is shorter than its 4-byte magic number; "
                    + "the file is empty or truncated: fetch it again");
        }
        if (magic != expected) {
            throw new IdxFormatException(String.format(
                    "IDX file %s has magic number 0x%08X, expected 0x%08X for unsigned-byte %s; "
                            + "is it the right file (images vs labels), or still compressed without a .gz name?",
                    file, magic, expected, what));
        }
    }

    private static int dimension(Path file, DataInputStream in, String name) throws IOException {
        int value;
        try {
            value = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException("IDX file " + file + " is truncated inside its header (reading " + name
                    + "); fetch it again");
        }
        if (value < 0) {
            throw new IdxFormatException("IDX file " + file + " declares a negative " + name + " (" + value + ")");
        }
        return value;
    }

    private static byte[] readFully(Path file, DataInputStream in, int length, String what) throws IOException {
        byte[] data = new byte[length];
        int read = in.readNBytes(data, 0, length);
        if (read < length) {
            throw new IdxFormatException("IDX file " + file + " is truncated: its header declares " + what + " ("
                    + length + " bytes of data) but only " + read + " bytes follow; fetch it again");
        }
        return data;
    }
}
