package org.sparkprop.data.fs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A folder on any Hadoop file system that a run writes and may later delete: only when it carries the run's marker
 * file, and then only the files whose paths (relative to the folder) match the run's own name pattern. A user's
 * other files in it survive every delete; a non-empty folder without the marker is refused, never emptied.
 */
public final class OwnedFolder {
    private final Path root;
    private final FileSystem fs;
    private final String marker;
    private final Pattern ours;
    private final String what;
    private final String key;

    /**
     * @param marker file name that says the folder is ours
     * @param ours   relative paths of the files the run writes there (the marker excluded)
     * @param what   what the folder holds, for messages, e.g. "pre-batched copy"
     * @param key    the setting that names the folder, for messages, e.g. data.batches
     */
    public OwnedFolder(String uri, Configuration hadoop, String marker, Pattern ours, String what, String key)
            throws IOException {
        this.root = new Path(uri);
        this.fs = root.getFileSystem(hadoop);
        this.marker = marker;
        this.ours = ours;
        this.what = what;
        this.key = key;
    }

    /** Whether the folder exists and carries the marker. */
    public boolean isOurs() throws IOException {
        return fs.exists(new Path(root, marker));
    }

    /**
     * Makes the folder ready for a new write: created when absent, our earlier files deleted when it is ours.
     *
     * @throws IOException naming the folder and the key when it holds files and is not ours
     */
    public void claim() throws IOException {
        if (fs.exists(root)) {
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new IOException(root + " (" + key + ") is a file, not a folder for the " + what + ". Point " + key
                        + " at a new or empty folder.");
            }
            if (isOurs()) {
                deleteOurFiles();
            } else if (fs.listStatus(root).length > 0) {
                throw new IOException("Folder " + root + " is not empty and is not a " + what + " made by sparkprop"
                        + " (no " + marker + " in it), so it is left alone. Point " + key + " at a new or empty"
                        + " folder.");
            }
        }
        fs.mkdirs(root);
        fs.create(new Path(root, marker), true).close();
    }

    /** Deletes our files, the marker, and the folders left empty; anything else stays, and so does its folder. */
    public void release() throws IOException {
        if (!isOurs()) {
            return;
        }
        deleteOurFiles();
        fs.delete(new Path(root, marker), false);
        deleteIfEmpty(root);
    }

    private void deleteOurFiles() throws IOException {
        List<FileStatus> folders = new ArrayList<>();
        deleteOurFiles(root, "", folders);
        for (int i = folders.size() - 1; i >= 0; i--) { // deepest first
            deleteIfEmpty(folders.get(i).getPath());
        }
    }

    private void deleteOurFiles(Path dir, String prefix, List<FileStatus> folders) throws IOException {
        for (FileStatus status : fs.listStatus(dir)) {
            String relative = prefix + status.getPath().getName();
            if (status.isDirectory()) {
                folders.add(status);
                deleteOurFiles(status.getPath(), relative + "/", folders);
            } else if (ours.matcher(relative).matches()) {
                fs.delete(status.getPath(), false);
            }
        }
    }

    private void deleteIfEmpty(Path dir) throws IOException {
        if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
            fs.delete(dir, false);
        }
    }
}
