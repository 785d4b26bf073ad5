package org.sparkprop.data.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UrisTest {
    @Test
    void aPasswordInAUrisUserInfoIsMaskedWhateverTheUserAndEverythingElseStays() {
        assertEquals("s3a://AKIA:***@bucket/photos/cat/1.png", Uris.withoutPassword(
                "s3a://AKIA:hunter2@bucket/photos/cat/1.png"));
        assertEquals("cannot read s3a://:***@b/x and s3a://id:***@c/y", Uris.withoutPassword(
                "cannot read s3a://:secret@b/x and s3a://id:pw@c/y"));
        assertEquals("hdfs://nn:8020/data/photos", Uris.withoutPassword("hdfs://nn:8020/data/photos"));
        assertEquals("/local/a:b@c", Uris.withoutPassword("/local/a:b@c"));
    }
}
