package org.sparkprop.model.zoo;

import java.util.Set;
import java.util.function.Function;
import org.sparkprop.model.spec.ModelSpec;

/**
 * One named model: a description for {@code summary --help}, the family-specific options it honours (beyond the
 * ones every model takes) and the function producing its layer list.
 */
public record CatalogEntry(String name, String description, Set<String> familyOptions,
                           Function<ModelOptions, ModelSpec> factory) {
}
