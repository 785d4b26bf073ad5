package org.sparkprop.model.hyper;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The update rule, its step size and schedule.
 * <ul>
 * <li>{@code sgd}: w -= lr * g</li>
 * <li>{@code momentum}: classical (heavy-ball) momentum, v = momentum * v - lr * g; w += v</li>
 * <li>{@code nesterov}: Nesterov's accelerated gradient (momentum evaluated at the look-ahead point)</li>
 * <li>{@code adam}, {@code nadam} (Adam with Nesterov momentum): beta1, beta2, epsilon</li>
 * <li>{@code rmsprop}: running mean of g^2 with decay {@code rho}, epsilon</li>
 * <li>{@code adagrad}: sum of all past g^2, epsilon</li>
 * </ul>
 * {@code momentum} is this project's {@link Momentum} (ND4J has only Nesterov's variant); the others are ND4J's.
 */
public record OptimizerSpec(String name, double learningRate, double momentum, double beta1, double beta2,
                            double epsilon, double rho, ScheduleSpec schedule) {
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adam", "nadam", "rmsprop",
            "adagrad");

    public OptimizerSpec {
        name = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: " + String.join(", ", NAMES));
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate " + learningRate + " must be a finite number > 0");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum " + momentum + " must be in [0, 1)");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(rho >= 0 && rho < 1)) {
            throw new IllegalArgumentException("beta1 " + beta1 + ", beta2 " + beta2 + " and rho " + rho
                    + " must be in [0, 1)");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon " + epsilon + " must be > 0");
        }
        if (name.equals("adagrad") && schedule.toSchedule(learningRate) != null) {
            throw new IllegalArgumentException("adagrad takes a constant learning rate only: DL4J 1.0.0-M2.1's AdaGrad"
                    + " drops its schedule when the configuration is saved (model.zip, checkpoints), leaving no"
                    + " learning rate at all; AdaGrad's own 1/sqrt(sum g^2) already decays the step");
        }
    }

    /** Optimizer {@code name} with learning rate {@code lr} and every other setting at its usual default. */
    public static OptimizerSpec of(String name, double lr) {
        return new OptimizerSpec(name, lr, 0.9, 0.9, 0.999, 1e-8, 0.95, ScheduleSpec.CONSTANT);
    }

    /** The same optimizer and schedule at base learning rate {@code lr} (e.g. for fine-tuned pretrained layers). */
    public OptimizerSpec withLearningRate(double lr) {
        return new OptimizerSpec(name, lr, momentum, beta1, beta2, epsilon, rho, schedule);
    }

    public OptimizerSpec withSchedule(ScheduleSpec s) {
        return new OptimizerSpec(name, learningRate, momentum, beta1, beta2, epsilon, rho, s);
    }

    public IUpdater toUpdater() {
        ISchedule s = schedule.toSchedule(learningRate);
        return switch (name) {
            case "sgd" -> s == null ? new Sgd(learningRate) : new Sgd(s);
            case "momentum" -> new Momentum(learningRate, s, momentum);
            case "nesterov" -> s == null ? new Nesterovs(learningRate, momentum) : new Nesterovs(s, momentum);
            case "adam" -> withSchedule(new Adam(learningRate, beta1, beta2, epsilon), s);
            case "nadam" -> {
                Nadam n = new Nadam(learningRate, beta1, beta2, epsilon);
                n.setLearningRateSchedule(s);
                yield n;
            }
            case "rmsprop" -> {
                RmsProp r = new RmsProp(learningRate, rho, epsilon);
                r.setLearningRateSchedule(s);
                yield r;
            }
            case "adagrad" -> s == null ? new AdaGrad(learningRate, epsilon) : new AdaGrad(s, epsilon);
            default -> throw new IllegalStateException(name);
        };
    }

    private static Adam withSchedule(Adam adam, ISchedule s) {
        adam.setLearningRateSchedule(s);
        return adam;
    }

    @Override
    public String toString() {
        String params = switch (name) {
            case "momentum", "nesterov" -> ", momentum " + momentum;
            case "adam", "nadam" -> ", beta1 " + beta1 + ", beta2 " + beta2 + ", epsilon " + epsilon;
            case "rmsprop" -> ", rho " + rho + ", epsilon " + epsilon;
            case "adagrad" -> ", epsilon " + epsilon;
            default -> "";
        };
        return name + " lr " + learningRate + params + ", schedule " + schedule;
    }
}
