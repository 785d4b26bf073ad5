package org.sparkprop.job.run;

/**
 * Early stopping on one validation figure: remembers the best epoch, counts epochs without an improvement larger
 * than {@code minDelta}, and says to stop after {@code patience} of them (patience 0: never stops, but still tracks
 * the best epoch). Higher is better for accuracy and f1, lower for loss.
 */
public final class EarlyStopping {
    private final String metric;
    private final int patience;
    private final double minDelta;
    private int bestEpoch;
    private double best;
    private int withoutImprovement;

    public EarlyStopping(String metric, int patience, double minDelta) {
        this(metric, patience, minDelta, 0, Double.NaN, 0);
    }

    /** Continues from a checkpoint's state. */
    public EarlyStopping(String metric, int patience, double minDelta, int bestEpoch, double best,
                         int withoutImprovement) {
        this.metric = metric;
        this.patience = patience;
        this.minDelta = minDelta;
        this.bestEpoch = bestEpoch;
        this.best = best;
        this.withoutImprovement = withoutImprovement;
    }

    /**
     * Records one epoch's figure.
     *
     * @return true when it is the best so far (by more than min-delta)
     */
    public boolean record(int epoch, double value) {
        boolean lowerIsBetter = metric.equals("loss");
        boolean improved = bestEpoch == 0 || (lowerIsBetter ? value < best - minDelta : value > best + minDelta);
        if (improved) {
            bestEpoch = epoch;
            best = value;
            withoutImprovement = 0;
        } else {
            withoutImprovement++;
        }
        return improved;
    }

    public boolean enabled() {
        return patience > 0;
    }

    /** True once patience epochs in a row brought no improvement (never when disabled). */
    public boolean shouldStop() {
        return enabled() && withoutImprovement >= patience;
    }

    public String metric() {
        return metric;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }

    public int withoutImprovement() {
        return withoutImprovement;
    }
}
