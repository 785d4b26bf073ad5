package org.sparkprop.data.folder;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.sparkprop.data.SettingNames;
import org.sparkprop.model.InputShape;

/**
 * Decodes PNG, JPEG, BMP and GIF bytes with the JDK's ImageIO readers into {@link InputShape}'s size, as 8-bit
 * values in height x width x channels order. Anything that is not a whole, readable image of a fitting channel
 * layout becomes a {@link BadInput} with its reason instead of an exception, so one bad file never stops a job.
 * <p>
 * Channels: gray images (8 or 16 bit, gray palettes, gray with alpha) feed 1-channel datasets and are replicated
 * for 3-channel ones; colour images feed 3-channel datasets only (a colour file in a gray dataset is
 * {@link BadInputReason#UNEXPECTED_CHANNELS}: usually a stray file, and a silent conversion would hide it). Alpha is
 * dropped. A reader warning (e.g. JPEG's "premature end of data", which ImageIO otherwise papers over with gray
 * pixels) counts as {@link BadInputReason#CORRUPT_IMAGE}.
 */
public final class ImageDecoder implements Serializable {
    static {
        ImageIO.setUseCache(false); // no temporary files per image on the executors' disks; the bytes are in memory
    }

    private final InputShape shape;
    private final ResizePolicy resize;
    private final ImageLimits limits;
    private final SettingNames names;

    /**
     * @param limits the declared size is checked against {@code limits.maxPixels()} before decoding
     * @param names  the settings a bad file's reason names (the limits, the image size)
     * @throws IllegalArgumentException for a shape that is not gray (1 channel) or RGB (3)
     */
    public ImageDecoder(InputShape shape, ResizePolicy resize, ImageLimits limits, SettingNames names) {
        this.shape = InputShape.image(shape.height(), shape.width(), shape.channels());
        this.resize = resize;
        this.limits = limits;
        this.names = names;
    }

    /** The size and channels every image is brought to. */
    public InputShape shape() {
        return shape;
    }

    /** The outcome for one file: pixels, or why there are none. */
    public record Result(byte[] pixels, BadInput bad) {
        public boolean ok() {
            return pixels != null;
        }
    }

    /**
     * Reads {@code path} with the bounded reader ({@link ImageFiles#read}) and decodes it: a file over
     * {@code limits.maxBytes()} is too-large bad input without being read to its end.
     *
     * @throws UnreadableInputException on an I/O error: the task fails and Spark retries it
     */
    public Result read(FileSystem fs, String path) throws UnreadableInputException {
        byte[] bytes = ImageFiles.read(fs, path, limits.maxBytes());
        return bytes == null ? new Result(null, ImageFiles.tooLarge(path, limits.maxBytes(),
                names.of(SettingNames.Setting.MAX_FILE_BYTES))) : decode(path, bytes);
    }

    public Result decode(String path, byte[] bytes) {
        if (bytes.length == 0) {
            return bad(path, BadInputReason.EMPTY_FILE, "0 bytes");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return bad(path, BadInputReason.NOT_AN_IMAGE, "no PNG, JPEG, BMP or GIF signature in the first bytes ("
                        + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                long declared = (long) reader.getWidth(0) * reader.getHeight(0); // the header only
                if (declared > limits.maxPixels()) {
                    return bad(path, BadInputReason.TOO_LARGE, String.format(java.util.Locale.ROOT, "declares %dx%d"
                                    + " = %,d pixels, more than %s = %,d", reader.getWidth(0), reader.getHeight(0),
                            declared, names.of(SettingNames.Setting.MAX_IMAGE_PIXELS), limits.maxPixels()));
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                return bad(path, BadInputReason.CORRUPT_IMAGE, reader.getFormatName() + " reader: "
                        + String.join("; ", warnings));
            }
        } catch (IOException | RuntimeException e) {
            return bad(path, BadInputReason.CORRUPT_IMAGE, "cannot decode: " + e);
        }
        if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
            return bad(path, BadInputReason.CORRUPT_IMAGE, "decoded to an empty image");
        }
        boolean gray = isGray(image.getColorModel());
        if (!gray && shape.channels() == 1) {
            return bad(path, BadInputReason.UNEXPECTED_CHANNELS, image.getColorModel().getNumColorComponents()
                    + " colour channels in a gray dataset (" + shape + "); set "
                    + names.of(SettingNames.Setting.IMAGE_SIZE) + " to "
                    + shape.height() + "x" + shape.width() + "x3 if the dataset is in colour");
        }
        if (!gray && image.getColorModel().getNumColorComponents() != 3) {
            return bad(path, BadInputReason.UNEXPECTED_CHANNELS, image.getColorModel().getNumColorComponents()
                    + " colour channels (" + image.getColorModel().getColorSpace().getClass().getSimpleName()
                    + "); only gray and RGB images are read");
        }
        BufferedImage standard = gray ? toGray(image) : toRgb(image);
        BufferedImage sized = resized(standard);
        return new Result(pixelsOf(sized, gray), null);
    }

    private static Result bad(String path, BadInputReason reason, String detail) {
        return new Result(null, new BadInput(path, reason, detail));
    }

    private static boolean isGray(ColorModel model) {
        if (model instanceof IndexColorModel palette) {
            for (int i = 0; i < palette.getMapSize(); i++) {
                if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    /** Band 0 of a gray raster at 8 bits, without the colour-space conversion that getRGB applies to gray. */
    private static BufferedImage toGray(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        if (image.getColorModel() instanceof IndexColorModel palette) {
            Raster raster = image.getRaster();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    dst[y * image.getWidth() + x] = (byte) palette.getRed(raster.getSample(x, y, 0));
                }
            }
            return out;
        }
        Raster raster = image.getRaster();
        int bits = image.getColorModel().getComponentSize(0);
        double scale = 255.0 / ((1L << bits) - 1);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                dst[y * image.getWidth() + x] = (byte) Math.round(raster.getSample(x, y, 0) * scale);
            }
        }
        return out;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private BufferedImage resized(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (w == shape.width() && h == shape.height()) {
            return image;
        }
        BufferedImage out = new BufferedImage(shape.width(), shape.height(), image.getType());
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (resize == ResizePolicy.STRETCH) {
            g.drawImage(image, 0, 0, shape.width(), shape.height(), null);
        } else {
            double scale = Math.max(shape.width() / (double) w, shape.height() / (double) h);
            int sw = (int) Math.round(shape.width() / scale);
            int sh = (int) Math.round(shape.height() / scale);
            int sx = (w - sw) / 2;
            int sy = (h - sh) / 2;
            g.drawImage(image, 0, 0, shape.width(), shape.height(), sx, sy, sx + sw, sy + sh, null);
        }
        g.dispose();
        return out;
    }

    /** Height x width x channels bytes; RGB order for colour datasets, gray replicated when 3 channels are due. */
    private byte[] pixelsOf(BufferedImage image, boolean gray) {
        byte[] src = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int pixels = shape.pixels();
        if (shape.channels() == 1) {
            return src.length == pixels ? src : Arrays.copyOf(src, pixels);
        }
        byte[] out = new byte[pixels * 3];
        for (int p = 0; p < pixels; p++) {
            if (gray) {
                out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = src[p];
            } else { // TYPE_3BYTE_BGR
                out[3 * p] = src[3 * p + 2];
                out[3 * p + 1] = src[3 * p + 1];
                out[3 * p + 2] = src[3 * p];
            }
        }
        return out;
    }
}
