package org.sparkprop.job.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.data.fs.LocalFiles;
import org.sparkprop.job.config.ConfigException;

/**
 * A lock file that keeps two runs out of one folder at once (the output folder, and a checkpoint folder outside
 * it): created atomically, naming the run that holds it (host, process, start), removed when the run ends. A lock
 * left by a process that is gone from this host is stale and taken over; one from another host is only reported,
 * since that process cannot be seen from here.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE_NAME = ".sparkprop.lock";
    private static final String UNREADABLE = "unreadable";

    private final FileSystem fs;
    private final Path file;
    private final String token;

    private RunLock(FileSystem fs, Path file, String token) {
        this.fs = fs;
        this.file = file;
        this.token = token;
    }

    /**
     * Locks {@code folder} (a local path or any Hadoop URI) for this run.
     *
     * @param key the setting that names the folder, for the message
     * @throws ConfigException naming the run that holds the lock, and what to do if it is gone
     */
    public static RunLock acquire(String folder, String key, Configuration hadoop) throws IOException {
        Path dir = new Path(folder);
        FileSystem fs = dir.getFileSystem(hadoop);
        fs.mkdirs(dir);
        Path file = new Path(dir, FILE_NAME);
        String token = UUID.randomUUID().toString();
        Map<String, String> me = new LinkedHashMap<>();
        me.put("host", host());
        me.put("pid", Long.toString(ProcessHandle.current().pid()));
        me.put("started", Instant.now().toString());
        me.put("token", token);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (create(fs, file, render(me))) {
                return new RunLock(fs, file, token);
            }
            Map<String, String> holder = read(fs, file);
            if (holder.isEmpty() && !exists(fs, file)) {
                continue; // released between the two looks: try again
            }
            if (holder.isEmpty()) {
                throw new ConfigException("Folder " + folder + " (" + key + ") holds a lock file that names no run"
                        + " (" + file + "): another run is creating it, or one was stopped while it did. If no run"
                        + " is using the folder, delete the lock file; else wait for that run to end or point " + key
                        + " elsewhere.");
            }
            if (holder.containsKey(UNREADABLE)) {
                throw new ConfigException("Folder " + folder + " (" + key + ") holds a lock file that cannot be read"
                        + " (" + file + ": " + holder.get(UNREADABLE) + "), so another run may be using it. If none"
                        + " is, delete the lock file; else wait for that run to end or point " + key
                        + " elsewhere.");
            }
            if (!stale(holder)) {
                throw new ConfigException("Folder " + folder + " (" + key + ") is in use by another run: process "
                        + holder.getOrDefault("pid", "?") + " on " + holder.getOrDefault("host", "?") + ", started "
                        + holder.getOrDefault("started", "?") + " (lock file " + file + "). Wait for it to end, point "
                        + key + " elsewhere, or, if that run is gone, delete the lock file.");
            }
            if (holder.equals(read(fs, file))) { // its process is gone from this host, and no one took it over
                fs.delete(file, false);
            }
        }
        throw new ConfigException("Cannot lock " + folder + " (" + key + "): the lock file " + file + " keeps"
                + " reappearing. Another run is starting there; point " + key + " elsewhere.");
    }

    /** Removes the lock, if it is still this run's. */
    @Override
    public void close() throws IOException {
        if (token.equals(read(fs, file).get("token"))) {
            fs.delete(file, false);
        }
    }

    /**
     * Creates the lock file unless it exists, atomically: a local file with {@code O_EXCL} (Hadoop's local file
     * system checks and then opens, so two runs could both get past it), elsewhere with the file system's
     * create-if-absent (atomic on HDFS).
     */
    private static boolean create(FileSystem fs, Path file, String content) throws IOException {
        java.nio.file.Path local = LocalFiles.of(fs, file);
        if (local != null) {
            try {
                Files.write(local, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean stale(Map<String, String> holder) {
        if (!host().equals(holder.get("host"))) {
            return false;
        }
        try {
            long pid = Long.parseLong(holder.getOrDefault("pid", ""));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The holder's lines; empty when there is no lock; {@link #UNREADABLE} with the reason when it cannot be read. */
    private static Map<String, String> read(FileSystem fs, Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        java.nio.file.Path local = LocalFiles.of(fs, file);
        byte[] bytes;
        try {
            if (local != null) {
                try (InputStream in = Files.newInputStream(local)) {
                    bytes = in.readNBytes(4096);
                }
            } else {
                if (!fs.exists(file)) {
                    return out;
                }
                try (InputStream in = fs.open(file)) {
                    bytes = in.readNBytes(4096);
                }
            }
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            return out;
        } catch (IOException e) {
            out.put(UNREADABLE, e.toString());
            return out;
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    private static boolean exists(FileSystem fs, Path file) throws IOException {
        java.nio.file.Path local = LocalFiles.of(fs, file);
        return local != null ? Files.exists(local) : fs.exists(file);
    }

    private static String render(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
            return name.substring(name.indexOf('@') + 1);
        }
    }
}
