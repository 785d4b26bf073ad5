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
        float[] out = new float[in.data().length];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] src = in.data();
        for (int y = 0; y < h; y++) {
            double yc = y - cy;
            for (int x = 0; x < w; x++) {
                double xc = x - cx;
                double sx = m[0] * xc + m[1] * yc + m[2] + cx;
                double sy = m[3] * xc + m[4] * yc + m[5] + cy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) {
                    continue;
                }
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                for (int c = 0; c < in.channels(); c++) {
                    int base = c * h * w;
                    float v00 = sample(src, base, w, h, x0, y0);
                    float v01 = sample(src, base, w, h, x0 + 1, y0);
                    float v10 = sample(src, base, w, h, x0, y0 + 1);
                    float v11 = sample(src, base, w, h, x0 + 1, y0 + 1);
                    out[base + y * w + x] = (v00 * (1 - fx) + v01 * fx) * (1 - fy) + (v10 * (1 - fx) + v11 * fx) * fy;
                }
            }
        }
        return new FloatImage(out, h, w, in.channels());
    }

    private static float sample(float[] src, int base, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0f : src[base + y * w + x];
    }
}
