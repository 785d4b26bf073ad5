package org.sparkprop.model.zoo;

/** A model option given to a model that does not take it; {@link #option()} names it (e.g. {@code hidden}). */
public final class UnsupportedOptionException extends IllegalArgumentException {
    private final String option;

    public UnsupportedOptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    public String option() {
        return option;
    }
}
