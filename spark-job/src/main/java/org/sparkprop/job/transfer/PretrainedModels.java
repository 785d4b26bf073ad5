package org.sparkprop.job.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.job.output.ModelZip;
import org.sparkprop.job.promote.ServedModels;

/**
 * Reads a pretrained network from any Hadoop URI: a DL4J ModelSerializer zip (this trainer's model.zip or
 * checkpoints, a DL4J zoo zip) or a Keras .h5 file through DL4J's Keras import. The format is told by the file's
 * first bytes, not its name. Nothing is downloaded. Layers frozen in the file (a checkpoint of a transfer run) are
 * unfrozen: what trains is decided by this run's transfer settings.
 */
public final class PretrainedModels {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** Largest Keras file read: 8 GiB. HDF5 is parsed by native code in the driver JVM: see SECURITY.md. */
    static final long MAX_H5_BYTES = 8L << 30;

    private PretrainedModels() {
    }

    /**
     * What can be checked of an HDF5 file before native code parses it: its size, and a superblock version HDF5
     * knows (0 to 3) right after the signature. The rest must come from a trusted source.
     */
    static void checkHdf5(String uri, java.nio.file.Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new PretrainedModelException(uri, "a Keras file of " + size + " bytes, over the " + maxBytes
                    + "-byte limit for HDF5 files", "Give a smaller model; HDF5 is parsed by native code in the"
                    + " driver, so only files from a trusted source are read (SECURITY.md).");
        }
        int version;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(HDF5.length);
            version = in.read();
        }
        if (version < 0 || version > 3) {
            throw new PretrainedModelException(uri, "an HDF5 signature without a superblock HDF5 knows (version "
                    + version + ")", "Save the model again with model.save(\"name.h5\"); a damaged or crafted file"
                    + " looks like this.");
        }
    }

    /** The network at {@code uri}, unfrozen. */
    public static MultiLayerNetwork load(String uri, Configuration hadoop) {
        return readLocalCopy(uri, hadoop, local -> {
            byte[] head = new byte[8];
            int n;
            try (InputStream in = Files.newInputStream(local)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (n >= 4 && Arrays.equals(Arrays.copyOf(head, 4), ZIP)) {
                return TransferModel.unfrozen(loadZip(uri, local));
            }
            if (n == 8 && Arrays.equals(head, HDF5)) {
                if (uri.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) { // its kind is what its name says
                    throw new PretrainedModelException(uri, "it is named .zip but holds an HDF5 (Keras) file",
                            "Rename it .h5 if it is a Keras model from a source you trust.");
                }
                checkHdf5(uri, local, MAX_H5_BYTES);
                return loadKeras(uri, local);
            }
            throw new PretrainedModelException(uri, "not a format this trainer reads (the file starts with neither a"
                    + " zip nor an HDF5 signature)", "Give a DL4J model zip (ModelSerializer) or a Keras .h5 file"
                    + " saved with model.save(\"name.h5\").");
        });
    }

    /**
     * The class names a model of this trainer at {@code uri} was trained for (from its stored input description),
     * or null for a zip without one or a Keras file.
     */
    public static java.util.List<String> classes(String uri, Configuration hadoop) {
        return readLocalCopy(uri, hadoop, local -> {
            byte[] head = new byte[4];
            try (InputStream in = Files.newInputStream(local)) {
                if (in.readNBytes(head, 0, 4) < 4 || !Arrays.equals(head, ZIP)) {
                    return null;
                }
            }
            com.fasterxml.jackson.databind.JsonNode input = ModelStore.input(local);
            if (input == null || !input.has("classes")) {
                return null;
            }
            java.util.List<String> out = new java.util.ArrayList<>();
            input.get("classes").forEach(c -> out.add(c.asText()));
            return out;
        });
    }

    @FunctionalInterface
    private interface LocalRead<T> {
        T read(java.nio.file.Path local) throws IOException;
    }

    /** Copies {@code uri} to a local temporary file, reads it, and deletes the copy; I/O errors name the source. */
    private static <T> T readLocalCopy(String uri, Configuration hadoop, LocalRead<T> read) {
        java.nio.file.Path local = null;
        try {
            local = copyToLocal(uri, hadoop);
            return read.read(local);
        } catch (IOException e) {
            throw new PretrainedModelException(uri, "cannot read it (" + e.getMessage() + ")",
                    "Check the path and that this user may read it.", e);
        } finally {
            if (local != null) {
                try {
                    Files.deleteIfExists(local);
                } catch (IOException ignored) {
                    // a temporary copy; the JVM's temp folder is cleaned by the OS
                }
            }
        }
    }

    private static java.nio.file.Path copyToLocal(String uri, Configuration hadoop) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
            throw new PretrainedModelException(uri, "no such file", "Check " + TransferModel.SOURCE_KEY
                    + "; pretrained networks are never downloaded, copy the file there first.");
        }
        if (fs.getFileStatus(path).isDirectory()) {
            if (fs.exists(new Path(path, ServedModels.CURRENT))) { // a train --promote-to folder: its model in service
                ServedModels served = ServedModels.at(uri, TransferModel.SOURCE_KEY, hadoop);
                return copyToLocal(served.uriOf(served.current()), hadoop);
            }
            if (fs.exists(new Path(path, ServedModels.MARKER))) {
                throw new PretrainedModelException(uri, "a folder of served models with nothing in service yet",
                        "Train once without " + TransferModel.SOURCE_KEY + " and --promote-to " + uri + ", then"
                                + " warm-start from it.");
            }
            throw new PretrainedModelException(uri, "it is a folder", "Name the model file itself (a .zip or .h5),"
                    + " or a train --promote-to folder (its model in service is read).");
        }
        java.nio.file.Path local = Files.createTempFile("sparkprop-pretrained-", ".bin");
        try (InputStream in = fs.open(path)) {
            Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return local;
    }

    private static MultiLayerNetwork loadZip(String uri, java.nio.file.Path file) throws IOException {
        ModelZip.Checked zip;
        try {
            zip = ModelZip.check(file.toFile(), uri);
        } catch (java.util.zip.ZipException e) {
            throw new PretrainedModelException(uri, "a damaged zip (" + e.getMessage() + ")",
                    "Copy the file again; a partial download or copy looks like this.", e);
        }
        try (zip) {
            if (zip.configuration() == null) {
                throw new PretrainedModelException(uri, "a zip but not a DL4J model (no configuration.json in it)",
                        "Give a zip written by DL4J's ModelSerializer, e.g. a model.zip of this trainer.");
            }
            if (zip.isGraph()) {
                throw graphNotSupported(uri, "a DL4J ComputationGraph (e.g. ResNet)");
            }
            try {
                return zip.restoreMultiLayerNetwork(false);
            } catch (RuntimeException | IOException e) {
                throw new PretrainedModelException(uri, "a DL4J zip this version cannot restore (" + e + ")",
                        "Save it again with DL4J 1.0.0-M2.1 or a compatible version.", e);
            }
        }
    }

    private static MultiLayerNetwork loadKeras(String uri, java.nio.file.Path file) {
        try {
            try { // with the training configuration, the output layer keeps its Keras loss
                return KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), true);
            } catch (UnsupportedKerasConfigurationException | InvalidKerasConfigurationException e) {
                return KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), false);
            }
        } catch (Exception sequential) {
            try {
                KerasModelImport.importKerasModelAndWeights(file.toString(), false);
            } catch (Exception functional) {
                throw new PretrainedModelException(uri, "a Keras HDF5 file DL4J's Keras import cannot read ("
                        + sequential.getMessage() + ")", "Check it is a whole model saved with model.save(\"name.h5\")"
                        + " (not weights only), using layers DL4J supports.", sequential);
            }
            throw graphNotSupported(uri, "a functional Keras model (a graph)");
        }
    }

    private static PretrainedModelException graphNotSupported(String uri, String what) {
        return new PretrainedModelException(uri, "it is " + what + "; transfer learning here takes layer stacks"
                + " (DL4J MultiLayerNetwork, Keras Sequential)", "Use a layer-stack model, such as this trainer's"
                + " lenet, lenet-bn, alexnet or vgg16 models.");
    }
}
