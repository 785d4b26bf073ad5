package org.sparkprop.data.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.io.IOUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.fs.OwnedFolder;
import org.sparkprop.data.folder.BadInputReason;
import org.sparkprop.data.folder.BadInputReport;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageFiles;
import org.sparkprop.data.folder.UnreadableInputException;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.normalize.ChannelStats;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.partition.BatchNumberPartitioner;
import org.sparkprop.data.split.Split;
import org.sparkprop.data.split.StratifiedSplit;
import org.sparkprop.model.InputShape;
import scala.Tuple2;

/**
 * Builds, or reuses, the pre-batched copy of an image folder (DL4J DataSet files, as its "export" training approach
 * uses), on the executors: decode every file once (bad files counted and reported), split, compute normalization
 * statistics in one distributed pass when standardizing, then write each mini-batch as one file with 8-bit pixels
 * (4x smaller than floats; normalization and augmentation are applied when a batch is loaded).
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

    /** Builds the copy: target folder, decode, bad-input report, split, statistics, layout, batch files, manifest. */
    private static Outcome build(JavaSparkContext sc, ExportSpec spec, ImageFolder.Listing listing, String recipe,
                                 Configuration hadoop, String reason) throws IOException {
        Path target = new Path(spec.target());
        FileSystem fs = target.getFileSystem(hadoop);
        new OwnedFolder(spec.target(), hadoop, MARKER, OUR_FILES, "pre-batched copy", "data.batches").claim();
        List<ImageItem> all = new ArrayList<>();
        Map<Integer, Split> folderSplit = new LinkedHashMap<>();
        listing.items().forEach((split, items) -> {
            for (ImageItem item : items) {
                all.add(item);
                folderSplit.put(item.id(), split);
            }
        });
        SerializableConfiguration conf = new SerializableConfiguration(hadoop);
        InputShape shape = spec.shape();
        JavaRDD<DecodedImage> decoded = decode(sc, all, new ImageDecoder(shape, spec.resize(), spec.limits()),
                spec.partitions(), spec.limits().maxBytes(), conf);
        try {
            List<ImageItem> good = new ArrayList<>();
            BadInputReport report = badInput(decoded, listing, all.size(), good);
            String reportFile = spec.target() + "/" + BadInputReport.FILE_NAME;
            report.write(reportFile, hadoop);
            report.check(spec.badInputThreshold(), reportFile);

            Map<Split, List<ImageItem>> parts = splitGood(good, folderSplit, listing.preSplit(), spec);
            int numClasses = listing.classes().size();
            Normalization normalization = normalization(sc, spec, decoded, parts.get(Split.TRAIN), shape);
            BatchLayout layout = BatchLayout.of(parts, listing.fileCount(), numClasses, spec.batchSize(),
                    spec.partitions(), spec.seed(), spec.target());
            long written = writeBatches(sc, decoded, layout, shape, numClasses, spec.partitions(), conf);
            if (written != good.size()) {
                throw new IllegalStateException("wrote " + written + " of " + good.size() + " images");
            }
            writeLabels(fs, new Path(target, LABELS_FILE), listing.classes());
            ExportManifest manifest = manifest(spec, listing, recipe, normalization, layout, report);
            writeManifest(fs, target, manifest);
            return new Outcome(new PreparedDataset(spec.target(), manifest, hadoop, false), report, reason);
        } catch (Exception e) { // Spark's SparkException is checked but undeclared
            throw UnreadableInputException.rethrow(e);
        } finally {
            decoded.unpersist(false);
        }
    }


    /** Every image read and decoded on the executors, kept (serialized) for the statistics and writing passes. */
    private static JavaRDD<DecodedImage> decode(JavaSparkContext sc, List<ImageItem> all, ImageDecoder decoder,
                                                int partitions, long maxBytes, SerializableConfiguration conf) {
        return sc.parallelize(all, Math.max(1, Math.min(partitions, all.size())))
                .mapPartitions(items -> decodeAll(items, decoder, maxBytes, conf))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }

    /**
     * The bad-input report of the listing and the decoding; fills {@code good} with the usable images (the driver
     * receives outcomes without pixels).
     */
    private static BadInputReport badInput(JavaRDD<DecodedImage> decoded, ImageFolder.Listing listing, int files,
                                           List<ImageItem> good) {
        List<DecodedImage> outcomes = decoded.map(d -> new DecodedImage(d.item(), d.ok() ? new byte[0] : null,
                d.bad())).collect();
        List<BadInput> bad = new ArrayList<>(listing.badInputs());
        for (DecodedImage d : outcomes) {
            if (d.ok()) {
                good.add(d.item());
            } else {
                bad.add(d.bad());
            }
        }
        return new BadInputReport(bad, files + listing.badInputs().size());
    }

    /** Writes each batch file of {@code layout} on the executors; returns the images written. */
    private static long writeBatches(JavaSparkContext sc, JavaRDD<DecodedImage> decoded, BatchLayout layout,
                                     InputShape shape, int numClasses, int partitions,
                                     SerializableConfiguration conf) {
        Broadcast<int[]> batches = sc.broadcast(layout.batchOf());
        Broadcast<int[]> rows = sc.broadcast(layout.rowOf());
        Broadcast<List<String>> paths = sc.broadcast(layout.paths());
        return decoded.filter(DecodedImage::ok)
                .mapToPair(d -> new Tuple2<>(batches.value()[d.item().id()],
                        new Tuple2<>(rows.value()[d.item().id()], d)))
                // placed by BatchPlan's rule: partitions differ by at most one batch
                .groupByKey(new BatchNumberPartitioner(partitions))
                .map(group -> writeBatch(paths.value().get(group._1()), group._2(), shape, numClasses, conf))
                .reduce(Long::sum);
    }

    private static ExportManifest manifest(ExportSpec spec, ImageFolder.Listing listing, String recipe,
                                           Normalization normalization, BatchLayout layout, BadInputReport report) {
        Map<String, Integer> byReason = new LinkedHashMap<>();
        report.countsByReason().forEach((r, c) -> byReason.put(r.id(), c));
        return new ExportManifest(ExportSpec.FORMAT, recipe, spec.source(), listing.fingerprint(),
                spec.shape().toString(), spec.resize().id(), listing.classes(),
                listing.preSplit() ? "folders" : "ratios", listing.preSplit() ? null : spec.ratios().toString(),
                spec.seed(), spec.batchSize(), new ExportManifest.NormalizationInfo(normalization.mode().id(),
                normalization.mean(), normalization.std()), layout.splits(),
                new ExportManifest.BadInputInfo(report.count(), report.examined(), byReason, BadInputReport.FILE_NAME),
                Instant.now().toString());
    }

    /** @throws UnreadableInputException for an I/O error: the task fails and Spark retries it */
    private static Iterator<DecodedImage> decodeAll(Iterator<ImageItem> items, ImageDecoder decoder, long maxBytes,
                                                    SerializableConfiguration conf) throws IOException {
        List<DecodedImage> out = new ArrayList<>();
        while (items.hasNext()) {
            ImageItem item = items.next();
            Path path = new Path(item.path());
            byte[] bytes = ImageFiles.read(path.getFileSystem(conf.value()), item.path(), maxBytes);
            if (bytes == null) {
                out.add(new DecodedImage(item, null, ImageFiles.tooLarge(item.path(), maxBytes)));
                continue;
            }
            ImageDecoder.Result result = decoder.decode(item.path(), bytes);
            out.add(new DecodedImage(item, result.pixels(), result.bad()));
        }
        return out.iterator();
    }

    private static Map<Split, List<ImageItem>> splitGood(List<ImageItem> good, Map<Integer, Split> folderSplit,
                                                         boolean preSplit, ExportSpec spec) {
        if (!preSplit) {
            return StratifiedSplit.split(good, ImageItem::label, spec.ratios(), spec.seed());
        }
        Map<Split, List<ImageItem>> parts = new EnumMap<>(Split.class);
        for (ImageItem item : good) {
            parts.computeIfAbsent(folderSplit.get(item.id()), s -> new ArrayList<>()).add(item);
        }
        return parts;
    }

    private static Normalization normalization(JavaSparkContext sc, ExportSpec spec,
                                               JavaRDD<DecodedImage> decoded, List<ImageItem> train,
                                               InputShape shape) {
        return switch (spec.normalization()) {
            case SCALE -> Normalization.scale();
            case NONE -> Normalization.none();
            case STANDARDIZE -> {
                BitSet trainIds = new BitSet();
                for (ImageItem item : train) {
                    trainIds.set(item.id());
                }
                Broadcast<BitSet> ids = sc.broadcast(trainIds);
                int channels = shape.channels();
                ChannelStats stats = decoded.filter(d -> d.ok() && ids.value().get(d.item().id()))
                        .aggregate(new ChannelStats(channels), (s, d) -> s.add(d.pixels()), ChannelStats::merge);
                yield Normalization.standardize(stats);
            }
        };
    }

    /** Writes one batch file: features [n, c, h, w] as 8-bit values, labels one-hot. Returns the example count. */
    private static long writeBatch(String file, Iterable<Tuple2<Integer, DecodedImage>> members, InputShape shape,
                                   int numClasses, SerializableConfiguration conf) throws IOException {
        List<Tuple2<Integer, DecodedImage>> rows = new ArrayList<>();
        members.forEach(rows::add);
        rows.sort((a, b) -> Integer.compare(a._1(), b._1()));
        int n = rows.size();
        int c = shape.channels();
        int pixels = shape.pixels();
        byte[] features = new byte[n * c * pixels];
        float[] labels = new float[n * numClasses];
        for (int r = 0; r < n; r++) {
            DecodedImage d = rows.get(r)._2();
            shape.toChannelsFirst(d.pixels(), features, r * c * pixels);
            labels[r * numClasses + d.item().label()] = 1f;
        }
        DataSet batch = new DataSet(
                // INT8 holds the 0..255 bytes bit for bit; the loader reads them back as unsigned
                Nd4j.createFromArray(features).reshape('c', n, c, shape.height(), shape.width()),
                Nd4j.create(labels, new long[] {n, numClasses}, 'c'));
        Path path = new Path(file);
        try (OutputStream out = path.getFileSystem(conf.value()).create(path, true)) {
            batch.save(out);
        }
        return n;
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
