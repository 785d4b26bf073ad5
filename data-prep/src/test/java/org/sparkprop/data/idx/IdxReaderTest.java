package org.sparkprop.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheHeaderAndEveryPixelOfAnImagesFile() throws Exception {
        Path file = IdxTestFiles.write(dir.resolve("img-idx3-ubyte"),
                IdxTestFiles.imagesBytes(3, 4, 5, IdxReader.IMAGES_MAGIC));

        IdxImages images = IdxReader.readImages(file);

        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 20; p++) {
                assertEquals(IdxTestFiles.pixelValue(i * 20 + p), images.pixel(i, p));
            }
        }
    }

    @Test
    void readsGzippedFilesByTheirName() throws Exception {
        Path file = IdxTestFiles.write(dir.resolve("img-idx3-ubyte.gz"),
                IdxTestFiles.imagesBytes(2, 3, 3, IdxReader.IMAGES_MAGIC));

        assertEquals(2, IdxReader.readImages(file).count());
    }

    @Test
    void readsLabelsAndPairsThemWithImages() throws Exception {
        Path images = IdxTestFiles.write(dir.resolve("i"), IdxTestFiles.imagesBytes(4, 2, 2, IdxReader.IMAGES_MAGIC));
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labelsBytes(new int[] {3, 0, 9, 1}));

        LabeledImages data = LabeledImages.read(images, labels, 10);

        assertEquals(4, data.size());
        assertArrayEquals(new int[] {3, 0, 9, 1}, new int[] {data.label(0), data.label(1), data.label(2),
                data.label(3)});
    }

    @Test
    void aWrongMagicNumberIsAClearError() throws Exception {
        Path file = IdxTestFiles.write(dir.resolve("labels-as-images"), IdxTestFiles.labelsBytes(new int[] {1, 2}));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));

        assertEquals("IDX file " + file + " has magic number 0x00000801, expected 0x00000803 for unsigned-byte"
                + " images (3 dimensions); is it the right file (images vs labels), or still compressed without a"
                + " .gz name?", e.getMessage());
    }

    @Test
    void aTruncatedFileIsAClearError() throws Exception {
        byte[] full = IdxTestFiles.imagesBytes(3, 4, 5, IdxReader.IMAGES_MAGIC);
        Path file = IdxTestFiles.write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 7));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));

        assertEquals("IDX file " + file + " is truncated: its header declares 3 images of 4x5 (60 bytes of data)"
                + " but only 53 bytes follow; fetch it again", e.getMessage());
    }

    @Test
    void aFileCutInsideItsHeaderIsAClearError() throws Exception {
        byte[] full = IdxTestFiles.imagesBytes(3, 4, 5, IdxReader.IMAGES_MAGIC);
        Path file = IdxTestFiles.write(dir.resolve("cut-header"), Arrays.copyOf(full, 10));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));

        assertEquals("IDX file " + file + " is truncated inside its header (reading rows); fetch it again",
                e.getMessage());
    }

    @Test
    void anEmptyFileIsAClearError() throws Exception {
        Path file = IdxTestFiles.write(dir.resolve("empty"), new byte[0]);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(file));

        assertEquals("IDX file " + file + " is shorter than its 4-byte magic number; the file is empty or"
                + " truncated: fetch it again", e.getMessage());
    }

    @Test
    void aMissingFileSaysHowToGetTheData() {
        Path file = dir.resolve("nope");

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.readImages(file));

        assertEquals(file + ": IDX file not found; fetch the dataset first (bin/sparkprop fetch-data)",
                e.getMessage());
    }

    @Test
    void imagesAndLabelsOfDifferentCountsDoNotPairUp() throws Exception {
        Path images = IdxTestFiles.write(dir.resolve("i"), IdxTestFiles.imagesBytes(3, 2, 2, IdxReader.IMAGES_MAGIC));
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labelsBytes(new int[] {1, 2}));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> LabeledImages.read(images, labels, 10));

        assertEquals("IDX files " + images + " and " + labels + " do not fit together: 3 images but 2 labels",
                e.getMessage());
    }

    @Test
    void aLabelOutsideTheClassesIsRejected() throws Exception {
        Path images = IdxTestFiles.write(dir.resolve("i"), IdxTestFiles.imagesBytes(2, 2, 2, IdxReader.IMAGES_MAGIC));
        Path labels = IdxTestFiles.write(dir.resolve("l"), IdxTestFiles.labelsBytes(new int[] {1, 12}));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> LabeledImages.read(images, labels, 10));

        assertEquals("IDX files " + images + " and " + labels + " do not fit together: label 12 at index 1 is"
                + " outside the 10 classes 0..9", e.getMessage());
    }
}
