package org.sparkprop.data.augment;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Augmentations applied in order, each with its own probability, to training images only. Every random draw comes
 * from one generator seeded by (seed, epoch, image id): a run is reproducible, and each epoch sees new variants of
 * each image.
 */
public final class AugmentationPipeline implements Serializable {
    /** One configured augmentation: its config name, the transform, and the chance it is applied to an image. */
    public record Step(String type, double probability, Augmentation augmentation) implements Serializable {
        public Step {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("probability " + probability + " must be in [0, 1]");
            }
        }
    }

    private final List<Step> steps;

    public AugmentationPipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public static AugmentationPipeline none() {
        return new AugmentationPipeline(List.of());
    }

    public List<Step> steps() {
        return steps;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public FloatImage apply(FloatImage image, long seed, int epoch, long imageId) {
        if (steps.isEmpty()) {
            return image;
        }
        SplittableRandom random = random(seed, epoch, imageId);
        FloatImage out = image;
        for (Step step : steps) {
            if (random.nextDouble() < step.probability()) {
                out = step.augmentation().apply(out, random);
            }
        }
        return out;
    }

    static SplittableRandom random(long seed, int epoch, long imageId) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 31)) + epoch * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (h >>> 29)) + imageId * 0x165667B19E3779F9L;
        return new SplittableRandom(h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        if (steps.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        for (Step step : steps) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(step.type()).append(" p=").append(step.probability()).append(' ')
                    .append(step.augmentation());
        }
        return out.toString();
    }
}
