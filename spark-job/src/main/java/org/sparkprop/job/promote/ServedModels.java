package org.sparkprop.job.promote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.output.AtomicFiles;
import org.sparkprop.job.output.RunLock;

/**
 * The folder a scheduled retraining promotes into, on any Hadoop file system:
 * <pre>
 *   _sparkprop-served     marker: the folder is ours (a non-empty folder without it is never written to)
 *   current               the file name of the model in service, e.g. model-20261202-020000-3fa9.zip
 *   model-RUNID.zip       the last promote.keep promoted models, byte for byte as their runs wrote them
 *   history.jsonl         one JSON line per run and per rollback, append-only
 * </pre>
 * Every file is written under a temporary name and renamed into place, so a reader sees the old or the new
 * {@code current}, never half of one; a model file is complete before {@code current} names it.
 */
public final class ServedModels {
    public static final String MARKER = "_sparkprop-served";
    public static final String CURRENT = "current";
    public static final String HISTORY = "history.jsonl";
    static final Pattern MODEL = Pattern.compile("model-[0-9A-Za-z-]+\\.zip");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final FileSystem fs;
    private final String option;

    private ServedModels(Path root, FileSystem fs, String option) {
        this.root = root;
        this.fs = fs;
        this.option = option;
    }

    /**
     * The folder at {@code uri}, which need not exist yet.
     *
     * @param option what names the folder, for messages (e.g. {@code --promote-to})
     * @throws ConfigException when it is a file, or a non-empty folder sparkprop did not make
     */
    public static ServedModels at(String uri, String option, Configuration hadoop) throws IOException {
        Path root = new Path(uri);
        FileSystem fs = root.getFileSystem(hadoop);
        ServedModels served = new ServedModels(fs.makeQualified(root), fs, option);
        if (fs.exists(root)) {
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new ConfigException("Invalid value " + uri + " for " + option + ": it is a file, not a folder of"
                        + " served models. Point " + option + " at a new or empty folder, or at one an earlier"
                        + " promotion made.");
            }
            if (!fs.exists(new Path(root, MARKER))) {
                List<String> others = new ArrayList<>();
                for (FileStatus status : fs.listStatus(root)) {
                    if (!status.getPath().getName().equals(RunLock.FILE_NAME)) {
                        others.add(status.getPath().getName());
                    }
                }
                if (!others.isEmpty()) {
                    throw new ConfigException("Folder " + uri + " (" + option + ") is not empty and holds no "
                            + MARKER + ", so it is not a folder of served models made by sparkprop and nothing is"
                            + " written there (it holds " + String.join(", ", others.subList(0, Math.min(3,
                            others.size()))) + (others.size() > 3 ? ", ..." : "") + "). Point " + option
                            + " at a new or empty folder.");
                }
            }
        }
        return served;
    }

    public String uri() {
        return root.toString();
    }

    /** Whether a model has ever been promoted here. */
    public boolean exists() throws IOException {
        return fs.exists(new Path(root, CURRENT));
    }

    /** The file name of the model in service, or null before the first promotion. */
    public String current() throws IOException {
        Path pointer = new Path(root, CURRENT);
        if (!fs.exists(pointer)) {
            return null;
        }
        String name = new String(read(pointer), StandardCharsets.UTF_8).trim();
        if (!MODEL.matcher(name).matches() || !fs.exists(new Path(root, name))) {
            throw new ConfigException("The served-model pointer " + pointer + " names '" + name + "', which is not a"
                    + " model file in " + root + ". Restore it with bin/sparkprop promote --to " + root
                    + " --rollback, or write the name of one of the model-*.zip files there into it.");
        }
        return name;
    }

    /** The URI of a model file in this folder. */
    public String uriOf(String modelFile) {
        return new Path(root, modelFile).toString();
    }

    /** Copies a model file here to a local temporary file (the caller deletes it), to check and load it. */
    public java.nio.file.Path copyToLocal(String modelFile) throws IOException {
        java.nio.file.Path local = Files.createTempFile("sparkprop-served-", ".zip");
        try (InputStream in = fs.open(new Path(root, modelFile))) {
            Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return local;
    }

    /** Lays claim to the folder: created with its marker when new. */
    void claim() throws IOException {
        fs.mkdirs(root);
        Path marker = new Path(root, MARKER);
        if (!fs.exists(marker)) {
            AtomicFiles.write(fs, marker, out -> { }); // empty; on a local disk without a .crc beside it
        }
    }

    /** Copies {@code model} (a local file) here as {@code model-RUNID.zip}, complete before it has its name. */
    String publish(String runId, java.nio.file.Path model) throws IOException {
        String name = "model-" + runId + ".zip";
        AtomicFiles.write(fs, new Path(root, name), out -> Files.copy(model, out));
        return name;
    }

    /** Points {@code current} at {@code modelFile}, atomically. */
    void point(String modelFile) throws IOException {
        AtomicFiles.write(fs, new Path(root, CURRENT), out -> out.write((modelFile + "\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The history, oldest line first; empty before the first run. */
    public List<JsonNode> history() throws IOException {
        Path file = new Path(root, HISTORY);
        List<JsonNode> lines = new ArrayList<>();
        if (!fs.exists(file)) {
            return lines;
        }
        String[] text = new String(read(file), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < text.length; i++) {
            if (text[i].isBlank()) {
                continue;
            }
            JsonNode line;
            try {
                line = JSON.readTree(text[i]);
            } catch (IOException e) {
                throw new ConfigException("Line " + (i + 1) + " of " + file + " is not JSON ("
                        + e.getMessage().lines().findFirst().orElse("") + "). Restore the file from a backup, or"
                        + " remove that line if it was added by hand.");
            }
            for (String field : List.of("model", "from", "to")) {
                if (line.hasNonNull(field) && !MODEL.matcher(line.get(field).asText()).matches()) {
                    throw new ConfigException("Line " + (i + 1) + " of " + file + " names " + field + " '"
                            + line.get(field).asText() + "', which is not a model file name of this folder"
                            + " (model-*.zip), so the history is not used. Restore the file from a backup, or fix"
                            + " that line.");
                }
            }
            lines.add(line);
        }
        return lines;
    }

    /** Adds one line to history.jsonl: the file is rewritten under a temporary name and renamed into place. */
    void append(Map<String, Object> line) throws IOException {
        Path file = new Path(root, HISTORY);
        byte[] old = fs.exists(file) ? read(file) : new byte[0];
        byte[] added = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(fs, file, out -> {
            out.write(old);
            out.write(added);
        });
    }

    /** Model files of promoted runs, oldest promotion first (a model promoted twice counts at its last time). */
    static List<String> promoted(List<JsonNode> history) {
        Set<String> order = new LinkedHashSet<>();
        for (JsonNode line : history) {
            if (line.path("promoted").asBoolean(false) && line.hasNonNull("model")) {
                order.remove(line.get("model").asText());
                order.add(line.get("model").asText());
            }
        }
        return new ArrayList<>(order);
    }

    /**
     * Deletes the model files of promoted runs beyond the newest {@code keep}, except the one in service. Only
     * files this folder's history names as promoted are deleted.
     *
     * @return the files deleted
     */
    List<String> prune(int keep) throws IOException {
        List<String> promoted = promoted(history());
        String current = current();
        List<String> deleted = new ArrayList<>();
        for (String name : promoted.subList(0, Math.max(0, promoted.size() - keep))) {
            Path file = new Path(root, name);
            if (!name.equals(current) && MODEL.matcher(name).matches() && fs.exists(file)) {
                fs.delete(file, false);
                deleted.add(name);
            }
        }
        return deleted;
    }

    /** What a rollback did: the model taken out of service and the one back in it. */
    public record Rollback(String from, String to) {
    }

    /**
     * Puts the model promoted before the one in service back in service (its file untouched since its run wrote
     * it), and records that in the history. The folder is locked meanwhile.
     *
     * @throws ConfigException when nothing is served, or no earlier promoted model is still kept
     */
    public Rollback rollback(Configuration hadoop) throws IOException {
        try (RunLock ignored = lock(hadoop)) {
            String current = current();
            if (current == null) {
                throw new ConfigException("Nothing to roll back: no model has been promoted to " + root + " ("
                        + CURRENT + " is missing).");
            }
            List<String> promoted = promoted(history());
            int at = promoted.indexOf(current);
            String previous = null;
            for (int i = (at < 0 ? promoted.size() : at) - 1; i >= 0 && previous == null; i--) {
                if (has(promoted.get(i))) {
                    previous = promoted.get(i);
                }
            }
            if (previous == null) {
                throw new ConfigException("Nothing to roll back to: " + current + " is the oldest promoted model"
                        + " still kept in " + root + " (promote.keep keeps the newest ones).");
            }
            Map<String, Object> line = new java.util.LinkedHashMap<>();
            line.put("event", "rollback");
            line.put("time", java.time.Instant.now().toString());
            line.put("from", current);
            line.put("to", previous);
            append(line);
            point(previous);
            return new Rollback(current, previous);
        }
    }

    /** Model files kept here (model-*.zip), by name. */
    public List<String> models() throws IOException {
        List<String> out = new ArrayList<>();
        if (fs.exists(root)) {
            for (FileStatus status : fs.listStatus(root)) {
                if (MODEL.matcher(status.getPath().getName()).matches()) {
                    out.add(status.getPath().getName());
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** Whether a model file is still here. */
    boolean has(String modelFile) throws IOException {
        return fs.exists(new Path(root, modelFile));
    }

    /** Locks the folder for one run or rollback at a time. */
    RunLock lock(Configuration hadoop) throws IOException {
        return RunLock.acquire(root.toString(), option, hadoop);
    }

    private byte[] read(Path file) throws IOException {
        try (InputStream in = fs.open(file); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
