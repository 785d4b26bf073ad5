package org.sparkprop.job.train.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RingAllreduceTest {
    private static final ExecutorService POOL = Executors.newCachedThreadPool();
    private static final long TOKEN = 0x5eed_cafeL;

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Each rank's vector: seeded by rank, values of mixed magnitude so that the order of addition shows. */
    private static float[] vector(int rank, int n) {
        Random random = new Random(1000 + rank);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        return v;
    }

    /** Runs one sum on {@code size} ranks (threads on loopback) and returns each rank's result. */
    private static List<float[]> sum(int size, int n) throws Exception {
        List<ServerSocketChannel> servers = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            ServerSocketChannel server = RingAllreduce.listen();
            servers.add(server);
            peers.add(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort()));
        }
        List<Future<float[]>> results = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            int rank = r;
            results.add(POOL.submit(() -> {
                try (RingAllreduce ring = RingAllreduce.connect(rank, peers, servers.get(rank), TOKEN, 20_000)) {
                    INDArray a = Nd4j.createFromArray(vector(rank, n)).reshape(1, n);
                    ring.sumInPlace(a);
                    return a.toFloatVector();
                }
            }));
        }
        List<float[]> out = new ArrayList<>();
        for (Future<float[]> f : results) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void everyRankGetsTheSameSumBitForBitAndEveryRunTheSameBitsForOneToFourRanks() throws Exception {
        for (int size = 1; size <= 4; size++) {
            for (int n : new int[] {1, 3, 1000, 100_003}) {
                List<float[]> first = sum(size, n);
                List<float[]> second = sum(size, n);
                double[] expected = new double[n];
                double[] magnitude = new double[n];
                for (int r = 0; r < size; r++) {
                    float[] v = vector(r, n);
                    for (int i = 0; i < n; i++) {
                        expected[i] += v[i];
                        magnitude[i] += Math.abs(v[i]);
                    }
                }
                for (int r = 0; r < size; r++) {
                    assertArrayEquals(first.get(0), first.get(r), size + " ranks, n " + n + ": rank " + r);
                    assertArrayEquals(first.get(r), second.get(r), size + " ranks, n " + n + ": run to run");
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i], first.get(0)[i], 1e-6 * magnitude[i] + 1e-30, // float rounding
                            size + " ranks, n " + n + ", element " + i);
                }
            }
        }
    }

    @Test
    void aDoubleVectorAndAViewWithAnOffsetAreSummedToo() throws Exception {
        ServerSocketChannel s0 = RingAllreduce.listen();
        ServerSocketChannel s1 = RingAllreduce.listen();
        List<InetSocketAddress> peers = List.of(address(s0), address(s1));
        List<Future<double[]>> results = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int rank = r;
            ServerSocketChannel server = r == 0 ? s0 : s1;
            results.add(POOL.submit(() -> {
                try (RingAllreduce ring = RingAllreduce.connect(rank, peers, server, TOKEN, 20_000)) {
                    INDArray control = Nd4j.createFromArray(1.0, rank + 0.5, rank);
                    ring.sumInPlace(control);
                    INDArray whole = Nd4j.createFromArray(new float[] {9, 1 + rank, 2 + rank, 9});
                    INDArray view = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3));
                    ring.sumInPlace(view);
                    return new double[] {control.getDouble(0), control.getDouble(1), control.getDouble(2),
                            whole.getDouble(0), whole.getDouble(1), whole.getDouble(2), whole.getDouble(3)};
                }
            }));
        }
        for (Future<double[]> f : results) {
            assertArrayEquals(new double[] {2, 2, 1, 9, 3, 5, 9}, f.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPeerThatStopsSendingFailsTheSyncWithinTheTimeoutNamingIt() throws Exception {
        ServerSocketChannel s0 = RingAllreduce.listen();
        ServerSocketChannel s1 = RingAllreduce.listen();
        List<InetSocketAddress> peers = List.of(address(s0), address(s1));
        Future<RingAllreduce> silent = POOL.submit(() -> RingAllreduce.connect(1, peers, s1, TOKEN, 20_000));
        try (RingAllreduce ring = RingAllreduce.connect(0, peers, s0, TOKEN, 500);
             RingAllreduce peer = silent.get(60, TimeUnit.SECONDS)) {
            long t0 = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> ring.sumInPlace(Nd4j.zeros(DataType.FLOAT, 10)));
            assertEquals("rank 0 of 2: no data moved for 500 ms (20 bytes still due from rank 1)", e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e6 < 5_000, "took " + (System.nanoTime() - t0) / 1e6 + " ms");
        }
    }

    @Test
    void aPeerThatClosesItsEndFailsTheSyncAtOnce() throws Exception {
        ServerSocketChannel s0 = RingAllreduce.listen();
        ServerSocketChannel s1 = RingAllreduce.listen();
        List<InetSocketAddress> peers = List.of(address(s0), address(s1));
        Future<RingAllreduce> failing = POOL.submit(() -> RingAllreduce.connect(1, peers, s1, TOKEN, 20_000));
        try (RingAllreduce ring = RingAllreduce.connect(0, peers, s0, TOKEN, 20_000)) {
            failing.get(60, TimeUnit.SECONDS).close(); // what a failed task's try-with-resources does
            EOFException e = assertThrows(EOFException.class, () -> ring.sumInPlace(Nd4j.zeros(DataType.FLOAT, 10)));
            assertEquals("rank 1 closed its connection to rank 0 in the middle of a sync (20 bytes still due)",
                    e.getMessage());
        }
    }

    @Test
    void aConnectionWithoutTheStagesTokenIsClosedAndTheRealPeerStillJoins() throws Exception {
        ServerSocketChannel s0 = RingAllreduce.listen();
        ServerSocketChannel s1 = RingAllreduce.listen();
        List<InetSocketAddress> peers = List.of(address(s0), address(s1));
        try (SocketChannel stray = SocketChannel.open(address(s0))) {
            stray.write(ByteBuffer.allocate(12).putLong(TOKEN + 1).putInt(1).flip());
            Future<float[]> r1 = POOL.submit(() -> {
                try (RingAllreduce ring = RingAllreduce.connect(1, peers, s1, TOKEN, 20_000)) {
                    INDArray a = Nd4j.createFromArray(new float[] {2, 3});
                    ring.sumInPlace(a);
                    return a.toFloatVector();
                }
            });
            try (RingAllreduce ring = RingAllreduce.connect(0, peers, s0, TOKEN, 20_000)) {
                INDArray a = Nd4j.createFromArray(new float[] {10, 20});
                ring.sumInPlace(a);
                assertArrayEquals(new float[] {12, 23}, a.toFloatVector());
            }
            assertArrayEquals(new float[] {12, 23}, r1.get(60, TimeUnit.SECONDS));
            assertEquals(-1, stray.read(ByteBuffer.allocate(1)), "the stray connection was closed");
        }
    }

    private static InetSocketAddress address(ServerSocketChannel server) throws IOException {
        return new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
    }
}
