package org.sparkprop.data.folder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.data.SettingNames;
import org.sparkprop.data.fs.LocalFiles;
import org.sparkprop.data.split.Split;

/**
 * Lists an image-folder dataset on any Hadoop file system ({@code file://}, {@code hdfs://}, {@code s3a://} with
 * hadoop-aws): {@code ROOT/<class>/<file>}, or already split as {@code ROOT/train/<class>/<file>} plus optional
 * {@code ROOT/val/...} and {@code ROOT/test/...}. Files may sit in nested folders under their class folder.
 * <p>
 * Class indices come from the sorted class names (of {@code train/} when split). Names starting with {@code .} or
 * {@code _} are skipped, as Hadoop's own input formats do ({@code _SUCCESS}, {@code .crc}).
 * Only metadata is read here, on the driver; decoding happens on the executors. Folders that cannot be listed and
 * files outside any class folder are reported as {@link BadInput}, not dropped silently.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /**
     * What a listing found.
     *
     * @param root        the root URI as given
     * @param classes     class names in index order
     * @param items       images per split: only {@link Split#TRAIN} when the root is not already split
     * @param preSplit    whether the root had {@code train/} (and maybe {@code val/}, {@code test/}) folders
     * @param badInputs   folders that could not be listed, files outside class folders
     * @param fingerprint a digest of every listed path, size and modification time: changes when the data does
     */
    public record Listing(String root, List<String> classes, Map<Split, List<ImageItem>> items, boolean preSplit,
                          List<BadInput> badInputs, String fingerprint, long bytes) {
        public int fileCount() {
            return items.values().stream().mapToInt(List::size).sum();
        }
    }

    /**
     * Lists {@code root}.
     *
     * @param names the settings its messages name ({@code root} is {@link SettingNames.Setting#PATH})
     * @throws DatasetLayoutException when the root is missing or not a folder, holds no class folders, or a class
     *                                folder (of the training part) holds no files
     */
    public static Listing list(String root, SettingNames names, Configuration hadoop) throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(hadoop);
        if (!fs.exists(rootPath)) {
            throw new DatasetLayoutException("Dataset folder " + root + " does not exist. Point "
                    + names.of(SettingNames.Setting.PATH) + " at a folder of class folders (ROOT/<class>/<image>),"
                    + " or create one with bin/sparkprop prep --idx.");
        }
        if (!fs.getFileStatus(rootPath).isDirectory()) {
            throw new DatasetLayoutException("Dataset path " + root + " is a file, not a folder. Point "
                    + names.of(SettingNames.Setting.PATH) + " at a folder of class folders (ROOT/<class>/<image>).");
        }
        List<BadInput> bad = new ArrayList<>();
        java.nio.file.Path localRoot = LocalFiles.of(fs, rootPath);
        java.nio.file.Path realRoot = localRoot == null ? null : localRoot.toRealPath();
        List<FileStatus> top = visible(fs, rootPath);
        boolean preSplit = top.stream().anyMatch(s -> s.isDirectory() && s.getPath().getName().equals("train"));
        Map<Split, TreeMap<String, List<FileStatus>>> filesByClass = new EnumMap<>(Split.class);
        if (preSplit) {
            for (FileStatus status : top) {
                String name = status.getPath().getName();
                Split split = splitNamed(name);
                if (status.isDirectory() && split != null) {
                    filesByClass.put(split, classFolders(fs, status.getPath(), realRoot, bad));
                } else if (!status.isDirectory()) {
                    bad.add(new BadInput(status.getPath().toString(), BadInputReason.NO_CLASS,
                            "file next to the train/ folder, outside every class folder"));
                } else {
                    throw new DatasetLayoutException("Dataset folder " + root + " has a train/ folder, so its other"
                            + " folders must be val/ or test/, but it also has " + name + "/. Move " + name
                            + "/ into train/ (as a class), or rename it.");
                }
            }
        } else {
            filesByClass.put(Split.TRAIN, classFolders(fs, rootPath, realRoot, bad));
        }
        TreeMap<String, List<FileStatus>> train = filesByClass.get(Split.TRAIN);
        String where = preSplit ? root + "/train" : root;
        if (train.isEmpty()) {
            throw new DatasetLayoutException("Dataset folder " + where + " holds no class folders. Expected"
                    + " " + where + "/<class name>/<image file>, one folder per class.");
        }
        List<String> classes = new ArrayList<>(train.keySet());
        for (Map.Entry<String, List<FileStatus>> e : train.entrySet()) {
            if (e.getValue().isEmpty()) {
                String folder = where + "/" + e.getKey();
                for (BadInput b : bad) {
                    if (b.reason() == BadInputReason.UNREADABLE && b.path().endsWith("/" + e.getKey())) {
                        throw new DatasetLayoutException("Class folder " + folder + " cannot be read (" + b.detail()
                                + "), so the class has no training images. Fix its permissions or remove it.");
                    }
                }
                throw new DatasetLayoutException("Class folder " + folder + " holds no files: every class needs"
                        + " training images. Add images to it or remove the folder.");
            }
        }
        for (Map.Entry<Split, TreeMap<String, List<FileStatus>>> e : filesByClass.entrySet()) {
            for (String name : e.getValue().keySet()) {
                if (!train.containsKey(name)) {
                    throw new DatasetLayoutException("Class folder " + root + "/" + e.getKey().id() + "/" + name
                            + " has no counterpart in " + root + "/train: the training part defines the classes ("
                            + String.join(", ", classes) + "). Add " + name + " to train/ or remove it from "
                            + e.getKey().id() + "/.");
                }
            }
        }
        return toListing(root, classes, filesByClass, preSplit, bad);
    }

    private static Listing toListing(String root, List<String> classes,
                                     Map<Split, TreeMap<String, List<FileStatus>>> filesByClass, boolean preSplit,
                                     List<BadInput> bad) {
        record Found(Split split, int label, FileStatus status) {
        }
        List<Found> all = new ArrayList<>();
        for (Map.Entry<Split, TreeMap<String, List<FileStatus>>> e : filesByClass.entrySet()) {
            for (Map.Entry<String, List<FileStatus>> c : e.getValue().entrySet()) {
                int label = classes.indexOf(c.getKey());
                for (FileStatus status : c.getValue()) {
                    all.add(new Found(e.getKey(), label, status));
                }
            }
        }
        all.sort(Comparator.comparing(f -> f.status().getPath().toString()));
        Map<Split, List<ImageItem>> items = new EnumMap<>(Split.class);
        Fingerprint fingerprint = new Fingerprint();
        long bytes = 0;
        for (int id = 0; id < all.size(); id++) {
            Found f = all.get(id);
            String path = f.status().getPath().toString();
            items.computeIfAbsent(f.split(), s -> new ArrayList<>()).add(new ImageItem(id, path, f.label()));
            fingerprint.add(path, f.status().getLen(), f.status().getModificationTime());
            bytes += f.status().getLen();
        }
        items.putIfAbsent(Split.TRAIN, List.of());
        return new Listing(root, List.copyOf(classes), items, preSplit, List.copyOf(bad), fingerprint.hex(),
                bytes);
    }

    private static Split splitNamed(String name) {
        for (Split split : Split.values()) {
            if (split.id().equals(name)) {
                return split;
            }
        }
        return null;
    }

    /** Class name -> its files (recursively), for every visible folder under {@code dir}. */
    private static TreeMap<String, List<FileStatus>> classFolders(FileSystem fs, Path dir, java.nio.file.Path realRoot,
                                                                  List<BadInput> bad) throws IOException {
        TreeMap<String, List<FileStatus>> byClass = new TreeMap<>();
        for (FileStatus status : visible(fs, dir)) {
            if (status.isDirectory()) {
                List<FileStatus> files = new ArrayList<>();
                collectFiles(fs, status.getPath(), realRoot, files, bad);
                byClass.put(status.getPath().getName(), files);
            } else {
                bad.add(new BadInput(status.getPath().toString(), BadInputReason.NO_CLASS,
                        "file outside every class folder"));
            }
        }
        return byClass;
    }

    /** @param realRoot the dataset folder's real path on a local disk (links are checked against it), else null */
    private static void collectFiles(FileSystem fs, Path dir, java.nio.file.Path realRoot, List<FileStatus> out,
                                     List<BadInput> bad) {
        List<FileStatus> children;
        try {
            children = visible(fs, dir);
        } catch (IOException e) {
            bad.add(new BadInput(dir.toString(), BadInputReason.UNREADABLE, "cannot list the folder: " + e));
            return;
        }
        for (FileStatus child : children) {
            String notPlain = realRoot == null ? null : notPlain(LocalFiles.of(fs, child.getPath()), realRoot);
            if (notPlain != null) {
                bad.add(new BadInput(child.getPath().toString(), BadInputReason.NOT_A_REGULAR_FILE, notPlain));
            } else if (child.isDirectory()) {
                collectFiles(fs, child.getPath(), realRoot, out, bad);
            } else {
                out.add(child);
            }
        }
    }

    /**
     * Why a local entry is not read, or null for a plain file or folder: a link to a folder is not followed (a loop
     * would never end), a link must lead to a file inside the dataset folder, and a FIFO, socket or device is never
     * opened (reading it can block forever).
     */
    private static String notPlain(java.nio.file.Path entry, java.nio.file.Path realRoot) {
        try {
            java.nio.file.attribute.BasicFileAttributes own = java.nio.file.Files.readAttributes(entry,
                    java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (own.isSymbolicLink()) {
                java.nio.file.Path target = entry.toRealPath();
                if (java.nio.file.Files.isDirectory(target)) {
                    return "link to a folder (" + target + "), not followed";
                }
                if (!target.startsWith(realRoot)) {
                    return "link to " + target + ", outside the dataset folder";
                }
                own = java.nio.file.Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class);
            }
            return own.isRegularFile() || own.isDirectory() ? null : "not a regular file (a FIFO, socket or device)";
        } catch (IOException e) {
            return "cannot resolve: " + e;
        }
    }

    /** The folder's entries without hidden names, sorted by name. */
    private static List<FileStatus> visible(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (!name.startsWith(".") && !name.startsWith("_")) {
                out.add(status);
            }
        }
        out.sort(Comparator.comparing(s -> s.getPath().getName()));
        return out;
    }
}
