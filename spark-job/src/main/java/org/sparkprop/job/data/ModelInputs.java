package org.sparkprop.job.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkprop.data.normalize.Normalization;

/** Builds the input description stored with a trained model (see {@link TrainingData#modelInput()}). */
final class ModelInputs {
    private ModelInputs() {
    }

    static Map<String, Object> describe(String imageSize, List<String> classes, Normalization normalization) {
        return describe(imageSize, "crop", classes, normalization);
    }

    static Map<String, Object> describe(String imageSize, String resize, List<String> classes,
                                        Normalization normalization) {
        Map<String, Object> norm = new LinkedHashMap<>();
        norm.put("mode", normalization.mode().id());
        if (normalization.mode() == Normalization.Mode.STANDARDIZE) {
            norm.put("mean", normalization.mean());
            norm.put("std", normalization.std());
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("image_size", imageSize);
        input.put("resize", resize);
        input.put("classes", classes);
        input.put("normalization", norm);
        return input;
    }
}
