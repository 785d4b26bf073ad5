package org.sparkprop.job.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.sparkprop.data.fs.Uris;

/**
 * The resolved, validated settings of one training run: immutable. Every key is declared once, as a typed
 * {@link Key} in the section it belongs to ({@link ModelSection}, {@link DataSection}, {@link OptimizerSection},
 * {@link TrainerSection}, {@link CheckpointSection}, {@link EvaluationSection}, {@link OutputSection},
 * {@link TransferSection}, {@link PromoteSection}); {@link #of(Map)} parses every key, then builds each section once, running the checks
 * that span keys, all before any SparkContext starts.
 */
public final class TrainConfig {
    /** Every key, section by section, in the order {@code train --help} and {@code --dry-run} list them. */
    public static final ConfigDef DEF = new ConfigDef(List.of(ModelSection.SECTION, DataSection.SECTION,
            TrainerSection.SECTION, OptimizerSection.SECTION, CheckpointSection.SECTION, EvaluationSection.SECTION,
            OutputSection.SECTION, TransferSection.SECTION, PromoteSection.SECTION));

    /** Keys that decide where results go, how long, how fast or how they are reported, but not the parameters. */
    private static final Set<Key<?>> NOT_RESULT_DEFINING = Set.of(OutputSection.DIR, TrainerSection.EPOCHS,
            OutputSection.REPORT, EvaluationSection.TRAIN_ACCURACY, TrainerSection.MASTER,
            TrainerSection.PREFETCH_BATCHES, TrainerSection.COLLECT_STATS, TrainerSection.STORAGE_LEVEL,
            DataSection.BATCHES, DataSection.DIR, DataSection.PARTITIONS, TrainerSection.SHARED_PORT,
            TrainerSection.SHARED_CONTROLLER, TrainerSection.SHARED_NETWORK_MASK, TransferSection.FEATURES_DIR,
            PromoteSection.METRIC, PromoteSection.MIN_DELTA, PromoteSection.KEEP, PromoteSection.MAX_CLASS_SHIFT);

    private static final Pattern SECRET_KEY = Pattern.compile("(secret|password|token|(^|[.-])key)([.-]|$)");

    private final ConfigValues values;
    private final ModelSection model;
    private final DataSection data;
    private final OptimizerSection optimizer;
    private final TrainerSection trainer;
    private final CheckpointSection checkpoint;
    private final EvaluationSection evaluation;
    private final OutputSection output;
    private final TransferSection transfer;
    private final PromoteSection promote;

    private TrainConfig(ConfigValues values) {
        this.values = values;
        this.model = ModelSection.from(values);
        this.optimizer = OptimizerSection.from(values);
        this.data = DataSection.from(values);
        this.trainer = TrainerSection.from(values);
        this.output = OutputSection.from(values);
        this.transfer = TransferSection.from(values, output, optimizer);
        this.checkpoint = CheckpointSection.from(values, output);
        this.evaluation = EvaluationSection.from(values);
        this.promote = PromoteSection.from(values);
        PathOverlap.check(output, checkpoint, data, transfer);
    }

    /**
     * Parses and validates each key, then builds the sections with their cross-key checks.
     *
     * @throws ConfigException naming the key, the value and what to change
     */
    public static TrainConfig of(Map<String, String> raw) {
        return new TrainConfig(DEF.parse(raw));
    }

    public ModelSection model() {
        return model;
    }

    public DataSection data() {
        return data;
    }

    public OptimizerSection optimizer() {
        return optimizer;
    }

    public TrainerSection trainer() {
        return trainer;
    }

    public CheckpointSection checkpoint() {
        return checkpoint;
    }

    public EvaluationSection evaluation() {
        return evaluation;
    }

    public OutputSection output() {
        return output;
    }

    public TransferSection transfer() {
        return transfer;
    }

    public PromoteSection promote() {
        return promote;
    }

    /**
     * Refuses a folder named outside the config (such as {@code --promote-to}) that is, holds or lies inside one of
     * the run's folders (output, checkpoint.dir, data.path, data.batches, transfer.features-dir).
     *
     * @throws ConfigException naming both
     */
    public void checkApart(String name, String folder) {
        PathOverlap.checkApart(name, folder, output, checkpoint, data, transfer);
    }

    /**
     * Every key with its resolved value, in declaration order (null for an unset optional key), as written to
     * metrics.json, report.html, checkpoints and the dry run: secrets masked ({@link #mask}).
     */
    public Map<String, Object> values() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.asMap().forEach((key, value) -> out.put(key, mask(key, value)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * {@code value} fit to be written down: {@code ***} for a key whose name says it holds a secret (secret,
     * password, token, key), and the password of a URI's user info ({@code s3a://id:secret@bucket}) replaced.
     */
    static Object mask(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (SECRET_KEY.matcher(key).find()) {
            return "***";
        }
        return value instanceof String text ? withoutSecrets(text) : value;
    }

    /** {@code text} with the password of every URI's user info replaced: what messages, metrics and reports show. */
    public static String withoutSecrets(String text) {
        return Uris.withoutPassword(text);
    }

    /**
     * The keys whose values decide the trained parameters: everything except where results go, how long to train,
     * checkpointing, early stopping, reporting and speed-only settings (but the epoch count when a cosine schedule
     * spans the whole run). A checkpoint records these; resuming with a different value of any of them is refused.
     */
    public Map<String, String> resultDefiningValues() {
        Map<String, String> out = new TreeMap<>();
        for (ConfigDef.Section section : DEF.sections()) {
            if (section == CheckpointSection.SECTION) {
                continue;
            }
            for (Key<?> key : section.keys()) {
                if (!NOT_RESULT_DEFINING.contains(key) && !key.name().startsWith("early-stopping.")
                        && !key.name().startsWith("spark.gpu.")) {
                    out.put(key.name(), String.valueOf(mask(key.name(), values.get(key))));
                }
            }
        }
        if (OptimizerSection.cosineOverTheWholeRun(values)) { // the schedule's length is the epoch count
            out.put(OptimizerSection.COSINE_PERIOD.name(), trainer.epochs() + " (0: the whole run)");
        }
        return out;
    }
}
