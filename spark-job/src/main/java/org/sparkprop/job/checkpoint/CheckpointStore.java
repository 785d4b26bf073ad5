package org.sparkprop.job.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparkprop.data.fs.OwnedFolder;
import org.sparkprop.job.config.CheckpointSection;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.output.ModelZip;
import org.sparkprop.job.output.RunLock;

/**
 * Checkpoints in a folder on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}, or a plain local
 * path). Each checkpoint is one DL4J model zip (configuration with iteration and epoch counters, parameters, updater
 * state) plus a {@value #STATE_ENTRY} entry ({@link CheckpointState}). Written atomically: the zip is built locally,
 * copied under a temporary name starting with {@code .}, then renamed, so a reader (or a resume after a crash) only
 * ever sees complete checkpoints. After a write, all but the newest {@code keep} are deleted.
 * <p>
 * Names are {@code checkpoint-EEEEE-BBBBBBBB.zip} (epoch to continue in, batches of it done): the newest sorts
 * last. {@value #BEST_FILE} holds the best epoch's model when early stopping is on.
 */
public final class CheckpointStore {
    public static final String STATE_ENTRY = "sparkprop-checkpoint.json";
    public static final String BEST_FILE = "best-model.zip";
    private static final String PREFIX = "checkpoint-";
    /** Says a folder holds this program's checkpoints; without it, nothing in the folder is deleted. */
    static final String MARKER = "_sparkprop-checkpoints";
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-\\d{5}-\\d{8}\\.zip");
    /** Everything a store writes besides its marker: checkpoints, the best model, their temporary copies. */
    private static final Pattern OURS = Pattern.compile(
            "\\.?(checkpoint-\\d{5}-\\d{8}\\.zip|best-model\\.zip)(\\.[0-9a-f-]{36})?(\\.tmp)?");
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;
    private final FileSystem fs;
    private final int keep;

    public CheckpointStore(String dir, int keep, Configuration hadoopConf) throws IOException {
        URI uri = URI.create(dir.replace(" ", "%20"));
        Path path = uri.getScheme() == null ? new Path(new File(dir).getAbsoluteFile().toURI()) : new Path(uri);
        String text = path.toString();
        this.dir = text.endsWith("/") && text.length() > 1 ? new Path(text.substring(0, text.length() - 1)) : path;
        this.fs = this.dir.getFileSystem(hadoopConf);
        this.keep = keep;
    }

    public String dir() {
        return dir.toString();
    }

    /** SHA-256 over the sorted key=value lines of a config map. */
    public static String hash(Map<String, String> config) {
        StringBuilder lines = new StringBuilder();
        new java.util.TreeMap<>(config).forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a checkpoint of {@code network} and {@code state}, then prunes old ones; returns its URI. */
    public String write(NeuralNetwork network, CheckpointState state) throws IOException {
        String name = String.format(Locale.ROOT, "%s%05d-%08d.zip", PREFIX, state.next().epoch(),
                state.next().batchesDone());
        Path target = new Path(dir, name);
        writeZip(network, target, JSON.writeValueAsString(state));
        prune();
        return target.toString();
    }

    /** Writes the best model so far ({@value #BEST_FILE}), atomically. */
    public String writeBest(NeuralNetwork network) throws IOException {
        Path target = new Path(dir, BEST_FILE);
        writeZip(network, target, null);
        return target.toString();
    }

    /** The best model written by {@link #writeBest}, or null. */
    public NeuralNetwork readBest(boolean graph) throws IOException {
        Path best = new Path(dir, BEST_FILE);
        if (!fs.exists(best)) {
            return null;
        }
        File local = copyToLocal(best);
        try {
            try (ModelZip.Checked zip = ModelZip.check(local, best.toString())) {
                return graph ? zip.restoreComputationGraph(true) : zip.restoreMultiLayerNetwork(true);
            }
        } finally {
            Files.deleteIfExists(local.toPath());
        }
    }

    private void writeZip(NeuralNetwork network, Path target, String stateJson) throws IOException {
        File local = File.createTempFile("sparkprop-checkpoint", ".zip");
        try {
            ModelSerializer.writeModel((Model) network, local, true);
            if (stateJson != null) {
                ModelSerializer.addObjectToFile(local, STATE_ENTRY, stateJson);
            }
            fs.mkdirs(dir);
            Path marker = new Path(dir, MARKER);
            if (!fs.exists(marker)) {
                fs.create(marker, true).close();
            }
            // unique per write: two writers never share a temporary file, and the old file stays until the new
            // one is complete
            Path temporary = new Path(dir, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
            fs.copyFromLocalFile(false, true, new Path(local.toURI()), temporary);
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temporary, target)) {
                fs.delete(temporary, false);
                throw new IOException("cannot rename checkpoint " + temporary + " to " + target);
            }
        } finally {
            Files.deleteIfExists(local.toPath());
        }
    }

    /**
     * True when the newest complete checkpoint lies inside {@code epochs} epochs: a run to continue with --resume
     * (false when there is none, or it is the end of a finished run).
     */
    public boolean hasUnfinishedRun(int epochs, Consumer<String> warn) throws IOException {
        Checkpoint newest = newest(warn);
        return newest != null && newest.state().next().epoch() <= epochs;
    }

    /** Complete checkpoints, oldest first (temporary files are hidden and never listed). */
    public List<String> list() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        if (fs.exists(dir)) {
            for (FileStatus status : fs.listStatus(dir)) {
                String name = status.getPath().getName();
                if (CHECKPOINT.matcher(name).matches()) {
                    names.add(name);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : names) {
            out.add(new Path(dir, name).toString());
        }
        return out;
    }

    private void prune() throws IOException {
        List<String> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            fs.delete(new Path(all.get(i)), false);
        }
    }

