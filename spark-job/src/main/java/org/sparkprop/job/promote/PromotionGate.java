package org.sparkprop.job.promote;

import java.util.Locale;
import org.sparkprop.job.config.PromoteSection;
import org.sparkprop.job.eval.EvaluationResult;

/**
 * Decides whether a newly trained model replaces the one in service: both evaluated on the same test data, the new
 * one is promoted when its {@code promote.metric} improves on the served one's by at least {@code promote.min-delta}
 * (for loss, lower is the improvement).
 *
 * @param metric   accuracy, f1 or loss
 * @param minDelta least improvement that promotes; 0 promotes a tie, negative tolerates a drop
 */
public record PromotionGate(String metric, double minDelta) {
    /** What the gate decided, and why in one sentence. */
    public record Decision(boolean promote, double improvement, String reason) {
    }

    public static PromotionGate of(PromoteSection settings) {
        return new PromotionGate(settings.metric(), settings.minDelta());
    }

    /** The improvement of {@code candidate} over {@code served}: positive is better, whatever the metric. */
    public double improvement(EvaluationResult candidate, EvaluationResult served) {
        double delta = candidate.metric(metric) - served.metric(metric);
        return metric.equals("loss") ? -delta : delta;
    }

    public Decision decide(EvaluationResult candidate, EvaluationResult served) {
        double improvement = improvement(candidate, served);
        boolean promote = improvement >= minDelta;
        String figures = String.format(Locale.ROOT, "%s %.6f against the served model's %.6f (improvement %+.6f, "
                        + "promote.min-delta %s)", metric, candidate.metric(metric), served.metric(metric), improvement,
                minDelta);
        return new Decision(promote, improvement, (promote ? "promoted: " : "not promoted: ") + figures);
    }
}
