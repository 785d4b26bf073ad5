package org.sparkprop.model.summary;

import java.util.List;
import java.util.Locale;

/**
 * A Keras-style table of a built network: one row per layer of the model description, with its output shape and
 * parameter count, and the totals. Non-trainable parameters are batch normalization's running mean and variance
 * (updated from batch statistics, not by the optimizer) and the parameters of frozen layers.
 */
public record ModelSummary(String model, String input, List<Row> rows) {
    public record Row(String name, String type, String outputShape, long params, long nonTrainable) {
    }

    public ModelSummary {
        rows = List.copyOf(rows);
    }

    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    public long nonTrainableParams() {
        return rows.stream().mapToLong(Row::nonTrainable).sum();
    }

    public long trainableParams() {
        return totalParams() - nonTrainableParams();
    }

    /** The table as text, numbers with thousands separators. */
    public String render() {
        int nameW = "Layer".length();
        int typeW = "Type".length();
        int shapeW = "Output shape".length();
        for (Row r : rows) {
            nameW = Math.max(nameW, r.name().length());
            typeW = Math.max(typeW, r.type().length());
            shapeW = Math.max(shapeW, r.outputShape().length());
        }
        int paramW = Math.max("Params".length(), String.format(Locale.ROOT, "%,d", totalParams()).length());
        String fmt = "%-" + nameW + "s  %-" + typeW + "s  %-" + shapeW + "s  %" + paramW + "s%n";
        StringBuilder sb = new StringBuilder();
        sb.append("Model: ").append(model).append("   input ").append(input).append('\n');
        String header = String.format(Locale.ROOT, fmt, "Layer", "Type", "Output shape", "Params");
        String rule = "-".repeat(header.length() - 1) + "\n";
        sb.append(rule).append(header).append(rule);
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.name(), r.type(), r.outputShape(),
                    String.format(Locale.ROOT, "%,d", r.params())));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n",
                totalParams(), trainableParams(), nonTrainableParams()));
        return sb.toString();
    }
}
