package org.sparkprop.data.augment;

/**
 * Geometric transforms as one inverse affine map with bilinear sampling: output pixel (x, y) takes the input at
 * {@code (a*x + b*y + c, d*x + e*y + f)}, coordinates relative to the image centre. Outside the input is 0 (black,
 * the background of digit datasets).
 */
final class Warp {
    private Warp() {
    }

    /**
     * @param m inverse map {a, b, c, d, e, f} in centred pixel coordinates
     */
    static FloatImage apply(FloatImage in, double[] m) {
        int h = in.height();
        int w = in.width();
        int plane = h * w;
        int channels = in.channels();
        float[] out = new float[in.data().length];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] src = in.data();
        for (int y = 0; y < h; y++) {
            double yc = y - cy;
            // source coordinates advance by (m[0], m[3]) per output column
            double sx = m[0] * -cx + m[1] * yc + m[2] + cx;
            double sy = m[3] * -cx + m[4] * yc + m[5] + cy;
            for (int x = 0; x < w; x++, sx += m[0], sy += m[3]) {
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) {
                    continue;
                }
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                float w00 = (1 - fx) * (1 - fy);
                float w01 = fx * (1 - fy);
                float w10 = (1 - fx) * fy;
                float w11 = fx * fy;
                int at = y * w + x;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
                    int from = y0 * w + x0;
                    for (int c = 0, base = 0; c < channels; c++, base += plane) {
                        int i = base + from;
                        out[base + at] = w00 * src[i] + w01 * src[i + 1] + w10 * src[i + w] + w11 * src[i + w + 1];
                    }
                } else { // the border: samples outside the input count as 0
                    for (int c = 0, base = 0; c < channels; c++, base += plane) {
                        out[base + at] = w00 * sample(src, base, w, h, x0, y0)
                                + w01 * sample(src, base, w, h, x0 + 1, y0)
                                + w10 * sample(src, base, w, h, x0, y0 + 1)
                                + w11 * sample(src, base, w, h, x0 + 1, y0 + 1);
                    }
                }
            }
        }
        return new FloatImage(out, h, w, channels);
    }

    private static float sample(float[] src, int base, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0f : src[base + y * w + x];
    }
}
