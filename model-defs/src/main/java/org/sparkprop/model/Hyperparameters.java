package org.sparkprop.model;

/**
 * What a user chooses about training a network, apart from its shape.
 *
 * @param seed      seeds weight initialization (same seed and config: identical initial parameters)
 * @param optimizer the update rule
 * @param l2        L2 penalty coefficient on weights (not biases), &gt;= 0
 */
public record Hyperparameters(long seed, OptimizerSpec optimizer, double l2) {
    public Hyperparameters {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 " + l2 + " must be a finite number >= 0");
        }
    }
}
