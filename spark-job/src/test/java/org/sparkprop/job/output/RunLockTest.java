package org.sparkprop.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.job.config.ConfigException;

class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunOnTheSameFolderIsRefusedNamingTheFirst() throws Exception {
        try (RunLock first = RunLock.acquire(dir.toString(), "output", new Configuration())) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> RunLock.acquire(dir.toString(), "output", new Configuration()));

            assertTrue(e.getMessage().startsWith("Folder " + dir + " (output) is in use by another run: process "
                    + ProcessHandle.current().pid() + " on "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" (lock file " + dir + "/.sparkprop.lock). Wait for it to end, point"
                    + " output elsewhere, or, if that run is gone, delete the lock file."), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE_NAME)), "released at the end");
        RunLock.acquire(dir.toString(), "output", new Configuration()).close();
    }

    @Test
    void aLockLeftByAProcessThatIsGoneIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(dir.resolve(RunLock.FILE_NAME), "host=" + host + "\npid=" + gone.pid()
                + "\nstarted=2026-01-01T00:00:00Z\ntoken=old\n");

        try (RunLock lock = RunLock.acquire(dir.toString(), "output", new Configuration())) {
            assertFalse(Files.readString(dir.resolve(RunLock.FILE_NAME)).contains("token=old"));
        }
    }

    @Test
    void aLockFromAnotherHostIsNeverTakenOver() throws Exception {
        Files.writeString(dir.resolve(RunLock.FILE_NAME), "host=elsewhere.example\npid=1\nstarted=x\ntoken=t\n");

        assertThrows(ConfigException.class, () -> RunLock.acquire(dir.toString(), "output", new Configuration()));
        assertEquals("host=elsewhere.example\npid=1\nstarted=x\ntoken=t\n",
                Files.readString(dir.resolve(RunLock.FILE_NAME)));
    }

    @Test
    void twoRunsStartingAtTheSameInstantNeverBothGetTheLock() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                java.util.concurrent.Callable<RunLock> take = () -> {
                    start.await();
                    try {
                        return RunLock.acquire(dir.toString(), "output", new Configuration());
                    } catch (ConfigException e) {
                        return null;
                    }
                };
                java.util.List<java.util.concurrent.Future<RunLock>> takers = pool.invokeAll(
                        java.util.List.of(take, take), 60, java.util.concurrent.TimeUnit.SECONDS);
                int held = 0;
                for (java.util.concurrent.Future<RunLock> taker : takers) {
                    RunLock lock = taker.get();
                    if (lock != null) {
                        held++;
                        lock.close();
                    }
                }
                assertEquals(1, held, "round " + round + ": runs holding the lock");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLockFileNamingNoRunReadsAsHeldAndSaysWhatToDo() throws Exception {
        Files.writeString(dir.resolve(RunLock.FILE_NAME), "");

        ConfigException e = assertThrows(ConfigException.class,
                () -> RunLock.acquire(dir.toString(), "output", new Configuration()));

        assertEquals("Folder " + dir + " (output) holds a lock file that names no run (" + dir
                + "/.sparkprop.lock): another run is creating it, or one was stopped while it did. If no run is"
                + " using the folder, delete the lock file; else wait for that run to end or point output"
                + " elsewhere.", e.getMessage());
    }
}
