package org.sparkprop.job.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sparkprop.job.config.TrainConfig;

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

    /**
     * data-prep's messages name the settings to change as values spark-job gives it ({@code SettingNames}), so a
     * renamed config key is renamed there too: no main source of data-prep spells a dotted key of spark-job's.
     */
    @Test
    void dataPrepSpellsNoConfigKeyOfSparkJob() throws IOException {
        List<String> keys = TrainConfig.DEF.keys().keySet().stream().filter(k -> k.contains(".")).toList();
        assertTrue(keys.contains("data.path") && keys.size() > 40, "keys: " + keys);
        List<String> violations = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(ROOT.resolve("data-prep/src/main/java"))) {
            for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher literal = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"").matcher(Files.readString(file));
                while (literal.find()) {
                    for (String key : keys) {
                        Pattern spelt = Pattern.compile("(?<![\\w.-])" + Pattern.quote(key) + "(?![\\w-])");
                        if (spelt.matcher(literal.group()).find()) {
                            violations.add(file.getFileName() + " spells " + key + " in " + literal.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void sparkJobsPackagesDependOnEachOtherWithoutACycle() throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("spark-job/src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.put(file.toString(), Files.readString(file));
            }
        }
        Map<String, Set<String>> graph = packageGraph(sources.values());
        assertTrue(graph.keySet().containsAll(List.of("cli", "run", "train", "error")), "packages: " + graph.keySet());
        assertEquals(List.of(), cycles(graph));
    }

    @Test
    void aCycleBetweenTwoPackagesIsCaughtAndNamed() {
        Map<String, Set<String>> graph = packageGraph(List.of(
                "package org.sparkprop.job.eval;\nimport org.sparkprop.job.output.MetricsReport;\n",
                "package org.sparkprop.job.output;\nclass C { org.sparkprop.job.eval.EvaluationResult r; }\n",
                "package org.sparkprop.job.train.internals;\nimport org.sparkprop.job.train.EpochStats;\n",
                "package org.sparkprop.job.train;\nimport org.sparkprop.job.train.internals.TrainingRounds;\n"));

        assertEquals(List.of("eval -> output -> eval"), cycles(graph));
    }

    /**
     * spark-job's packages (named below {@code org.sparkprop.job}) and those each one names, imported or written
     * out in full. A package's {@code internals} count as part of it: they serve it alone.
     */
    private static Map<String, Set<String>> packageGraph(Iterable<String> sources) {
        Pattern use = Pattern.compile("org\\.sparkprop\\.job\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String source : sources) {
            Matcher pkg = PACKAGE.matcher(source);
            if (!pkg.find() || !pkg.group(1).startsWith("org.sparkprop.job.")) {
                continue;
            }
            String own = jobPackage(pkg.group(1).substring("org.sparkprop.job.".length()));
            Set<String> uses = graph.computeIfAbsent(own, k -> new TreeSet<>());
            Matcher ref = use.matcher(PACKAGE.matcher(source).replaceFirst(""));
            while (ref.find()) {
                String used = jobPackage(ref.group(1));
                if (!used.equals(own)) {
                    uses.add(used);
                }
            }
        }
        return graph;
    }

    private static String jobPackage(String name) {
        return name.endsWith(".internals") ? name.substring(0, name.length() - ".internals".length()) : name;
    }

    /** Each strongly connected group of packages as one path {@code a -> b -> ... -> a} (Tarjan's algorithm). */
    private static List<String> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, graph, index, low, stack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<String> cycles) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, cycles);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> group = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                group.add(w);
            } while (!w.equals(v));
            if (group.size() > 1) {
                cycles.add(path(group, graph));
            }
        }
    }

    /** The shortest path from the group's first package back to it, through the group (breadth first). */
    private static String path(Set<String> group, Map<String, Set<String>> graph) {
        String first = group.iterator().next();
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(first));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : graph.get(at)) {
                if (next.equals(first)) {
                    List<String> walk = new ArrayList<>(List.of(first));
                    for (String p = at; p != null; p = cameFrom.get(p)) {
                        walk.add(0, p);
                    }
                    return String.join(" -> ", walk);
                }
                if (group.contains(next) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + first);
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
