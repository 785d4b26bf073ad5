package org.sparkprop.job.train.internals;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import org.sparkprop.job.train.SyncTiming;
import scala.runtime.AbstractFunction1;

/**
 * Internal: times the allreduce trainer's collective by itself, in one real barrier stage of {@code ranks} tasks
 * (joining through the driver's {@link Rendezvous}, as in training): for each vector length, {@code repeats} sums of a float vector of that
 * length, each timed on rank 0 from before its sum to after it (a sync's whole cost: the ring's transfers, the
 * additions, and waiting for the slowest rank). What {@code bench-allreduce} prints.
 */
public final class AllreduceProbe {
    private AllreduceProbe() {
    }

    public static List<SyncTiming> run(JavaSparkContext sc, int ranks, long[] lengths, int repeats, long timeoutMs) {
        List<Integer> ids = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            ids.add(r);
        }
        ClassTag<double[]> tag = ClassTag$.MODULE$.apply(double[].class);
        long token = new SecureRandom().nextLong();
        List<double[]> rows;
        try (Rendezvous rendezvous = Rendezvous.onDriver(sc.getConf(), ranks, token, timeoutMs)) {
            Probe probe = new Probe(lengths.clone(), repeats, token, rendezvous.host(), rendezvous.port(), timeoutMs);
            rows = JavaRDD.fromRDD(sc.parallelize(ids, ranks).rdd().barrier().mapPartitions(probe, false, tag), tag)
                    .collect(); // plain arrays: Spark's Kryo cannot build records
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<SyncTiming> out = new ArrayList<>();
        out.add(new SyncTiming(0, rows.get(0))); // length 0: joining the ring, once
        for (int i = 1; i < rows.size(); i++) {
            out.add(new SyncTiming(lengths[i - 1], rows.get(i)));
        }
        return out;
    }

    private static final class Probe extends AbstractFunction1<scala.collection.Iterator<Integer>,
            scala.collection.Iterator<double[]>> implements Serializable {
        private final long[] lengths;
        private final int repeats;
        private final long token;
        private final String rendezvousHost;
        private final int rendezvousPort;
        private final long timeoutMs;

        Probe(long[] lengths, int repeats, long token, String rendezvousHost, int rendezvousPort, long timeoutMs) {
            this.lengths = lengths;
            this.repeats = repeats;
            this.token = token;
            this.rendezvousHost = rendezvousHost;
            this.rendezvousPort = rendezvousPort;
            this.timeoutMs = timeoutMs;
        }

        @Override
        public scala.collection.Iterator<double[]> apply(scala.collection.Iterator<Integer> ignored) {
            BarrierTaskContext context = BarrierTaskContext.get();
            int rank = context.partitionId();
            List<double[]> out = new ArrayList<>();
            try {
                long joinStart = System.nanoTime();
                RingAllreduce.Joined joined = RingAllreduce.join(context, new InetSocketAddress(rendezvousHost,
                        rendezvousPort), token, "", timeoutMs);
                try (RingAllreduce ring = joined.ring()) {
                    out.add(new double[] {(System.nanoTime() - joinStart) / 1e9}); // the rendezvous, the connections
                    for (long length : lengths) {
                        INDArray v = Nd4j.ones(DataType.FLOAT, length);
                        ring.sumInPlace(v); // warm-up: buffers, JIT
                        double[] seconds = new double[repeats];
                        for (int i = 0; i < repeats; i++) {
                            long t0 = System.nanoTime();
                            ring.sumInPlace(v);
                            seconds[i] = (System.nanoTime() - t0) / 1e9;
                            v.divi(ring.size()); // keep the values bounded
                        }
                        out.add(seconds);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return JavaConverters.asScalaIteratorConverter((rank == 0 ? out : List.<double[]>of()).iterator())
                    .asScala();
        }
    }
}
