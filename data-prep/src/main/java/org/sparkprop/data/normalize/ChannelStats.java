package org.sparkprop.data.normalize;

import java.io.Serializable;

/**
 * Running per-channel sums of 8-bit pixel values (height x width x channels order), mergeable across partitions:
 * one distributed pass gives each channel's mean and standard deviation.
 */
public final class ChannelStats implements Serializable {
    private final double[] sum;
    private final double[] sumSquares;
    private long pixels;

    public ChannelStats(int channels) {
        sum = new double[channels];
        sumSquares = new double[channels];
    }

    public ChannelStats add(byte[] hwc) {
        int c = sum.length;
        long[] s = new long[c];
        long[] q = new long[c];
        for (int i = 0; i < hwc.length; i++) {
            int v = hwc[i] & 0xFF;
            s[i % c] += v;
            q[i % c] += (long) v * v;
        }
        for (int k = 0; k < c; k++) {
            sum[k] += s[k];
            sumSquares[k] += q[k];
        }
        pixels += hwc.length / c;
        return this;
    }

    public ChannelStats merge(ChannelStats other) {
        for (int k = 0; k < sum.length; k++) {
            sum[k] += other.sum[k];
            sumSquares[k] += other.sumSquares[k];
        }
        pixels += other.pixels;
        return this;
    }

    public double[] mean() {
        double[] mean = new double[sum.length];
        for (int k = 0; k < sum.length; k++) {
            mean[k] = sum[k] / pixels;
        }
        return mean;
    }

    /** Population standard deviation per channel. */
    public double[] std() {
        double[] mean = mean();
        double[] std = new double[sum.length];
        for (int k = 0; k < sum.length; k++) {
            std[k] = Math.sqrt(Math.max(0, sumSquares[k] / pixels - mean[k] * mean[k]));
        }
        return std;
    }

    public long pixels() {
        return pixels;
    }
}
