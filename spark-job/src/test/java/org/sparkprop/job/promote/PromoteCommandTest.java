package org.sparkprop.job.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.cli.SparkPropCli;

/** {@code promote --to URI}: what is in service and the history; {@code --rollback}; keeping promote.keep models. */
class PromoteCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new SparkPropCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8)).entryPoint(args);
    }

    /** Promotes a stand-in model file for {@code runId} as a run would: publish, history line, pointer, prune. */
    private static String promote(ServedModels served, String runId, double accuracy, int keep) throws Exception {
        Path model = Files.writeString(Files.createTempFile("model-", ".zip"), "model of " + runId);
        served.claim();
        String name = served.publish(runId, model);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "train");
        line.put("run_id", runId);
        line.put("time", "2026-12-0" + runId.charAt(7) + "T02:00:00Z");
        line.put("metric", "accuracy");
        line.put("candidate", Map.of("accuracy", accuracy));
        line.put("promoted", true);
        line.put("model", name);
        served.append(line);
        served.point(name);
        served.prune(keep);
        return name;
    }

    @Test
    void promoteShowsTheModelInServiceAndRollbackPutsThePreviousOneBack() throws Exception {
        ServedModels served = ServedModels.at(dir.resolve("served").toString(), "--to", new Configuration());
        String a = promote(served, "20261201-020000-aaaa", 0.97, 5);
        String b = promote(served, "20261202-020000-bbbb", 0.98, 5);

        assertEquals(0, run("promote", "--to", dir.resolve("served").toString()));
        assertEquals("in service at " + served.uri() + ": " + b + "\n"
                + "kept models: " + a + ", " + b + "\n"
                + "  2026-12-01T02:00:00Z  run 20261201-020000-aaaa  accuracy 0.9700  promoted\n"
                + "  2026-12-02T02:00:00Z  run 20261202-020000-bbbb  accuracy 0.9800  promoted\n", out.toString());

        assertEquals(0, run("promote", "--to", dir.resolve("served").toString(), "--rollback"));
        assertEquals("rolled back: " + a + " is in service again at " + served.uri() + " (was " + b + ")\n",
                out.toString());
        assertEquals(a, served.current());
        assertEquals("model of 20261201-020000-aaaa", Files.readString(dir.resolve("served").resolve(a)));

        assertEquals(2, run("promote", "--to", dir.resolve("served").toString(), "--rollback"));
        assertEquals("error: Nothing to roll back to: " + a + " is the oldest promoted model still kept in "
                + served.uri() + " (promote.keep keeps the newest ones).\n", err.toString());
        assertEquals(2, run("promote"));
        assertTrue(err.toString().startsWith("error: promote needs --to URI, the folder given to train --promote-to\n"
                + "usage: sparkprop promote --to URI"), err.toString());
    }

    @Test
    void aHistoryEditedToNameAFileOutsideTheFolderIsRefusedAndCurrentStaysAsItWas() throws Exception {
        ServedModels served = ServedModels.at(dir.resolve("served").toString(), "--to", new Configuration());
        promote(served, "20261201-020000-aaaa", 0.97, 5);
        String b = promote(served, "20261202-020000-bbbb", 0.98, 5);
        Files.createDirectories(dir.resolve("evil"));
        Files.writeString(dir.resolve("evil/model-zz.zip"), "not ours");
        Path history = dir.resolve("served").resolve(ServedModels.HISTORY);
        Files.writeString(history, Files.readString(history).replace("model-20261201-020000-aaaa.zip",
                "../evil/model-zz.zip"));

        assertEquals(2, run("promote", "--to", dir.resolve("served").toString(), "--rollback"));

        assertEquals("error: Line 1 of " + served.uri() + "/history.jsonl names model '../evil/model-zz.zip', which"
                + " is not a model file name of this folder (model-*.zip), so the history is not used. Restore the"
                + " file from a backup, or fix that line.\n", err.toString());
        assertEquals(b, served.current());

        Files.writeString(history, "{not json\n");
        assertEquals(2, run("promote", "--to", dir.resolve("served").toString(), "--rollback"));
        assertTrue(err.toString().startsWith("error: Line 1 of " + served.uri() + "/history.jsonl is not JSON ("),
                err.toString());
        assertTrue(err.toString().endsWith("). Restore the file from a backup, or remove that line if it was added"
                + " by hand.\n"), err.toString());
    }

    @Test
    void onlyTheNewestPromoteKeepModelsStayAndTheOneInServiceNeverGoes() throws Exception {
        ServedModels served = ServedModels.at(dir.resolve("served").toString(), "--to", new Configuration());
        String a = promote(served, "20261201-020000-aaaa", 0.97, 2);
        String b = promote(served, "20261202-020000-bbbb", 0.98, 2);
        served.rollback(new Configuration()); // a in service again
        String c = promote(served, "20261203-020000-cccc", 0.99, 2);

        assertEquals(List.of(b, c), served.models(), "a was the oldest beyond promote.keep = 2");
        assertEquals(c, served.current());
        String d = promote(served, "20261204-020000-dddd", 0.99, 1);
        assertEquals(List.of(d), served.models());
    }

    @Test
    void aPromotionFolderInsideTheRunsOwnFoldersIsRefusedBeforeAnythingStarts() {
        String output = dir.resolve("run").toString();

        assertEquals(2, run("train", "../examples/mnist-lenet.conf", "--set", "output=" + output, "--promote-to",
                output + "/served"));
        assertEquals("error: Invalid configuration --promote-to = " + output + "/served with output = " + output
                + ": --promote-to lies inside output, so one could overwrite or delete the other's files. Give each"
                + " its own folder.\n", err.toString());
        assertEquals(2, run("train", "../examples/mnist-lenet.conf", "--allow-class-change"));
        assertTrue(err.toString().startsWith("error: --allow-class-change only applies with --promote-to URI\n"),
                err.toString());
    }
}
