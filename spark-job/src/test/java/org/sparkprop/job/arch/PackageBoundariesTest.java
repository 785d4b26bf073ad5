package org.sparkprop.job.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundaries ARCHITECTURE.md states, checked on the main sources of every module (in the way Kafka's
 * import-control.xml is): a name in a package that a rule closes may appear only in the packages the rule lists,
 * whether imported or written out in full.
 */
class PackageBoundariesTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /** Names under {@code closed} may be used only from packages starting with one of {@code open}. */
    private record Rule(String closed, List<String> open, String why) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("org.sparkprop.job.train.internals.", List.of("org.sparkprop.job.train"),
                    "DL4J's training masters stay behind SparkTrainer"),
            new Rule("org.deeplearning4j.spark.", List.of("org.sparkprop.job.train"),
                    "only the trainer talks to dl4j-spark"),
            new Rule("org.sparkprop.job.", List.of("org.sparkprop.job"),
                    "data-prep and model-defs know nothing of spark-job"),
            new Rule("org.sparkprop.data.", List.of("org.sparkprop.data", "org.sparkprop.job"),
                    "model-defs knows nothing of data-prep"));

    /** Calls that read a model zip past the checks of ModelZip: only ModelZip itself may make them. */
    private static final Pattern UNCHECKED_MODEL_READ = Pattern.compile(
            "ModelSerializer\\.(restore\\w*|getObjectFromFile|listObjectsInFile)|KerasModelImport\\.import\\w*");
    private static final String ZIP_READER = "ModelZip.java";
    private static final String KERAS_READER = "PretrainedModels.java";

    @Test
    void modelFilesAreReadOnlyThroughTheirChecks() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(ROOT.resolve("spark-job/src/main/java"))) {
            for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher call = UNCHECKED_MODEL_READ.matcher(Files.readString(file));
                while (call.find()) {
                    String reader = call.group().startsWith("Keras") ? KERAS_READER : ZIP_READER;
                    if (!file.getFileName().toString().equals(reader)) {
                        violations.add(file.getFileName() + " calls " + call.group());
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void everyModuleKeepsToThePackageRules() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (String module : List.of("model-defs", "data-prep", "spark-job")) {
            try (Stream<Path> sources = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    violations.addAll(violations(file, Files.readString(file)));
                }
            }
        }
        assertTrue(files > 150, "found only " + files + " source files: is the project root " + ROOT + "?");
        assertEquals(List.of(), violations);
    }

    @Test
    void aClassThatReachesIntoTheInternalsIsCaught() {
        String source = "package org.sparkprop.job.spark;\n\nimport org.sparkprop.job.train.internals.TrainingMasters;\n"
                + "class X { org.deeplearning4j.spark.api.TrainingMaster m; }\n";

        assertEquals(List.of("X.java (org.sparkprop.job.spark) uses org.sparkprop.job.train.internals.TrainingMasters:"
                        + " DL4J's training masters stay behind SparkTrainer",
                "X.java (org.sparkprop.job.spark) uses org.deeplearning4j.spark.api.TrainingMaster: only the trainer"
                        + " talks to dl4j-spark"), violations(Path.of("X.java"), source));
    }

    private static List<String> violations(Path file, String source) {
        Matcher pkg = PACKAGE.matcher(source);
        String own = pkg.find() ? pkg.group(1) : "";
        String body = PACKAGE.matcher(source).replaceFirst("");
        List<String> out = new ArrayList<>();
        for (Rule rule : RULES) {
            if (rule.open().stream().anyMatch(open -> own.equals(open) || own.startsWith(open + "."))) {
                continue;
            }
            Matcher use = Pattern.compile(Pattern.quote(rule.closed()) + "[\\w.]*\\w").matcher(body);
            while (use.find()) {
                out.add(file.getFileName() + " (" + own + ") uses " + use.group() + ": " + rule.why());
            }
        }
        return out;
    }
}
