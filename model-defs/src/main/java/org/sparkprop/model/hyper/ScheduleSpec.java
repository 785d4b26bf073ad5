package org.sparkprop.model.hyper;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * How the learning rate changes during training; t counts epochs or iterations ({@code unit}), from 0.
 * <ul>
 * <li>{@code constant}: lr</li>
 * <li>{@code step}: lr * decayRate^floor(t / decaySteps)</li>
 * <li>{@code exponential}: lr * decayRate^(t / decaySteps)</li>
 * <li>{@code inverse-time}: lr / (1 + decayRate * t / decaySteps)^power</li>
 * <li>{@code cosine}: from lr down to minLearningRate along half a cosine over {@code period} units</li>
 * </ul>
 * Any of them can start with {@code warmup} iterations of linear warmup (0 = none).
 */
public record ScheduleSpec(String type, String unit, double decayRate, int decaySteps, double power,
                           double minLearningRate, int period, int warmup) {
    public static final List<String> TYPES = List.of("constant", "step", "exponential", "inverse-time", "cosine");
    public static final List<String> UNITS = List.of("epoch", "iteration");
    public static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", "epoch", 0.1, 1, 1, 0, 1, 0);

    public ScheduleSpec {
        type = type.toLowerCase(Locale.ROOT);
        unit = unit.toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown learning-rate schedule '" + type + "'; known: "
                    + String.join(", ", TYPES));
        }
        if (!UNITS.contains(unit)) {
            throw new IllegalArgumentException("unknown schedule unit '" + unit + "'; known: " + String.join(", ", UNITS));
        }
        if (!(decayRate > 0) || Double.isInfinite(decayRate)) {
            throw new IllegalArgumentException("decay rate " + decayRate + " must be a finite number > 0");
        }
        if (decaySteps < 1 || period < 1 || warmup < 0) {
            throw new IllegalArgumentException("decay steps (" + decaySteps + ") and period (" + period
                    + ") must be >= 1, warmup (" + warmup + ") >= 0");
        }
        if (!(minLearningRate >= 0) || !(power > 0)) {
            throw new IllegalArgumentException("min learning rate " + minLearningRate + " must be >= 0 and power "
                    + power + " > 0");
        }
    }

    /** The ND4J schedule for base learning rate {@code lr}, or null for a constant rate without warmup. */
    public ISchedule toSchedule(double lr) {
        ScheduleType t = unit.equals("epoch") ? ScheduleType.EPOCH : ScheduleType.ITERATION;
        ISchedule s = switch (type) {
            case "constant" -> null;
            case "step" -> new StepSchedule(t, lr, decayRate, decaySteps);
            case "exponential" -> new ExponentialSchedule(t, lr, Math.pow(decayRate, 1.0 / decaySteps));
            case "inverse-time" -> new InverseSchedule(t, lr, decayRate / decaySteps, power);
            case "cosine" -> new CosineSchedule(t, lr, minLearningRate, period);
            default -> throw new IllegalStateException(type);
        };
        if (warmup == 0) {
            return s;
        }
        return new WarmupSchedule(s != null ? s : new StepSchedule(t, lr, 1.0, 1), warmup);
    }

    @Override
    public String toString() {
        String base = switch (type) {
            case "constant" -> "constant";
            case "step" -> "step x" + decayRate + " every " + decaySteps + " " + unit + "s";
            case "exponential" -> "exponential x" + decayRate + " per " + decaySteps + " " + unit + "s";
            case "inverse-time" -> "inverse-time rate " + decayRate + " per " + decaySteps + " " + unit
                    + "s, power " + power;
            case "cosine" -> "cosine to " + minLearningRate + " over " + period + " " + unit + "s";
            default -> type;
        };
        return warmup > 0 ? base + ", " + warmup + " warmup iterations" : base;
    }
}
