package org.sparkprop.model.hyper;

/**
 * What a user chooses about training a network, apart from its shape.
 *
 * @param seed           seeds weight initialization (same seed and config: identical initial parameters)
 * @param optimizer      the update rule, learning rate and schedule
 * @param regularization L1 / L2 / decoupled weight decay on weights
 */
public record Hyperparameters(long seed, OptimizerSpec optimizer, RegularizationSpec regularization) {
    public static Hyperparameters defaults(long seed) {
        return new Hyperparameters(seed, OptimizerSpec.of("nesterov", 0.01), RegularizationSpec.NONE);
    }
}
