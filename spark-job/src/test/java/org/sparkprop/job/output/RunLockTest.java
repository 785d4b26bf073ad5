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
}
