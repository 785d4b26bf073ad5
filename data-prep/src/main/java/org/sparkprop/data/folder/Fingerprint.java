package org.sparkprop.data.folder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over a sequence of values: identifies a file listing or a recipe in a manifest. */
public final class Fingerprint {
    private final MessageDigest digest;

    public Fingerprint() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Fingerprint add(Object... values) {
        for (Object value : values) {
            digest.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return this;
    }

    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
