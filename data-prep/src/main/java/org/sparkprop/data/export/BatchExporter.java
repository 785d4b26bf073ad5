package org.sparkprop.data.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.IOUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
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
import org.sparkprop.data.folder.BadInputReason;
import org.sparkprop.data.folder.BadInputReport;
import org.sparkprop.data.folder.ImageDecoder;
import org.sparkprop.data.folder.ImageFolder;
import org.sparkprop.data.folder.ImageItem;
import org.sparkprop.data.folder.ImageShape;
import org.sparkprop.data.normalize.ChannelStats;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.partition.BatchNumberPartitioner;
import org.sparkprop.data.partition.BatchPlan;
import org.sparkprop.data.split.Split;
import org.sparkprop.data.split.StratifiedSplit;
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
        } else if (existing.manifest().recipe().equals(recipe)) {
            return new Outcome(existing, null, "manifest matches (" + recipe.substring(0, 12) + ")");
        } else {
            reason = "the manifest at " + spec.target() + " was made from other files or settings";
        }
        return build(sc, spec, listing, recipe, hadoop, reason);
    }

    private static Outcome build(JavaSparkContext sc, ExportSpec spec, ImageFolder.Listing listing, String recipe,
                                 Configuration hadoop, String reason) throws IOException {
        Path target = new Path(spec.target());
        FileSystem fs = target.getFileSystem(hadoop);
        clearTarget(fs, target);
        fs.mkdirs(target);
        fs.create(new Path(target, MARKER), true).close();

        List<ImageItem> all = new ArrayList<>();
        Map<Integer, Split> folderSplit = new LinkedHashMap<>();
        listing.items().forEach((split, items) -> {
            for (ImageItem item : items) {
                all.add(item);
                folderSplit.put(item.id(), split);
            }
        });
        SerializableConfiguration conf = new SerializableConfiguration(hadoop);
        ImageShape shape = spec.shape();
        ImageDecoder decoder = new ImageDecoder(shape, spec.resize());
        JavaRDD<DecodedImage> decoded = sc.parallelize(all, Math.max(1, Math.min(spec.partitions(), all.size())))
                .mapPartitions(items -> decodeAll(items, decoder, conf))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            List<DecodedImage> outcomes = decoded.map(d -> new DecodedImage(d.item(), d.ok() ? new byte[0] : null,
                    d.bad())).collect();

            List<BadInput> bad = new ArrayList<>(listing.badInputs());
            List<ImageItem> good = new ArrayList<>();
            for (DecodedImage d : outcomes) {
                if (d.ok()) {
                    good.add(d.item());
                } else {
                    bad.add(d.bad());
                }
            }
            BadInputReport report = new BadInputReport(bad, all.size() + listing.badInputs().size());
            String reportFile = spec.target() + "/" + BadInputReport.FILE_NAME;
            report.write(reportFile, hadoop);
            report.check(spec.badInputThreshold(), reportFile);

            Map<Split, List<ImageItem>> parts = splitGood(good, folderSplit, listing.preSplit(), spec);
            int numClasses = listing.classes().size();
            Normalization normalization = normalization(sc, spec, decoded, parts.get(Split.TRAIN), shape);

            // Global batch numbers across splits, placed by BatchPlan's rule: partitions differ by at most one batch.
            int n = listing.fileCount();
            int[] batchOf = new int[n];
            int[] rowOf = new int[n];
            Arrays.fill(batchOf, -1);
            Map<String, ExportManifest.SplitInfo> splitInfos = new LinkedHashMap<>();
            List<String> batchPaths = new ArrayList<>();
            for (Split split : Split.values()) {
                List<ImageItem> items = parts.getOrDefault(split, List.of());
                if (items.isEmpty()) {
                    continue;
                }
                int[] ids = items.stream().mapToInt(ImageItem::id).toArray();
                BatchPlan plan = BatchPlan.of(ids, spec.batchSize(), spec.partitions(),
                        spec.seed() * 31 + split.ordinal());
                for (int k = 0; k < plan.batchCount(); k++) {
                    int[] batch = plan.batch(k);
                    for (int row = 0; row < batch.length; row++) {
                        batchOf[batch[row]] = batchPaths.size();
                        rowOf[batch[row]] = row;
                    }
                    batchPaths.add(spec.target() + "/" + BatchFiles.relative(split, k));
                }
                long[] perClass = new long[numClasses];
                for (ImageItem item : items) {
                    perClass[item.label()]++;
                }
                splitInfos.put(split.id(), new ExportManifest.SplitInfo(items.size(), plan.batchCount(), perClass));
            }
            Broadcast<int[]> batches = sc.broadcast(batchOf);
            Broadcast<int[]> rows = sc.broadcast(rowOf);
            Broadcast<List<String>> paths = sc.broadcast(batchPaths);
            long written = decoded.filter(DecodedImage::ok)
                    .mapToPair(d -> new Tuple2<>(batches.value()[d.item().id()],
                            new Tuple2<>(rows.value()[d.item().id()], d)))
                    .groupByKey(new BatchNumberPartitioner(spec.partitions()))
                    .map(group -> writeBatch(paths.value().get(group._1()), group._2(), shape, numClasses, conf))
                    .reduce(Long::sum);
            if (written != good.size()) {
                throw new IllegalStateException("wrote " + written + " of " + good.size() + " images");
            }
            writeLabels(fs, new Path(target, LABELS_FILE), listing.classes());

            Map<String, Integer> byReason = new LinkedHashMap<>();
            report.countsByReason().forEach((r, c) -> byReason.put(r.id(), c));
            ExportManifest manifest = new ExportManifest(ExportSpec.FORMAT, recipe, spec.source(),
                    listing.fingerprint(), shape.toString(), spec.resize().id(), listing.classes(),
                    listing.preSplit() ? "folders" : "ratios", listing.preSplit() ? null : spec.ratios().toString(),
                    spec.seed(), spec.batchSize(), new ExportManifest.NormalizationInfo(normalization.mode().id(),
                    normalization.mean(), normalization.std()), splitInfos,
                    new ExportManifest.BadInputInfo(report.count(), report.examined(), byReason,
                            BadInputReport.FILE_NAME), Instant.now().toString());
            writeManifest(fs, target, manifest);
            return new Outcome(new PreparedDataset(spec.target(), manifest, hadoop, false), report, reason);
        } finally {
            decoded.unpersist(false);
        }
    }

    private static Iterator<DecodedImage> decodeAll(Iterator<ImageItem> items, ImageDecoder decoder, SerializableConfiguration conf) {
        List<DecodedImage> out = new ArrayList<>();
        while (items.hasNext()) {
            ImageItem item = items.next();
            byte[] bytes;
            try {
                Path path = new Path(item.path());
                try (InputStream in = path.getFileSystem(conf.value()).open(path)) {
                    bytes = IOUtils.toByteArray(in);
                }
            } catch (IOException e) {
                out.add(new DecodedImage(item, null, new BadInput(item.path(), BadInputReason.UNREADABLE,
                        "cannot read the file: " + e)));
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
                                               ImageShape shape) {
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
    private static long writeBatch(String file, Iterable<Tuple2<Integer, DecodedImage>> members, ImageShape shape,
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

    /** Removes an earlier copy; refuses a non-empty folder that is not one. */
    private static void clearTarget(FileSystem fs, Path target) throws IOException {
        if (!fs.exists(target)) {
            return;
        }
        FileStatus[] children = fs.listStatus(target);
        boolean ours = fs.exists(new Path(target, MARKER)) || fs.exists(new Path(target, ExportManifest.FILE_NAME));
        if (children.length > 0 && !ours) {
            throw new IOException("Folder " + target + " is not empty and is not a pre-batched copy made by"
                    + " sparkprop (no " + MARKER + " or " + ExportManifest.FILE_NAME + "), so it is left alone. Point"
                    + " data.batches at a new or empty folder.");
        }
        fs.delete(target, true);
    }
}
