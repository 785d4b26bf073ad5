package org.sparkprop.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;

class SparkPropCliTest extends CliTestBase {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("\n  train "), out());
        assertTrue(out().contains("\n  fetch-data "), out());
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        assertEquals(0, run("train", "--help"));
        assertTrue(out().startsWith("usage: sparkprop train CONFIG"), out());
        assertTrue(out().contains("  spark.save-updater (boolean, default true)"), out());
        assertEquals(0, run("fetch-data", "--help"));
        assertTrue(out().contains("usage: sparkprop fetch-data mnist|fashion [--dir DIR]"), out());
    }

    @Test
    void anUnknownCommandExitsWithUsage() {
        assertEquals(2, run("trian"));
        assertTrue(err().startsWith("error: unknown command 'trian'\nusage: sparkprop COMMAND"), err());
    }

    @Test
    void aBadConfigIsOneLineAndExitCode2BeforeSparkStarts() throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "output = \"" + dir.resolve("out") + "\"\n"
                + "epochs = 0\n");

        assertEquals(2, run("train", conf.toString()));

        assertEquals("error: Invalid value 0 for configuration epochs: must be at least 1. Change it in the config"
                + " file or with --set epochs=...\n", err());
        assertFalse(Files.exists(dir.resolve("out")), "output folder created for a rejected config");
    }

    @Test
    void aModelThatDoesNotFitTheDataIsRefusedBeforeSparkStartsNamingTheLayer() throws Exception {
        assumeTrue(KnownDataset.MNIST.isCompleteIn(DatasetFetcher.defaultDirectory(KnownDataset.MNIST)),
                "MNIST is not cached");
        Path conf = Files.writeString(dir.resolve("big.conf"), "output = \"" + dir.resolve("out") + "\"\n"
                + "model.name = alexnet\n");

        assertEquals(2, run("train", conf.toString()));

        assertEquals("error: Invalid value alexnet for configuration model.name with mnist input 28x28x1: alexnet"
                + " does not fit input 28x28x1: layer maxpool2 has a 3x3 window but its input is only 2 x 2 x 256;"
                + " use a larger input or padding = same.\n", err());
        assertFalse(Files.exists(dir.resolve("out")), "output folder created for a rejected model");
    }

    @Test
    void aDryRunPrintsTheResolvedConfigAndTheModelSummaryAndWritesNothing() throws Exception {
        Path conf = Files.writeString(dir.resolve("dry.conf"), "output = \"" + dir.resolve("out") + "\"\n"
                + "model { name = mlp, hidden = [32] }\noptimizer.name = adam\n");

        assertEquals(0, run("train", conf.toString(), "--dry-run", "--set", "epochs=7"));

        assertTrue(out().startsWith("resolved config:\n  model.name = mlp\n  model.layers = (unset)\n"
                + "  model.hidden = [32]\n"), out());
        assertTrue(out().contains("\n  epochs = 7\n"), out());
        assertTrue(out().contains("Total params: 25,450\n"), out());
        assertTrue(out().endsWith("optimizer: adam lr 0.01, beta1 0.9, beta2 0.999, epsilon 1.0E-8, schedule"
                + " constant\ndry run: nothing trained, nothing written\n"), out());
        assertFalse(Files.exists(dir.resolve("out")), "a dry run created the output folder");
    }

    @Test
    void trainWithoutAConfigFileSaysWhatItNeeds() {
        assertEquals(2, run("train"));
        assertTrue(err().startsWith("error: train needs a CONFIG file, e.g. examples/mnist-lenet.conf\n"), err());
    }

    @Test
    void fetchDataOfAnUnknownDatasetNamesTheKnownOnes() {
        assertEquals(2, run("fetch-data", "cifar"));
        assertTrue(err().startsWith("error: unknown dataset 'cifar'; known: mnist, fashion\n"), err());
    }

    @Test
    void aMissingImageFolderIsOneLineAndExitCode2BeforeSparkStarts() throws Exception {
        Path missing = dir.resolve("no-such-folder");
        assertEquals(2, run("train", "../examples/mnist-lenet.conf", "--set", "output=" + dir.resolve("out"),
                "--set", "data.path=" + missing, "--set", "data.image-size=28x28x1"));
        assertEquals("error: Dataset folder " + missing + " does not exist. Point data.path at a folder of class"
                + " folders (ROOT/<class>/<image>), or create one with bin/sparkprop prep --idx.\n", err());
        assertFalse(Files.exists(dir.resolve("out")), "output folder created for a missing dataset");
    }

    @Test
    void prepNeedsEitherAnIdxDatasetAndATargetOrAConfig() {
        assertEquals(2, run("prep"));
        assertTrue(err().startsWith("error: prep needs --idx NAME --to DIR, or a CONFIG file\nusage: sparkprop prep"),
                err());
        assertEquals(2, run("prep", "--idx", "mnist"));
        assertTrue(err().startsWith("error: --idx needs --to DIR, the image folder to write\n"), err());
        assertEquals(2, run("prep", "--idx", "cifar", "--to", dir.toString()));
        assertTrue(err().startsWith("error: unknown dataset 'cifar'; known: mnist, fashion\n"), err());
    }
}
