package org.sparkprop.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.TestData;

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
    void trainHelpListsTheKeysSectionBySectionAndSaysWhichHaveNoDefault() {
        assertEquals(0, run("train", "--help"));

        String help = out();
        List<String> headings = List.of("\nKeys, by section:\n", "\nModel:\n  model.name ", "\nData:\n  dataset ",
                "\nTraining and Spark:\n  epochs ", "\nOptimizer and regularization:\n  optimizer.name ",
                "\nCheckpoints:\n  checkpoint.dir ", "\nEvaluation and early stopping:\n  eval.train-accuracy ",
                "\nOutput and report:\n  output ", "\nTransfer learning:\n  transfer.source ");
        int at = 0;
        for (String heading : headings) {
            int found = help.indexOf(heading, at);
            assertTrue(found > at, heading + " after position " + at + " in:\n" + help);
            at = found;
        }
        assertTrue(help.contains("  data.dir (string, default unset)\n"), help);
        assertTrue(help.contains("  output (string, required, non-empty)\n"), help);
        assertTrue(help.contains("  --dry-run "), help);
    }

    @Test
    void aBadNumberIsAUsageErrorNotAStackTrace() {
        assertEquals(2, run("bench-trainer", "--single-batch", "many"));

        assertTrue(err().startsWith("error: Invalid value for option '--single-batch': 'many' is not an int\n"
                + "usage: sparkprop bench-trainer [CONFIG]"), err());
    }

    @Test
    void anUnknownOptionNamesItAndTheCommand() {
        assertEquals(2, run("train", "x.conf", "--fast"));

        assertTrue(err().startsWith("error: unknown option --fast for train\nusage: sparkprop train CONFIG"), err());
    }

    @Test
    void allowChangeTakesOnlyKeysThatKeepTheNetworksShapeAndOnlyWhenResuming() {
        assertEquals(2, run("train", "../examples/mnist-lenet.conf", "--allow-change", "optimizer.learning-rate"));
        assertTrue(err().startsWith("error: --allow-change only applies when resuming; add --resume\n"), err());

        assertEquals(2, run("train", "../examples/mnist-lenet.conf", "--resume", "--allow-change", "model.name"));
        assertTrue(err().startsWith("error: --allow-change model.name: only keys that keep the network's shape may"
                + " change on resume: optimizer.beta1, optimizer.beta2, optimizer.cosine-period,"), err());
    }

    @Test
    void anUnknownCommandExitsWithUsage() {
        assertEquals(2, run("trian"));
        assertTrue(err().startsWith("error: unknown command 'trian'\nusage: sparkprop COMMAND"), err());
        assertEquals(2, run("trian", "--help"), "a script can tell a missing command from a present one");
        assertTrue(err().startsWith("error: unknown command 'trian'\nusage: sparkprop COMMAND"), err());
        assertEquals(0, run("summary", "--help"));
        assertTrue(out().contains("\nCatalogue:\n") && !out().contains("%n"), out());
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
        TestData.requireMnist();
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
