package org.sparkprop.data.split;

import java.io.Serializable;
import java.util.Locale;

/** Shares of train / validation / test, written {@code 0.8,0.1,0.1}; they add up to 1 and train is above 0. */
public record SplitRatios(double train, double val, double test) implements Serializable {
    public SplitRatios {
        if (train <= 0 || val < 0 || test < 0 || Math.abs(train + val + test - 1) > 1e-6) {
            throw new IllegalArgumentException("ratios " + train + "," + val + "," + test + " must be train > 0, val"
                    + " >= 0, test >= 0 and add up to 1, e.g. 0.8,0.1,0.1");
        }
    }

    public static SplitRatios parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not three ratios TRAIN,VAL,TEST, e.g. 0.8,0.1,0.1");
        }
        try {
            return new SplitRatios(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                    Double.parseDouble(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not three ratios TRAIN,VAL,TEST, e.g. 0.8,0.1,0.1");
        }
    }

    public double of(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VAL -> val;
            case TEST -> test;
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s,%s,%s", train, val, test);
    }
}
