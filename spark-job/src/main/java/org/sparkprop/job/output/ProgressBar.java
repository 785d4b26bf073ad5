package org.sparkprop.job.output;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place ({@code \r}) after every averaging round, for a person at a terminal:
 * epoch, share of the epoch done, images/s and time left in the epoch. Off when the output is not a terminal (logs,
 * CI, tests), where only the per-epoch lines appear.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean enabled;
    private boolean drawn;

    private ProgressBar(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    /** Enabled when the JVM is attached to a terminal and SPARKPROP_PROGRESS is not "off". */
    public static ProgressBar forConsole(PrintStream out) {
        boolean terminal = System.console() != null && !"off".equals(System.getenv("SPARKPROP_PROGRESS"));
        return new ProgressBar(out, terminal);
    }

    public void update(int epoch, int epochs, int done, int total, double imagesPerSecond, double secondsLeft) {
        if (!enabled || total <= 0) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        out.printf(Locale.ROOT, "\repoch %d/%d [%s] %3d%%  %.0f images/s  epoch ETA %s ", epoch, epochs, bar,
                100L * done / total, imagesPerSecond, Clock.format(secondsLeft));
        out.flush();
        drawn = true;
    }

    /** Clears the bar so that a normal line can be printed. */
    public void clear() {
        if (drawn) {
            out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            out.flush();
            drawn = false;
        }
    }
}
