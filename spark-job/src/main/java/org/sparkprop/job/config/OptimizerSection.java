package org.sparkprop.job.config;

import static org.sparkprop.job.config.ConfigDef.greaterThan;
import static org.sparkprop.job.config.ConfigDef.oneOf;
import static org.sparkprop.job.config.ConfigDef.range;

import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.OptimizerSpec;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.hyper.ScheduleSpec;

/**
 * The {@code optimizer.*} and {@code regularization.*} keys: update rule, learning-rate schedule and weight
 * penalties, resolved once into the model-defs {@link Hyperparameters} (seeded by {@link TrainerSection#SEED}; a
 * cosine schedule in epochs spans {@link TrainerSection#EPOCHS} unless its period is set).
 *
 * @param learningRate the optimizer's (start) learning rate
 */
public record OptimizerSection(Hyperparameters hyperparameters, double learningRate) {
    public static final Key<String> NAME = Key.string("optimizer.name").validator(oneOf(OptimizerSpec.NAMES))
            .withDefault("nesterov", "Update rule: sgd, momentum (classical), nesterov, adam, nadam, rmsprop "
                    + "or adagrad.");
    public static final Key<Double> LEARNING_RATE = Key.decimal("optimizer.learning-rate").validator(greaterThan(0))
            .withDefault(0.01, "Step size of the optimizer (the start value when a schedule is set).");
    public static final Key<Double> MOMENTUM = Key.decimal("optimizer.momentum").validator(range(0.0, 0.999))
            .withDefault(0.9, "Momentum coefficient of momentum and nesterov.");
    public static final Key<Double> BETA1 = Key.decimal("optimizer.beta1").validator(range(0.0, 0.9999))
            .withDefault(0.9, "Decay of the first-moment estimate of adam and nadam.");
    public static final Key<Double> BETA2 = Key.decimal("optimizer.beta2").validator(range(0.0, 0.99999))
            .withDefault(0.999, "Decay of the second-moment estimate of adam and nadam.");
    public static final Key<Double> EPSILON = Key.decimal("optimizer.epsilon").validator(greaterThan(0))
            .withDefault(1e-8, "Added to denominators of adam, nadam, rmsprop and adagrad for numerical "
                    + "safety.");
    public static final Key<Double> RHO = Key.decimal("optimizer.rho").validator(range(0.0, 0.9999))
            .withDefault(0.95, "Decay of rmsprop's running mean of squared gradients (ND4J's default 0.95; "
                    + "Keras uses 0.9).");
    public static final Key<String> SCHEDULE = Key.string("optimizer.schedule").validator(oneOf(ScheduleSpec.TYPES))
            .withDefault("constant", "Learning-rate schedule: constant; step (x decay-rate every decay-steps "
                    + "units); exponential (x decay-rate per decay-steps units, smoothly); inverse-time (lr / "
                    + "(1 + decay-rate t / decay-steps)^power); cosine (to min-learning-rate over "
                    + "cosine-period units).");
    public static final Key<String> SCHEDULE_UNIT = Key.string("optimizer.schedule-unit")
            .validator(oneOf(ScheduleSpec.UNITS))
            .withDefault("epoch", "What t counts in the schedule: epoch or iteration (one averaged mini-batch "
                    + "step).");
    public static final Key<Double> DECAY_RATE = Key.decimal("optimizer.decay-rate").validator(greaterThan(0))
            .withDefault(0.1, "Decay factor of the step and exponential schedules; rate of inverse-time.");
    public static final Key<Integer> DECAY_STEPS = Key.integer("optimizer.decay-steps").validator(range(1, null))
            .withDefault(1, "Units of t per decay of the step, exponential and inverse-time schedules.");
    public static final Key<Double> POWER = Key.decimal("optimizer.power").validator(greaterThan(0))
            .withDefault(1.0, "Exponent of the inverse-time schedule.");
    public static final Key<Double> MIN_LEARNING_RATE = Key.decimal("optimizer.min-learning-rate")
            .validator(range(0.0, null))
            .withDefault(0.0, "Floor the cosine schedule decays to.");
    public static final Key<Integer> COSINE_PERIOD = Key.integer("optimizer.cosine-period").validator(range(0, null))
            .withDefault(0, "Units of t over which cosine decays. 0: the whole run (epochs, in unit epoch).");
    public static final Key<Integer> WARMUP = Key.integer("optimizer.warmup-iterations").validator(range(0, null))
            .withDefault(0, "Iterations of linear warmup from lr/warmup to lr before the schedule applies (0 = "
                    + "none).");
    public static final Key<Double> L1 = Key.decimal("regularization.l1").validator(range(0.0, null))
            .withDefault(0.0, "L1 weight penalty (weights, not biases). With regularization.l2 as well: "
                    + "elastic net.");
    public static final Key<Double> L2 = Key.decimal("regularization.l2").validator(range(0.0, null))
            .withDefault(0.0, "L2 weight penalty (weights, not biases), added to the gradient before the "
                    + "optimizer.");
    public static final Key<Double> WEIGHT_DECAY = Key.decimal("regularization.weight-decay")
            .validator(range(0.0, null))
            .withDefault(0.0, "Decoupled weight decay (AdamW style): w -= lr x weight-decay x w after the "
                    + "optimizer step.");