    /**
     * Deletes every checkpoint, the best model and leftover temporary files (starting over): only files of those
     * names, and only in a folder that carries this store's marker; a user's other files stay.
     *
     * @throws IOException when the folder holds checkpoint-named files but no marker (not written by this store)
     */
    public void deleteAll() throws IOException {
        OwnedFolder folder = new OwnedFolder(dir.toString(), fs.getConf(), MARKER, OURS, "checkpoint folder",
                CheckpointSection.DIR.name());
        if (!folder.isOurs()) {
            if (!list().isEmpty()) {
                throw new IOException("Checkpoint folder " + dir + " holds checkpoints but no " + MARKER + " file,"
                        + " so sparkprop did not write it and deletes nothing in it. Delete them yourself, or set "
                        + CheckpointSection.DIR + " elsewhere.");
            }
            return;
        }
        folder.release();
    }

    /**
     * Before a new run writes here: a folder that holds files but not this store's marker is a user's, and a run
     * would overwrite its {@code best-model.zip} and later delete what it takes for its own. Refused, before Spark.
     * Only a run lock is allowed in it (a run that locked the folder and stopped before its first checkpoint).
     *
     * @throws ConfigException naming the folder, what it holds and what to do
     */
    public void checkWritable() throws IOException {
        if (!fs.exists(dir) || fs.exists(new Path(dir, MARKER))) {
            return;
        }
        if (!fs.getFileStatus(dir).isDirectory()) {
            throw new ConfigException(dir + " (" + CheckpointSection.DIR + ") is a file, not a folder for"
                    + " checkpoints. Point " + CheckpointSection.DIR + " at a new or empty folder.");
        }
        List<String> held = new ArrayList<>();
        for (FileStatus status : fs.listStatus(dir)) {
            if (!status.getPath().getName().equals(RunLock.FILE_NAME)) {
                held.add(status.getPath().getName());
            }
        }
        if (!held.isEmpty()) {
            java.util.Collections.sort(held);
            throw new ConfigException("Folder " + dir + " (" + CheckpointSection.DIR + ") holds " + held.size()
                    + " file(s) (" + String.join(", ", held.subList(0, Math.min(3, held.size())))
                    + (held.size() > 3 ? ", ..." : "") + ") but no " + MARKER + " marker, so sparkprop did not make"
                    + " it and writes nothing there. Point " + CheckpointSection.DIR + " at a new or empty folder.");
        }
    }

    /** The newest complete checkpoint that can be read, or null when there is none; damaged ones are skipped. */
    public Checkpoint newest() throws IOException {
        return newest(message -> { });
    }

    /**
     * The newest checkpoint that reads back: a damaged one (truncated, unreadable, refused) is skipped for the one
     * before it, and {@code warn} is told which and why.
     */
    public Checkpoint newest(Consumer<String> warn) throws IOException {
        List<String> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return read(all.get(i));
            } catch (IOException | RuntimeException e) {
                if (e instanceof IncompatibleCheckpointException) {
                    throw e;
                }
                warn.accept("warning: checkpoint " + all.get(i) + " cannot be read (" + e.getMessage() + ")"
                        + (i > 0 ? "; falling back to the previous one, " + all.get(i - 1)
                        : "; there is no earlier one"));
            }
        }
        return null;
    }

    /** Reads one checkpoint. */
    public Checkpoint read(String uri) throws IOException {
        File local = copyToLocal(new Path(uri));
        try (ModelZip.Checked zip = ModelZip.check(local, uri)) { // before reading anything of it
            String stateJson = zip.object(STATE_ENTRY);
            if (stateJson == null) {
                throw new IOException("checkpoint " + uri + " has no " + STATE_ENTRY + " entry: not a sparkprop"
                        + " checkpoint");
            }
            CheckpointState state = JSON.readValue(stateJson, CheckpointState.class);
            NeuralNetwork network = state.graph() ? zip.restoreComputationGraph(true)
                    : zip.restoreMultiLayerNetwork(true);
            return new Checkpoint(uri, network, state);
        } finally {
            Files.deleteIfExists(local.toPath());
        }
    }

    private File copyToLocal(Path path) throws IOException {
        File local = File.createTempFile("sparkprop-checkpoint", ".zip");
        fs.copyToLocalFile(false, path, new Path(local.toURI()), true);
        return local;
    }

    /**
     * Refuses to continue {@code checkpoint} with a config whose result-defining values differ, naming each key
     * that differs with both values.
     */
    public static void checkCompatible(Checkpoint checkpoint, Map<String, String> config) {
        String hash = hash(config);
        if (hash.equals(checkpoint.state().configHash())) {
            return;
        }
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(config.keySet());
        keys.addAll(checkpoint.state().config().keySet());
        for (String key : keys) {
            String was = checkpoint.state().config().get(key);
            String now = config.get(key);
            if (was == null ? now != null : !was.equals(now)) {
                differences.add(key + " = " + (now == null ? "(unset)" : now) + " (checkpoint: "
                        + (was == null ? "(unset)" : was) + ")");
            }
        }
        throw new IncompatibleCheckpointException("Cannot resume from " + checkpoint.uri() + ": it was trained with"
                + " another configuration: " + String.join(", ", differences) + ". Resume with the checkpoint's"
                + " values, or start a new run (--overwrite, or another output).");
    }
}
