package org.sparkprop.data.export;

import java.io.Serializable;
import org.sparkprop.data.folder.BadInput;
import org.sparkprop.data.folder.ImageItem;

/** An image file after decoding on an executor: its pixels (height x width x channels), or why it was skipped. */
public record DecodedImage(ImageItem item, byte[] pixels, BadInput bad) implements Serializable {
    public boolean ok() {
        return pixels != null;
    }
}
