package org.sparkprop.job.output;

import java.util.Locale;

/** Durations as people read them in progress lines: H:MM:SS. */
public final class Clock {
    private Clock() {
    }

    public static String format(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
