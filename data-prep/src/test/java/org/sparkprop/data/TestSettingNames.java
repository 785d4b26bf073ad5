package org.sparkprop.data;

import java.util.Map;

/** The names spark-job gives data-prep's settings (its config keys), for data-prep's own tests. */
public final class TestSettingNames {
    public static final SettingNames NAMES = new SettingNames(Map.of(
            SettingNames.Setting.PATH, "data.path",
            SettingNames.Setting.IMAGE_SIZE, "data.image-size",
            SettingNames.Setting.BATCHES, "data.batches",
            SettingNames.Setting.DIR, "data.dir",
            SettingNames.Setting.BAD_INPUT_THRESHOLD, "data.bad-input-threshold",
            SettingNames.Setting.MAX_FILE_BYTES, "data.max-file-bytes",
            SettingNames.Setting.MAX_IMAGE_PIXELS, "data.max-image-pixels"));

    private TestSettingNames() {
    }
}
