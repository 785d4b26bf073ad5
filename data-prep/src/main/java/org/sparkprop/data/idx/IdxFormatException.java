package org.sparkprop.data.idx;

import java.io.IOException;

/** An IDX file that is not what its header or name promises: wrong magic number, bad dimensions, truncated. */
public class IdxFormatException extends IOException {
    public IdxFormatException(String message) {
        super(message);
    }
}
