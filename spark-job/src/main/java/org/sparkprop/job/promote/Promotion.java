package org.sparkprop.job.promote;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.sparkprop.job.config.ConfigException;
import org.sparkprop.job.config.PromoteSection;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.eval.EvaluationResult;
import org.sparkprop.job.eval.ExecutorEvaluator;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.output.RunLock;

/**
 * {@code train --promote-to URI}: the gate between a scheduled run and the model in service. Before Spark starts it
 * locks the folder of served models, checks the data's classes against the last run's ({@link ClassBalance}) and
 * against the served model's (classes and input size must match, unless {@code --allow-class-change}). After
 * training, the served model is evaluated on the executors on the same test data as the run's final test, and the
 * new one is promoted when the {@link PromotionGate} says so (always on the first run). Every run adds a line to
 * history.jsonl.
 */
public final class Promotion {
    public static final String OPTION = "--promote-to";
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final String uri;
    private final boolean allowClassChange;
    private final PromoteSection settings;
    private final Configuration hadoop;
    private final String runId;
    private final Instant started;
    private ServedModels served;
    private String servedModel;
    private Map<String, Object> servedInput;
    private Outcome outcome;

    /** @param allowClassChange promote a model whose classes or input size differ from the served one's */
    public Promotion(String uri, boolean allowClassChange, PromoteSection settings, Configuration hadoop) {
        this.uri = uri;
        this.allowClassChange = allowClassChange;
        this.settings = settings;
        this.hadoop = hadoop;
        this.started = Instant.now();
        this.runId = RUN_ID.format(started) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current()
                .nextInt(1 << 16));
    }

    /** What the promotion step decided. */
    public record Outcome(boolean promoted, String reason, String model, EvaluationResult candidate,
                          String servedModel, EvaluationResult served, List<String> deleted) {
        /** The block metrics.json records as {@code promotion}. */
        public Map<String, Object> toMap(String uri, String runId) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("to", uri);
            out.put("run_id", runId);
            out.put("promoted", promoted);
            out.put("reason", reason);
            out.put("model", model);
            out.put("served_model", servedModel);
            out.put("candidate", candidate == null ? null : figures(candidate));
            out.put("served", served == null ? null : figures(served));
            return out;
        }
    }

    public String runId() {
        return runId;
    }

    public String uri() {
        return uri;
    }

    /** Null until {@link #decide} ran. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The checks before Spark starts: the folder is one of ours (or new), nobody else promotes into it now, the
     * data's classes have not moved from the last run's, and the served model takes this data.
     *
     * @return the lock on the folder, released when the run ends
     */
    public RunLock checkBeforeSpark(TrainingData data, PrintStream console) throws IOException {
        served = ServedModels.at(uri, OPTION, hadoop);
        RunLock lock = served.lock(hadoop);
        try {
            List<JsonNode> history = served.history();
            for (String note : ClassBalance.check(ClassBalance.lastRun(history),
                    ClassBalance.of(data.classNames(), data.classCounts()), settings.maxClassShift(),
                    allowClassChange)) {
                console.println(note);
            }
            servedModel = served.current();
            if (servedModel == null) {
                console.println("promotion: nothing served at " + uri + " yet; this run's model will be the first");
                return lock;
            }
            servedInput = inputOf(servedModel);
            List<String> classes = classes(servedInput);
            String size = String.valueOf(servedInput.get("image_size"));
            boolean same = classes.equals(data.classNames()) && size.equals(data.shape().toString());
            if (!same && !allowClassChange) {
                throw new ConfigException("The served model " + served.uriOf(servedModel) + " predicts classes "
                        + classes + " from " + size + " images; this run's data has classes " + data.classNames()
                        + " at " + data.shape() + ". A model for other classes or inputs is never promoted"
                        + " silently: pass --allow-class-change to replace it anyway, or point " + OPTION
                        + " at another folder.");
            }
            if (!same) {
                console.println("promotion: classes or input size differ from the served model's"
                        + " (--allow-class-change): the new model will replace it without a comparison");
                servedInput = null;
            }
            console.println("promotion: serving " + servedModel + " at " + uri + "; the new model must beat its "
                    + settings.metric() + " by " + settings.minDelta() + " on the same test data");
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * After training: evaluates the served model on the test data on the executors, compares it with the candidate's
     * figures on the same data, promotes or not, appends the history line, and prunes old models.
     *
     * @param candidateResult the new model's final test figures (the run's own test)
     * @param candidateFile   the new model, already saved
     * @param configHash      digest of the run's result-defining config
     */
    public Outcome decide(JavaSparkContext sc, EvaluationResult candidateResult, java.nio.file.Path candidateFile,
                          TrainingData data, String configHash, PrintStream console) throws IOException {
        EvaluationResult servedResult = null;
        boolean promote;
        String reason;
        if (servedModel == null) {
            promote = true;
            reason = "promoted: the first model at " + uri;
        } else if (servedInput == null) {
            promote = true;
            reason = "promoted: classes or input size changed (--allow-class-change), no comparison made";
        } else {
            java.nio.file.Path local = served.copyToLocal(servedModel);
            try {
                NeuralNetwork old = ModelStore.loadAny(local);
                servedResult = ExecutorEvaluator.evaluate(sc, old, data.testBatchesForExecutors(),
                        data.classNames());
            } finally {
                Files.deleteIfExists(local);
            }
            PromotionGate.Decision decision = PromotionGate.of(settings).decide(candidateResult, servedResult);
            promote = decision.promote();
            reason = decision.reason();
        }
        served.claim();
        String model = promote ? served.publish(runId, candidateFile) : null;
        served.append(historyLine(data, configHash, promote, reason, model, candidateResult, servedResult,
                candidateFile));
        List<String> deleted = List.of();
        if (promote) {
            served.point(model);
            deleted = served.prune(settings.keep());
        }
        outcome = new Outcome(promote, reason, model, candidateResult, servedModel, servedResult, deleted);
        console.println(reason);
        console.println(promote ? "promotion: " + served.uriOf(model) + " is now in service (" + uri + "/"
                + ServedModels.CURRENT + ")" + (deleted.isEmpty() ? "" : "; deleted the older " + deleted)
                : "promotion: " + servedModel + " stays in service; this run's model is only in its output folder");
        return outcome;
    }

    private Map<String, Object> historyLine(TrainingData data, String configHash, boolean promote, String reason,
                                            String model, EvaluationResult candidate, EvaluationResult servedResult,
                                            java.nio.file.Path candidateFile) {
        Map<String, Object> dataFacts = new LinkedHashMap<>();
        dataFacts.put("name", data.name());
        dataFacts.put("fingerprint", data.fingerprint());
        dataFacts.put("class_counts", ClassBalance.of(data.classNames(), data.classCounts()));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "train");
        line.put("run_id", runId);
        line.put("time", started.toString());
        line.put("finished", Instant.now().toString());
        line.put("config_hash", configHash);
        line.put("data", dataFacts);
        line.put("metric", settings.metric());
        line.put("min_delta", settings.minDelta());
        line.put("candidate", figures(candidate));
        line.put("served_model", servedModel);
        line.put("served", servedResult == null ? null : figures(servedResult));
        line.put("promoted", promote);
        line.put("reason", reason);
        line.put("model", model);
        line.put("output", candidateFile.toAbsolutePath().toString());
        return line;
    }

    static Map<String, Object> figures(EvaluationResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", result.accuracy());
        out.put("f1_macro", result.f1());
        out.put("loss", result.loss());
        out.put("examples", result.examples());
        return out;
    }

    /** SHA-256 of the key = value lines, for the history's config hash. */
    public static String hash(Map<String, String> values) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            values.forEach((k, v) -> digest.update((k + " = " + v + "\n").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> inputOf(String modelFile) throws IOException {
        java.nio.file.Path local = served.copyToLocal(modelFile);
        try {
            JsonNode input = ModelStore.input(local);
            if (input == null) {
                throw new ConfigException("The served model " + served.uriOf(modelFile) + " has no "
                        + ModelStore.INPUT_ENTRY + " (classes, image size), so it cannot be compared with this run's"
                        + " model. Promote into a folder that holds models written by sparkprop train.");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image_size", input.path("image_size").asText());
            List<String> classes = new ArrayList<>();
            input.path("classes").forEach(c -> classes.add(c.asText()));
            out.put("classes", classes);
            return out;
        } finally {
            Files.deleteIfExists(local);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> classes(Map<String, Object> input) {
        return (List<String>) input.get("classes");
    }
}
