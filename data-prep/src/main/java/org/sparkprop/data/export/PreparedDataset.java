package org.sparkprop.data.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.augment.AugmentationPipeline;
import org.sparkprop.data.normalize.Normalization;
import org.sparkprop.data.split.Split;

/**
 * A complete pre-batched copy: its manifest and where its batch files are. Training hands the batch file paths to
 * the executors (only paths travel from the driver) with a {@link BatchFileLoader}; evaluation loads a split here.
 */
public final class PreparedDataset {
    private final String root;
    private final ExportManifest manifest;
    private final Configuration hadoop;
    private final boolean reused;

    PreparedDataset(String root, ExportManifest manifest, Configuration hadoop, boolean reused) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.manifest = manifest;
        this.hadoop = hadoop;
        this.reused = reused;
    }

    /** The complete copy at {@code root}, or null when there is none (no marker, no or an unreadable manifest). */
    public static PreparedDataset open(String root, Configuration hadoop) throws IOException {
        Path manifestPath = new Path(root, ExportManifest.FILE_NAME);
        FileSystem fs = manifestPath.getFileSystem(hadoop);
        if (!fs.exists(manifestPath) || !fs.exists(new Path(root, BatchExporter.MARKER))) {
            return null; // a manifest.json without our marker was not written by the exporter
        }
        ExportManifest manifest;
        try (InputStream in = fs.open(manifestPath)) {
            manifest = ExportManifest.read(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // not a complete copy: it is rebuilt
        }
        return manifest.recipe() == null ? null : new PreparedDataset(root, manifest, hadoop, true);
    }

    public String root() {
        return root;
    }

    public ExportManifest manifest() {
        return manifest;
    }

    /** Whether this copy was found and reused rather than built by this run. */
    public boolean reused() {
        return reused;
    }

    public Normalization normalization() {
        return manifest.toNormalization();
    }

    public int numClasses() {
        return manifest.classes().size();
    }

    public boolean has(Split split) {
        ExportManifest.SplitInfo info = manifest.split(split);
        return info != null && info.examples() > 0;
    }

    public long examples(Split split) {
        return has(split) ? manifest.split(split).examples() : 0;
    }

    /** Full URIs of the split's batch files, in batch order. */
    public List<String> batchFiles(Split split) {
        List<String> files = new ArrayList<>();
        int batches = has(split) ? manifest.split(split).batches() : 0;
        for (int k = 0; k < batches; k++) {
            files.add(root + "/" + BatchFiles.relative(split, k));
        }
        return files;
    }

    /** The loader for training in {@code epoch} (1-based): augmentation then normalization. */
    public BatchFileLoader trainingLoader(AugmentationPipeline augmentation, long seed, int epoch) {
        return new BatchFileLoader(normalization(), augmentation, seed, epoch, manifest.batchSize());
    }

    /** Every batch of {@code split}, normalized, not augmented: for evaluation on the driver. */
    public List<DataSet> load(Split split) throws IOException {
        return load(split, Integer.MAX_VALUE);
    }

    /** The first {@code maxBatches} batches of {@code split}, as {@link #load(Split)}. */
    public List<DataSet> load(Split split, int maxBatches) throws IOException {
        BatchFileLoader loader = BatchFileLoader.forEvaluation(normalization(), manifest.batchSize());
        List<DataSet> out = new ArrayList<>();
        List<String> files = batchFiles(split);
        for (String file : files.subList(0, Math.min(files.size(), maxBatches))) {
            out.add(loader.load(new HadoopSource(new Path(file).getFileSystem(hadoop), file)));
        }
        return out;
    }
}