    /** The keys of this section, in the order {@code train --help} lists them. */
    public static final ConfigDef.Section SECTION = ConfigDef.section("Optimizer and regularization",
            NAME, LEARNING_RATE, MOMENTUM, BETA1, BETA2, EPSILON, RHO, SCHEDULE, SCHEDULE_UNIT, DECAY_RATE,
            DECAY_STEPS, POWER, MIN_LEARNING_RATE, COSINE_PERIOD, WARMUP, L1, L2, WEIGHT_DECAY);

    /** @throws ConfigException for a schedule the optimizer or unit cannot take */
    static OptimizerSection from(ConfigValues v) {
        String unit = v.get(SCHEDULE_UNIT);
        int period = v.get(COSINE_PERIOD);
        if (period == 0) {
            if (v.get(SCHEDULE).equals("cosine") && unit.equals("iteration")) {
                throw new ConfigException("Missing configuration " + COSINE_PERIOD + ": a cosine schedule counted in"
                        + " iterations needs its length; set " + COSINE_PERIOD + " or use " + SCHEDULE_UNIT
                        + " = epoch (then 0 means all epochs).");
            }
            period = v.get(TrainerSection.EPOCHS);
        }
        ScheduleSpec schedule = new ScheduleSpec(v.get(SCHEDULE), unit, v.get(DECAY_RATE), v.get(DECAY_STEPS),
                v.get(POWER), v.get(MIN_LEARNING_RATE), period, v.get(WARMUP));
        OptimizerSpec optimizer;
        try {
            optimizer = new OptimizerSpec(v.get(NAME), v.get(LEARNING_RATE), v.get(MOMENTUM), v.get(BETA1),
                    v.get(BETA2), v.get(EPSILON), v.get(RHO), schedule);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration " + SCHEDULE + " = " + v.get(SCHEDULE) + " with "
                    + NAME + " = " + v.get(NAME) + ": " + e.getMessage() + ". Set " + SCHEDULE
                    + " = constant and " + WARMUP + " = 0, or pick another optimizer.");
        }
        return new OptimizerSection(new Hyperparameters(v.get(TrainerSection.SEED), optimizer,
                new RegularizationSpec(v.get(L1), v.get(L2), v.get(WEIGHT_DECAY))), v.get(LEARNING_RATE));
    }

    /** Whether a cosine schedule spans the whole run, so that the epoch count decides the parameters. */
    static boolean cosineOverTheWholeRun(ConfigValues v) {
        return v.get(SCHEDULE).equals("cosine") && v.get(COSINE_PERIOD) == 0;
    }
}
