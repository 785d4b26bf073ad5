package org.sparkprop.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryCommandTest extends CliTestBase {
    @TempDir
    Path dir;

    @Test
    void seedCnnPrintsTheLecturesPerLayerCountsAndTotals() {
        assertEquals(0, run("summary", "--model", "seed-cnn"));
        assertEquals("""
                Model: seed-cnn   input 28x28x1
                ---------------------------------------
                Layer     Type     Output shape  Params
                ---------------------------------------
                conv1     conv     26 x 26 x 10     100
                maxpool1  maxpool  13 x 13 x 10       0
                conv2     conv     11 x 11 x 5      455
                maxpool2  maxpool  5 x 5 x 5          0
                flatten1  flatten  125                0
                dense1    dense    64             8,064
                output    output   10               650
                ---------------------------------------
                Total params: 9,269
                Trainable params: 9,269
                Non-trainable params: 0
                """, out());
    }

    @Test
    void seedMlpHas25450ParametersAndInputAndClassesAreHonoured() {
        assertEquals(0, run("summary", "--model", "seed-mlp"));
        assertTrue(out().contains("Total params: 25,450\n"), out());
        assertEquals(0, run("summary", "--model", "resnet50", "--input", "224x224x3", "--classes", "1000"));
        assertTrue(out().contains("Total params: 25,610,152\nTrainable params: 25,557,032\n"
                + "Non-trainable params: 53,120\n"), out());
    }

    @Test
    void aConfigsCustomModelIsSummarizedWithItsOverrides() throws Exception {
        Path conf = Files.writeString(dir.resolve("m.conf"), "model { name = mlp, hidden = [16] }\n");
        assertEquals(0, run("summary", "--config", conf.toString(), "--set", "model.batch-norm=true"));
        assertTrue(out().contains("batchnorm"), out());
        assertTrue(out().contains("Total params: " + String.format("%,d", 784 * 16 + 4 * 16 + 170)), out());
    }

    @Test
    void anUnknownModelOrATooSmallInputIsAUsageErrorNamingTheChoices() {
        assertEquals(2, run("summary", "--model", "resnet"));
        assertTrue(err().startsWith("error: unknown model 'resnet'; known: mlp,"
                + " seed-mlp, dropout-mlp, bn-mlp, seed-cnn, lenet, lenet-bn, alexnet, vgg16, resnet18, resnet50"
                + " (or custom with a layer list)\n"), err());
        assertEquals(2, run("summary", "--model", "alexnet", "--input", "32x32x3"));
        assertEquals("error: alexnet does not fit input 32x32x3: layer maxpool2 has a 3x3 window but its input is only"
                + " 2 x 2 x 256; use a larger input or padding = same\n", err());
    }
}
