package org.sparkprop.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.data.TestSettingNames;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.folder.ImageLimits;
import org.sparkprop.data.folder.ResizePolicy;
import org.sparkprop.data.idx.IdxImages;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.data.split.Split;
import org.sparkprop.model.InputShape;

class IdxToImageFolderTest {
    @TempDir
    Path tmp;

    private static LabeledImages sample() {
        int n = 12;
        byte[] pixels = new byte[n * 6 * 5];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 3);
        }
        return new LabeledImages(new IdxImages(n, 6, 5, pixels), labels, 3);
    }

    @Test
    void everyImageBecomesAPngInItsClassFolderAndDecodesToItsExactBytes() throws IOException {
        LabeledImages data = sample();
        List<String> names = List.of("t-shirt", "trouser", "bag");
        String root = tmp.resolve("out").toString();
        assertEquals(12, IdxToImageFolder.write(data, names, root, Split.TRAIN, new Configuration()));

        ImageFolder.Listing listing = ImageFolder.list(root, TestSettingNames.NAMES, new Configuration());
        assertEquals(List.of("0-t-shirt", "1-trouser", "2-bag"), listing.classes());
        ImageDecoder decoder = new ImageDecoder(new InputShape(6, 5, 1), ResizePolicy.CROP, ImageLimits.DEFAULT,
                TestSettingNames.NAMES);
        for (ImageItem item : listing.items().get(Split.TRAIN)) {
            int index = Integer.parseInt(item.path().replaceAll(".*/(\\d+)\\.png$", "$1"));
            assertEquals(data.label(index), item.label(), item.path());
            byte[] expected = new byte[30];
            System.arraycopy(data.images().pixels(), index * 30, expected, 0, 30);
            byte[] decoded = decoder.decode(item.path(), Files.readAllBytes(Path.of(item.path().replace("file:", ""))))
                    .pixels();
            assertArrayEquals(expected, decoded, item.path());
        }
    }

    @Test
    void digitClassesKeepTheirPlainNamesAndAFilledFolderIsNeverOverwritten() throws IOException {
        String root = tmp.resolve("digits").toString();
        IdxToImageFolder.write(sample(), List.of("0", "1", "2"), root, Split.TEST, new Configuration());
        assertEquals(List.of("0", "1", "2"), ImageFolder.list(root + "/test", TestSettingNames.NAMES,
                new Configuration()).classes());
        IOException e = assertThrows(IOException.class, () -> IdxToImageFolder.write(sample(), List.of("0", "1", "2"),
                root, Split.TEST, new Configuration()));
        assertEquals("Folder " + root + "/test already holds files; prep writes only into a new or empty folder."
                + " Remove it or choose another --to.", e.getMessage());
    }
}
