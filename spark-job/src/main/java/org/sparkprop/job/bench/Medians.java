package org.sparkprop.job.bench;

import java.util.ArrayList;
import java.util.List;

/** The median the benchmark harnesses report (the mean of the two middle values for an even count). */
final class Medians {
    private Medians() {
    }

    static double of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double of(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return of(list);
    }
}
