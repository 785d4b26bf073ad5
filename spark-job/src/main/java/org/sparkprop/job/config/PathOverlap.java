package org.sparkprop.job.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sparkprop.data.fetch.DatasetFetcher;

/**
 * Refuses a config whose folders overlap before anything starts: a run reads data.path, rebuilds data.batches,
 * deletes and rewrites what it owns in the output, checkpoint and features folders, so no two of them may be one
 * folder or lie inside each other. The exception is the run's own folders inside {@code output} (checkpoint.dir
 * and transfer.features-dir default to {@code <output>/checkpoints} and {@code <output>/features}).
 */
final class PathOverlap {
    /** Folders that may lie inside the output folder. */
    private static final Set<String> INSIDE_OUTPUT = Set.of(CheckpointSection.DIR.name(),
            TransferSection.FEATURES_DIR.name(), DataSection.BATCHES.name());

    private record Folder(String key, String value, String scheme, String authority, String path) {
        boolean contains(Folder other) {
            return scheme.equals(other.scheme) && (authority.isEmpty() || other.authority.isEmpty()
                    || authority.equals(other.authority))
                    && (other.path.equals(path) || other.path.startsWith(path.endsWith("/") ? path : path + "/"));
        }
    }

    private PathOverlap() {
    }

    /** Whether folder {@code inner} is {@code outer} or lies inside it (local paths and any URIs). */
    static boolean inside(String inner, String outer) {
        return folder("", outer).contains(folder("", inner));
    }

    static void check(OutputSection output, CheckpointSection checkpoint, DataSection data,
                      TransferSection transfer) {
        List<Folder> folders = folders(output, checkpoint, data, transfer);
        for (int i = 0; i < folders.size(); i++) {
            for (int j = i + 1; j < folders.size(); j++) {
                check(folders.get(i), folders.get(j));
            }
        }
    }

    /** Refuses {@code value} (named {@code key}, e.g. a command-line option) overlapping any of the run's folders. */
    static void checkApart(String key, String value, OutputSection output, CheckpointSection checkpoint,
                           DataSection data, TransferSection transfer) {
        Folder extra = folder(key, value);
        for (Folder folder : folders(output, checkpoint, data, transfer)) {
            check(extra, folder);
        }
    }

    private static List<Folder> folders(OutputSection output, CheckpointSection checkpoint, DataSection data,
                                        TransferSection transfer) {
        List<Folder> folders = new ArrayList<>();
        folders.add(folder(OutputSection.DIR.name(), output.dir().toString()));
        folders.add(folder(CheckpointSection.DIR.name(), checkpoint.dir()));
        if (data.path() != null) {
            folders.add(folder(DataSection.PATH.name(), data.path()));
            folders.add(folder(DataSection.BATCHES.name(), data.batchesPath()));
        } else { // the IDX files: data.dir, or the dataset's default folder (the user cache for MNIST)
            Path idx = data.dir() != null ? data.dir() : DatasetFetcher.defaultDirectory(data.dataset());
            folders.add(folder(DataSection.DIR.name(), idx.toString()));
        }
        if (transfer.featurizeOnce()) {
            folders.add(folder(TransferSection.FEATURES_DIR.name(), transfer.featuresDir()));
        }
        return folders;
    }

    private static void check(Folder a, Folder b) {
        boolean aInB = b.contains(a);
        boolean bInA = a.contains(b);
        if (!aInB && !bInA) {
            return;
        }
        String relation;
        if (aInB && bInA) {
            relation = "they are the same folder";
        } else if (aInB) {
            if (b.key().equals(OutputSection.DIR.name()) && INSIDE_OUTPUT.contains(a.key())) {
                return;
            }
            relation = a.key() + " lies inside " + b.key();
        } else {
            if (a.key().equals(OutputSection.DIR.name()) && INSIDE_OUTPUT.contains(b.key())) {
                return;
            }
            relation = b.key() + " lies inside " + a.key();
        }
        throw new ConfigException("Invalid configuration " + a.key() + " = " + a.value() + " with " + b.key() + " = "
                + b.value() + ": " + relation + ", so one could overwrite or delete the other's files. Give each its"
                + " own folder.");
    }

    /**
     * The real path of a local folder, links resolved in the longest part of it that exists: an {@code output}
     * given as a link to data.path is data.path.
     */
    private static String real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        Path rest = Paths.get("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        try {
            return existing == null ? absolute.toString() : existing.toRealPath().resolve(rest).normalize().toString();
        } catch (IOException e) {
            return absolute.toString();
        }
    }

    private static Folder folder(String key, String value) {
        URI uri;
        try {
            uri = URI.create(value.replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getScheme().length() == 1) { // a local path
            return new Folder(key, value, "file", "", real(Paths.get(value)));
        }
        if (uri.getScheme().equals("file") && uri.getPath() != null && !uri.getPath().isEmpty()) {
            return new Folder(key, value, "file", "", real(Paths.get(uri.normalize().getPath())));
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.normalize().getPath();
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return new Folder(key, value, uri.getScheme(), uri.getAuthority() == null ? "" : uri.getAuthority(),
                trimmed.replace("%20", " "));
    }
}
