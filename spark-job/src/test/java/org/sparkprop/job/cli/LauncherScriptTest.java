package org.sparkprop.job.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** bin/sparkprop must name the real main class, jar and opens file: DL4J's examples once shipped a script that did not. */
class LauncherScriptTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theLauncherNamesTheRealMainClassJarAndOpensFile() throws Exception {
        String script = Files.readString(ROOT.resolve("bin/sparkprop"));

        assertTrue(script.contains("MAIN_CLASS=" + SparkPropCli.class.getName() + "\n"), "main class");
        assertTrue(script.contains("sparkprop-spark-job-*.jar"), "application jar name");
        String pom = Files.readString(ROOT.resolve("spark-job/pom.xml"));
        assertTrue(pom.contains("<artifactId>sparkprop-spark-job</artifactId>"), "jar name follows the artifactId");
        assertTrue(script.contains("$ROOT/deploy/conf/java17-opens.properties"), "opens file");
        assertTrue(Files.readString(ROOT.resolve("deploy/conf/java17-opens.properties"))
                .contains("argLine.opens=-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED"));
        assertTrue(Files.isExecutable(ROOT.resolve("bin/sparkprop")), "bin/sparkprop is executable");
    }

    @Test
    void theGpuDiscoveryScriptPrintsSparkResourceJsonFromNvidiaSmi(@org.junit.jupiter.api.io.TempDir Path bin)
            throws Exception {
        Path fake = bin.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\necho 0\necho 1\n");
        assertTrue(fake.toFile().setExecutable(true));
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("deploy/conf/getGpusResources.sh").toString());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes()).trim();

        org.junit.jupiter.api.Assertions.assertEquals(0, process.waitFor());
        org.junit.jupiter.api.Assertions.assertEquals("{\"name\": \"gpu\", \"addresses\": [\"0\",\"1\"]}", out);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        org.junit.jupiter.api.Assertions.assertEquals(2, json.get("addresses").size());
    }
}
