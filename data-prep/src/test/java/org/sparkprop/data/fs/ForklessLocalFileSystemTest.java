package org.sparkprop.data.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForklessLocalFileSystemTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void installedAsDefaultEveryConfigurationOpensItForFileUris() throws IOException {
        ForklessLocalFileSystem.installAsDefault();
        Configuration conf = new Configuration();
        conf.setBoolean("fs.file.impl.disable.cache", true); // another test of this JVM may have cached Hadoop's

        assertEquals(ForklessLocalFileSystem.class.getName(), conf.get("fs.file.impl"));
        assertInstanceOf(ForklessLocalFileSystem.class, new Path(tmp.toUri()).getFileSystem(conf));
    }

    @Test
    void permissionsAreSetAsHadoopSetsThemWithTheUmaskAppliedAndChecksumsKept() throws IOException {
        Configuration conf = new Configuration(false);
        conf.set("fs.permissions.umask-mode", "027");
        FileSystem fs = new ForklessLocalFileSystem();
        fs.initialize(tmp.toUri(), conf);
        Path file = new Path(tmp.resolve("sub/batch.bin").toUri());

        try (OutputStream out = fs.create(file, true)) {
            out.write(new byte[] {1, 2, 3});
        }
        fs.setPermission(new Path(tmp.resolve("sub").toUri()), new FsPermission((short) 0750));

        assertEquals("rw-r-----", permissions(tmp.resolve("sub/batch.bin")));
        assertEquals("rwxr-x---", permissions(tmp.resolve("sub")));
        assertTrue(Files.exists(tmp.resolve("sub/.batch.bin.crc")));
        assertEquals(3, fs.getFileStatus(file).getLen());
        fs.setPermission(file, new FsPermission((short) 0604));
        assertEquals("rw----r--", permissions(tmp.resolve("sub/batch.bin")));
    }

    private static String permissions(java.nio.file.Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
