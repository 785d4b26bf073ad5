package org.sparkprop.data.export;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import org.sparkprop.data.SettingNames;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.fs.OwnedFolder;
import org.sparkprop.data.fs.Uris;
import org.sparkprop.data.folder.BadInputReason;
import org.sparkprop.data.folder.BadInputReport;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.UnreadableInputException;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.Split;
import org.sparkprop.data.split.StratifiedSplit;
import org.sparkprop.model.InputShape;

/**
 * Builds, or reuses, the pre-batched copy of an image folder (DL4J DataSet files, as its "export" training approach
 * uses) in one streaming pass, as DL4J's {@code BatchAndExportDataSetsFunction} does: the split and the batches are
 * planned on the driver from the listing (metadata only); each task then reads, decodes and writes its batches one
 * at a time (one mini-batch of pixels in memory, whatever the task's size), summing the training pixels when
 * standardizing, and returns counts and bad files only. Each mini-batch is one file with 8-bit pixels (4x smaller
 * than floats; normalization and augmentation are applied when a batch is loaded). A bad file leaves its batch one
 * row short; the manifest lists the short batches.
 * <p>
 * Layout: {@code manifest.json}, {@code labels.txt}, {@code bad-input.tsv} and {@code <split>/batch-NNNNNN.bin}.
 * The manifest is written last and atomically: a copy without one is incomplete and is rebuilt. A folder is only
 * ever cleared when it is empty or carries this exporter's marker, so pointing the target at other data cannot
 * delete it.
 */
public final class BatchExporter {
    public static final String LABELS_FILE = "labels.txt";
    static final String MARKER = "_sparkprop-batches";
    /** What a copy consists of besides the marker: only these are ever deleted when it is rebuilt. */
    static final Pattern OUR_FILES = Pattern.compile("manifest\\.json|\\.manifest\\.json\\.tmp|labels\\.txt"
            + "|bad-input\\.tsv|(train|val|test)/batch-\\d{6}\\.bin");

    private BatchExporter() {
    }

    /**
     * How a copy came about, for the console and the run's metrics.
     *
     * @param badInput this build's report; null when an existing copy was reused (its report is in the copy)
     */
    public record Outcome(PreparedDataset dataset, BadInputReport badInput, String reason) {
    }

