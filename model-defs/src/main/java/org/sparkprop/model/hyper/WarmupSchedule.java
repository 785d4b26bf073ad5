package org.sparkprop.model.hyper;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear warmup in front of another schedule: over the first {@code warmupIterations} iterations the value rises
 * linearly from {@code base/warmupIterations} to the base schedule's value, then follows the base schedule. ND4J's
 * {@code RampSchedule} does the same arithmetic but cannot be read back from JSON (no creator), so a saved
 * model using it would not load; this one can.
 */
public final class WarmupSchedule implements ISchedule {
    private final ISchedule base;
    private final int warmupIterations;

    public WarmupSchedule(@JsonProperty("base") ISchedule base,
                          @JsonProperty("warmupIterations") int warmupIterations) {
        if (warmupIterations < 1) {
            throw new IllegalArgumentException("warmup " + warmupIterations + " must be >= 1 iteration");
        }
        this.base = base;
        this.warmupIterations = warmupIterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double value = base.valueAt(iteration, epoch);
        if (iteration >= warmupIterations) {
            return value;
        }
        return value * (iteration + 1) / warmupIterations;
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(base.clone(), warmupIterations);
    }

    public ISchedule getBase() {
        return base;
    }

    public int getWarmupIterations() {
        return warmupIterations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupSchedule w && w.warmupIterations == warmupIterations && w.base.equals(base);
    }

    @Override
    public int hashCode() {
        return 31 * base.hashCode() + warmupIterations;
    }
}
