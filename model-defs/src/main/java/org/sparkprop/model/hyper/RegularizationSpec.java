package org.sparkprop.model.hyper;

/**
 * Penalties on weights (never biases or batch-norm parameters). Elastic net is {@code l1} and {@code l2} together.
 *
 * @param l1          L1 coefficient: adds l1 * sign(w) to the gradient, drives small weights to exactly 0
 * @param l2          L2 coefficient: adds l2 * w to the gradient before the optimizer (with Adam this is scaled by
 *                    the adaptive step, which is why decoupled weight decay exists)
 * @param weightDecay decoupled weight decay (AdamW style): w -= lr * weightDecay * w after the optimizer's step
 */
public record RegularizationSpec(double l1, double l2, double weightDecay) {
    public static final RegularizationSpec NONE = new RegularizationSpec(0, 0, 0);

    public RegularizationSpec {
        check("l1", l1);
        check("l2", l2);
        check("weight decay", weightDecay);
    }

    private static void check(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " " + v + " must be a finite number >= 0");
        }
    }
}
