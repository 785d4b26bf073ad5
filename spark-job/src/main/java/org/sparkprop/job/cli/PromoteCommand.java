package org.sparkprop.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.promote.ServedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code promote --to URI [--rollback]}: what is in service at a promotion folder, and rolling it back. */
@Command(name = "promote",
        customSynopsis = "usage: sparkprop promote --to URI [--rollback] [--last N]",
        header = "show the model in service at a train --promote-to folder and its history, or roll it back",
        description = {"", "A folder train --promote-to URI writes holds model-RUNID.zip files (the last promote.keep "
                + "promoted models), current (the file name of the one in service) and history.jsonl (one line per "
                + "run: metrics of the new and the served model, promoted or not and why; one per rollback). "
                + "Without --rollback this prints what is in service and the last runs. --rollback puts the "
                + "previously promoted model back in service, its file byte for byte as its run wrote it, and "
                + "records the rollback in the history.", ""})
final class PromoteCommand implements Callable<Integer> {
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    @Option(names = "--to", paramLabel = "URI", description = "the folder given to train --promote-to")
    private String uri;

    @Option(names = "--rollback", description = "put the model promoted before the current one back in service")
    private boolean rollback;

    @Option(names = "--last", paramLabel = "N", description = "history lines to print (default 10)")
    private int last = 10;

    PromoteCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (uri == null) {
            throw new UsageException("promote needs --to URI, the folder given to train --promote-to");
        }
        Configuration hadoop = new Configuration();
        ServedModels served = ServedModels.at(uri, "--to", hadoop);
        if (rollback) {
            ServedModels.Rollback done = served.rollback(hadoop);
            out.println("rolled back: " + done.to() + " is in service again at " + served.uri() + " (was "
                    + done.from() + ")");
            return ExitCodes.OK;
        }
        String current = served.current();
        out.println(current == null ? "nothing in service at " + served.uri() : "in service at " + served.uri()
                + ": " + current);
        out.println("kept models: " + (served.models().isEmpty() ? "none" : String.join(", ", served.models())));
        List<JsonNode> history = served.history();
        for (JsonNode line : history.subList(Math.max(0, history.size() - Math.max(0, last)), history.size())) {
            out.println(describe(line));
        }
        return ExitCodes.OK;
    }

    private static String describe(JsonNode line) {
        if (line.path("event").asText().equals("rollback")) {
            return "  " + line.path("time").asText() + "  rollback " + line.path("from").asText() + " -> "
                    + line.path("to").asText();
        }
        String metric = line.path("metric").asText();
        String key = metric.equals("f1") ? "f1_macro" : metric;
        JsonNode served = line.path("served");
        return String.format(Locale.ROOT, "  %s  run %s  %s %.4f%s  %s", line.path("time").asText(),
                line.path("run_id").asText(), metric, line.path("candidate").path(key).asDouble(),
                served.isObject() ? String.format(Locale.ROOT, " (served %.4f)", served.path(key).asDouble()) : "",
                line.path("promoted").asBoolean() ? "promoted" : "not promoted");
    }
}
