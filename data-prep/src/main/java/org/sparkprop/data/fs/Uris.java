package org.sparkprop.data.fs;

import java.util.regex.Pattern;

/** URIs as they may be written down: a password in a URI's user info never reaches a file, a report or a console. */
public final class Uris {
    private static final Pattern USER_INFO = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\\s]*:)[^/@\\s]*@");

    private Uris() {
    }

    /** {@code text} with the password of every URI in it ({@code s3a://id:secret@bucket}) replaced by {@code ***}. */
    public static String withoutPassword(String text) {
        return USER_INFO.matcher(text).replaceAll("$1***@");
    }
}
