package org.sparkprop.data.folder;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sparkprop.model.InputShape;

/** How an image whose size differs from the dataset's {@link InputShape} is brought to it (bilinear in both). */
public enum ResizePolicy {
    /**
     * Scale so the shorter side fits, then cut the centre out of the longer side: keeps the aspect ratio, loses the
     * borders of non-square images. The usual choice for photos (and the default).
     */
    CROP,
    /** Scale each side to fit: keeps everything in the picture, distorts the aspect ratio of non-square images. */
    STRETCH;

    public static final List<String> NAMES = Arrays.stream(values()).map(ResizePolicy::id).toList();

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResizePolicy parse(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
