package org.sparkprop.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code preflight}: the memory check deploy/bin/submit runs before a cluster submit. */
class PreflightCommandTest extends CliTestBase {
    private static final String CONFIG = Path.of("../examples/mnist-lenet.conf").toAbsolutePath().normalize()
            .toString();

    @Test
    void anOverheadThatCannotHoldTheModelIsRefusedWithTheNumbers() {
        assertEquals(2, run("preflight", CONFIG, "--set", "model.name=mlp", "--set", "model.hidden=[4096,4096]",
                "--set", "batch-size=64", "--executor-cores", "4", "--executor-memory-overhead", "1g",
                "--driver-memory-overhead", "4g"));

        assertTrue(err().startsWith("error: Executor memory overhead 1024m cannot hold training: estimated "), err());
        assertTrue(err().contains("Set --executor-memory-overhead (spark.executor.memoryOverhead) to at least"),
                err());
    }

    @Test
    void theQuickStartFitsAndItsUpdaterStateComesFromTheUpdater() {
        assertEquals(0, run("preflight", CONFIG, "--executor-cores", "2", "--executor-memory-overhead", "4g",
                "--driver-memory-overhead", "2g"), err());

        assertTrue(out().startsWith("model: 431,080 params, "), out());
        assertTrue(out().contains("; nesterov keeps 1 state value(s) per param\n"), out());
        assertTrue(out().endsWith("preflight ok\n"), out());
        assertEquals(0, run("preflight", CONFIG, "--set", "optimizer.name=adam", "--executor-cores", "2",
                "--executor-memory-overhead", "4g", "--driver-memory-overhead", "2g"), err());
        assertTrue(out().contains("; adam keeps 2 state value(s) per param\n"), out());
        assertEquals(0, run("preflight", CONFIG, "--set", "optimizer.name=sgd", "--executor-cores", "2",
                "--executor-memory-overhead", "4g", "--driver-memory-overhead", "2g"), err());
        assertTrue(out().contains("; sgd keeps 0 state value(s) per param\n"), out());
    }

    @Test
    void aBadNumberIsAUsageErrorWithTheCommandsUsage() {
        assertEquals(2, run("preflight", CONFIG, "--executor-cores", "two", "--executor-memory-overhead", "4g",
                "--driver-memory-overhead", "2g"));

        assertTrue(err().startsWith("error: Invalid value for option '--executor-cores': 'two' is not an int\n"
                + "usage: sparkprop preflight CONFIG"), err());
        assertEquals(2, run("preflight", CONFIG, "--executor-cores", "0", "--executor-memory-overhead", "4g",
                "--driver-memory-overhead", "2g"));
        assertTrue(err().startsWith("error: --executor-cores needs a whole number > 0, got 0\n"), err());
    }

    @Test
    void aModelThatDoesNotFitAnImageFolderNamesTheFolderNotADataset() {
        assertEquals(2, run("preflight", CONFIG, "--set", "data.path=/data/photos", "--set", "data.image-size=28x28x3",
                "--set", "model.name=alexnet", "--classes", "3", "--executor-cores", "2",
                "--executor-memory-overhead", "4g", "--driver-memory-overhead", "2g"));

        assertTrue(err().startsWith("error: Invalid value alexnet for configuration model.name with /data/photos input"
                + " 28x28x3: alexnet does not fit input 28x28x3"), err());
    }
}