    /**
     * Reuses the copy at {@code spec.target()} when its manifest's recipe matches, and builds it otherwise.
     *
     * @throws org.sparkprop.data.folder.DatasetLayoutException     before any Spark work, for a missing root or an
     *                                                              empty class
     * @throws org.sparkprop.data.folder.TooMuchBadInputException   after writing the report, when too many files
     *                                                              are bad
     */
    public static Outcome prepare(JavaSparkContext sc, ExportSpec spec, ImageFolder.Listing listing)
            throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        String recipe = spec.recipe(listing.fingerprint(), listing.preSplit());
        PreparedDataset existing = PreparedDataset.open(spec.target(), hadoop);
        String reason;
        if (existing == null) {
            reason = "no complete copy at " + spec.target();
        } else if (existing.manifest().badInput().byReason().getOrDefault(BadInputReason.UNREADABLE.id(), 0) > 0) {
            reason = "the copy at " + spec.target() + " was built while " + existing.manifest().badInput().byReason()
                    .get(BadInputReason.UNREADABLE.id()) + " folder(s) could not be listed, so it is built again";
        } else if (existing.manifest().recipe().equals(recipe)) {
            return new Outcome(existing, null, "manifest matches (" + recipe.substring(0, 12) + ")");
        } else {
            reason = "the manifest at " + spec.target() + " was made from other files or settings";
        }
        return build(sc, spec, listing, recipe, hadoop, reason);
    }

    /**
     * Builds the copy in one pass: target folder, split and batch layout planned on the listed files, then each task
     * reads, decodes and writes its batches one at a time; the driver merges counts and bad files, writes the
     * bad-input report, closes the gaps that all-bad batches left, and writes the manifest last.
     */
    private static Outcome build(JavaSparkContext sc, ExportSpec spec, ImageFolder.Listing listing, String recipe,
                                 Configuration hadoop, String reason) throws IOException {
        Path target = new Path(spec.target());
        FileSystem fs = target.getFileSystem(hadoop);
        new OwnedFolder(spec.target(), hadoop, MARKER, OUR_FILES, "pre-batched copy",
                spec.names().of(SettingNames.Setting.BATCHES)).claim();
        int numClasses = listing.classes().size();
        BatchLayout layout = BatchLayout.of(plannedSplit(listing, spec), spec.batchSize(), spec.seed(),
                spec.target());
        InputShape shape = spec.shape();
        boolean standardize = spec.normalization() == Normalization.Mode.STANDARDIZE;
        ExportTask task = new ExportTask(new ImageDecoder(shape, spec.resize(), spec.limits(), spec.names()),
                numClasses, standardize, new SerializableConfiguration(hadoop));
        List<ExportPart> parts;
        try {
            parts = sc.parallelize(layout.batches(), spec.tasks(listing.bytes(), layout.batches().size()))
                    .mapPartitions(task::run).collect();
        } catch (Exception e) { // Spark's SparkException is checked but undeclared
            throw UnreadableInputException.rethrow(e);
        }
        ExportResult result = ExportResult.merge(parts, layout.batches().size(), numClasses, shape.channels());
        List<BadInput> bad = new ArrayList<>(listing.badInputs());
        bad.addAll(result.bad());
        BadInputReport report = new BadInputReport(bad, listing.fileCount() + listing.badInputs().size());
        String reportFile = spec.target() + "/" + BadInputReport.FILE_NAME;
        report.write(reportFile, hadoop);
        report.check(spec.badInputThreshold(), spec.names().of(SettingNames.Setting.BAD_INPUT_THRESHOLD),
                reportFile);
        if (result.written() != layout.placed() - result.bad().size()) {
            throw new IllegalStateException("wrote " + result.written() + " images, expected " + layout.placed()
                    + " listed minus " + result.bad().size() + " bad");
        }
        Map<String, ExportManifest.SplitInfo> splits = result.closeGaps(layout, spec.batchSize(), fs, spec.target());
        Normalization normalization = switch (spec.normalization()) {
            case SCALE -> Normalization.scale();
            case NONE -> Normalization.none();
            case STANDARDIZE -> Normalization.standardize(result.stats());
        };
        writeLabels(fs, new Path(target, LABELS_FILE), listing.classes());
        ExportManifest manifest = manifest(spec, listing, recipe, normalization, splits, report);
        writeManifest(fs, target, manifest);
        return new Outcome(new PreparedDataset(spec.target(), manifest, hadoop, false), report, reason);
    }

    /** The listed files of each split: the folders' own split, or the seeded stratified one. */
    private static Map<Split, List<ImageItem>> plannedSplit(ImageFolder.Listing listing, ExportSpec spec) {
        return listing.preSplit() ? listing.items()
                : StratifiedSplit.split(listing.items().get(Split.TRAIN), ImageItem::label, spec.ratios(),
                        spec.seed());
    }

    private static ExportManifest manifest(ExportSpec spec, ImageFolder.Listing listing, String recipe,
                                           Normalization normalization,
                                           Map<String, ExportManifest.SplitInfo> splits, BadInputReport report) {
        Map<String, Integer> byReason = new LinkedHashMap<>();
        report.countsByReason().forEach((r, c) -> byReason.put(r.id(), c));
        return new ExportManifest(ExportSpec.FORMAT, recipe, Uris.withoutPassword(spec.source()),
                listing.fingerprint(),
                spec.shape().toString(), spec.resize().id(), listing.classes(),
                listing.preSplit() ? "folders" : "ratios", listing.preSplit() ? null : spec.ratios().toString(),
                spec.seed(), spec.batchSize(), new ExportManifest.NormalizationInfo(normalization.mode().id(),
                normalization.mean(), normalization.std()), splits,
                new ExportManifest.BadInputInfo(report.count(), report.examined(), byReason, BadInputReport.FILE_NAME),
                Instant.now().toString());
    }

    private static void writeLabels(FileSystem fs, Path file, List<String> classes) throws IOException {
        try (FSDataOutputStream stream = fs.create(file, true);
             Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8)) {
            for (String name : classes) {
                out.write(name + "\n");
            }
        }
    }

    private static void writeManifest(FileSystem fs, Path target, ExportManifest manifest) throws IOException {
        Path temporary = new Path(target, "." + ExportManifest.FILE_NAME + ".tmp");
        try (FSDataOutputStream out = fs.create(temporary, true)) {
            manifest.write(out);
        }
        Path finalPath = new Path(target, ExportManifest.FILE_NAME);
        fs.delete(finalPath, false);
        if (!fs.rename(temporary, finalPath)) {
            throw new IOException("cannot rename " + temporary + " to " + finalPath);
        }
    }
}
