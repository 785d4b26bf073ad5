package org.sparkprop.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jfree.chart.axis.NumberTick;
import org.junit.jupiter.api.Test;

class ChartsTest {
    @Test
    void theConfusionColourBarHasLogSpacedTicksLabelledWithCounts() throws Exception {
        List<NumberTick> ticks = Charts.logTicks(1_100, org.jfree.chart.ui.TextAnchor.CENTER_RIGHT);

        assertEquals(List.of("1", "10", "100", "1,000"), ticks.stream().map(NumberTick::getText).toList());
        assertEquals(Math.log1p(100), ticks.get(2).getValue(), 1e-12);
        assertEquals(Math.log1p(1_100), Charts.legendAxis(1_100).getUpperBound(), 1e-12);
        int[][] counts = {{980, 0, 3}, {2, 1_100, 10}, {7, 1, 950}};
        byte[] png = Charts.confusion(counts, List.of("a", "b", "c"));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertTrue(image.getWidth() >= 520 && image.getHeight() >= 460, image.getWidth() + "x" + image.getHeight());
        java.nio.file.Files.write(java.nio.file.Path.of("target/confusion-test.png"), png);
    }
}
