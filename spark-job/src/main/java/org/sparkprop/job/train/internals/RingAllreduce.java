package org.sparkprop.job.train.internals;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Internal: a sum-allreduce of ND4J vectors among the tasks of one barrier stage, over TCP in a ring (each rank sends
 * to rank + 1 and receives from rank - 1): a reduce-scatter, then an all-gather, the bandwidth-optimal schedule that
 * XGBoost's and NCCL's rings use. Each rank sends and receives 2 (p - 1) / p of the vector.
 * <p>
 * The result is bit-identical on every rank and from run to run: the ring fixes the order in which each chunk's
 * terms are added (chunk c is summed starting at rank c, then c + 1, ...), whatever the timing. Bytes go straight
 * from and into the arrays' off-heap buffers (native byte order, one thread per rank, non-blocking channels so that
 * sending and receiving overlap); chunks are added by ND4J.
 * <p>
 * Every wait has a deadline: a peer that stops sending fails the sync with a {@link SocketTimeoutException} naming
 * it, and closing either end (a failed task closes its channels) ends the peer's sync with an {@link EOFException}.
 * A connection must open with the stage's token and the sender's rank; any other is closed.
 */
final class RingAllreduce implements AutoCloseable {
    private static final int HELLO_BYTES = 12;

    private final int rank;
    private final int size;
    private final long timeoutMs;
    private final SocketChannel next;
    private final SocketChannel prev;
    private final Selector selector;
    private INDArray scratch;

    private RingAllreduce(int rank, int size, long timeoutMs, SocketChannel next, SocketChannel prev)
            throws IOException {
        this.rank = rank;
        this.size = size;
        this.timeoutMs = timeoutMs;
        this.next = next;
        this.prev = prev;
        this.selector = size > 1 ? Selector.open() : null;
        if (size > 1) {
            next.configureBlocking(false);
            prev.configureBlocking(false);
        }
    }

    /** A listening socket for this rank, on an ephemeral port, opened before the addresses are exchanged. */
    static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(0), 8);
        return server;
    }

    /**
     * Connects rank {@code rank} of {@code peers.size()} to its ring neighbours: opens a connection to the next rank
     * and accepts the previous rank's on {@code server} (which it closes).
     *
     * @param peers every rank's listening address, by rank
     * @param token the stage's secret; connections without it are refused
     */
    static RingAllreduce connect(int rank, List<InetSocketAddress> peers, ServerSocketChannel server, long token,
                                 long timeoutMs) throws IOException {
        int size = peers.size();
        if (size == 1) {
            server.close();
            return new RingAllreduce(0, 1, timeoutMs, null, null);
        }
        SocketChannel next = null;
        SocketChannel prev = null;
        try (server) {
            next = SocketChannel.open();
            next.setOption(StandardSocketOptions.TCP_NODELAY, true);
            next.socket().connect(peers.get((rank + 1) % size), (int) Math.min(Integer.MAX_VALUE, timeoutMs));
            ByteBuffer hello = ByteBuffer.allocate(HELLO_BYTES).putLong(token).putInt(rank).flip();
            while (hello.hasRemaining()) {
                next.write(hello);
            }
            prev = accept(server, (rank + size - 1) % size, token, timeoutMs);
            return new RingAllreduce(rank, size, timeoutMs, next, prev);
        } catch (IOException | RuntimeException e) {
            closeQuietly(next);
            closeQuietly(prev);
            throw e;
        }
    }

    private static SocketChannel accept(ServerSocketChannel server, int expectedRank, long token, long timeoutMs)
            throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new SocketTimeoutException("rank " + expectedRank + " did not connect within " + timeoutMs
                        + " ms");
            }
            server.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            SocketChannel channel;
            try {
                channel = server.socket().accept().getChannel();
            } catch (SocketTimeoutException e) {
                continue;
            }
            channel.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, left)));
            ByteBuffer hello = ByteBuffer.allocate(HELLO_BYTES);
            try {
                java.io.InputStream in = channel.socket().getInputStream();
                byte[] bytes = in.readNBytes(HELLO_BYTES);
                hello.put(bytes).flip();
            } catch (IOException e) {
                closeQuietly(channel);
                continue;
            }
            if (hello.remaining() == HELLO_BYTES && hello.getLong() == token && hello.getInt() == expectedRank) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.socket().setSoTimeout(0);
                return channel;
            }
            closeQuietly(channel); // a stray or stale connection: not this stage's previous rank
        }
    }

    /**
     * A ring joined by one barrier task, and what every rank said when joining ({@code notes}, by rank: its host, a
     * colon, a space and its note).
     */
    record Joined(RingAllreduce ring, String[] notes) {
    }

    /**
     * Joins the ring of this barrier task's stage: listens, publishes its executor's host and its port with
     * {@code note} at the driver's {@link Rendezvous}, and connects to its neighbours once every rank has arrived.
     */
    static Joined join(org.apache.spark.BarrierTaskContext context, InetSocketAddress rendezvous, long token,
                       String note, long timeoutMs) throws IOException {
        int rank = context.partitionId();
        ServerSocketChannel server = listen();
        try {
            String address = context.getTaskInfos()[rank].address();
            String host = address.substring(0, address.lastIndexOf(':'));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            String[] all = Rendezvous.exchange(rendezvous, token, rank, host + ":" + port + "\t" + note, timeoutMs);
            List<InetSocketAddress> peers = new java.util.ArrayList<>(all.length);
            String[] notes = new String[all.length];
            for (int r = 0; r < all.length; r++) {
                int tab = all[r].indexOf('\t');
                String peer = all[r].substring(0, tab);
                int colon = peer.lastIndexOf(':');
                notes[r] = peer.substring(0, colon) + ": " + all[r].substring(tab + 1);
                peers.add(new InetSocketAddress(peer.substring(0, colon), Integer.parseInt(peer.substring(colon + 1))));
            }
            return new Joined(connect(rank, peers, server, token, timeoutMs), notes);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int rank() {
        return rank;
    }

    int size() {
        return size;
    }

    /**
     * Replaces {@code a} (a float or double vector) by the element-wise sum of every rank's {@code a}: the same
     * values on every rank.
     */
    void sumInPlace(INDArray a) throws IOException {
        if (size == 1 || a.length() == 0) {
            return;
        }
        boolean direct = a.offset() == 0 && a.data().length() == a.length() && a.ordering() == 'c';
        INDArray flat = direct ? a.reshape(a.length()) : a.dup('c').reshape(a.length());
        long n = flat.length();
        int elementBytes = flat.dataType().width();
        ByteBuffer bytes = flat.data().asNio().order(ByteOrder.nativeOrder());
        long maxChunk = (n + size - 1) / size;
        if (scratch == null || scratch.length() < maxChunk || scratch.dataType() != flat.dataType()) {
            scratch = Nd4j.createUninitialized(flat.dataType(), Math.max(1, maxChunk));
        }
        ByteBuffer scratchBytes = scratch.data().asNio().order(ByteOrder.nativeOrder());
        AffinityManager memory = Nd4j.getAffinityManager(); // host and device copies: no-ops on the CPU backend
        memory.ensureLocation(flat, AffinityManager.Location.HOST);
        for (int step = 0; step < size - 1; step++) { // reduce-scatter
            int send = Math.floorMod(rank - step, size);
            int recv = Math.floorMod(rank - step - 1, size);
            long lo = chunkStart(recv, n);
            long len = chunkStart(recv + 1, n) - lo;
            exchange(slice(bytes, send, n, elementBytes), slice(scratchBytes, 0, len * elementBytes));
            if (len > 0) {
                memory.tagLocation(scratch, AffinityManager.Location.HOST);
                flat.get(NDArrayIndex.interval(lo, lo + len)).addi(scratch.get(NDArrayIndex.interval(0, len)));
                memory.ensureLocation(flat, AffinityManager.Location.HOST);
            }
        }
        for (int step = 0; step < size - 1; step++) { // all-gather
            int send = Math.floorMod(rank - step + 1, size);
            int recv = Math.floorMod(rank - step, size);
            exchange(slice(bytes, send, n, elementBytes), slice(bytes, recv, n, elementBytes));
        }
        memory.tagLocation(flat, AffinityManager.Location.HOST);
        if (!direct) {
            a.assign(flat.reshape(a.shape()));
        }
    }

    private long chunkStart(int chunk, long n) {
        return n * chunk / size;
    }

    private ByteBuffer slice(ByteBuffer all, int chunk, long n, int elementBytes) {
        long lo = chunkStart(chunk, n) * elementBytes;
        long hi = chunkStart(chunk + 1, n) * elementBytes;
        return slice(all, lo, hi - lo);
    }

    private static ByteBuffer slice(ByteBuffer all, long from, long length) {
        return all.duplicate().position(Math.toIntExact(from)).limit(Math.toIntExact(from + length)).slice();
    }

    /** Sends {@code out} to the next rank while receiving {@code in} from the previous one. */
    private void exchange(ByteBuffer out, ByteBuffer in) throws IOException {
        SelectionKey writeKey = next.register(selector, out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
        SelectionKey readKey = prev.register(selector, in.hasRemaining() ? SelectionKey.OP_READ : 0);
        long lastProgress = System.currentTimeMillis();
        while (out.hasRemaining() || in.hasRemaining()) {
            long left = lastProgress + timeoutMs - System.currentTimeMillis();
            if (left <= 0) {
                throw new SocketTimeoutException("rank " + rank + " of " + size + ": no data moved for " + timeoutMs
                        + " ms (" + (in.hasRemaining() ? in.remaining() + " bytes still due from rank "
                        + Math.floorMod(rank - 1, size) : "") + (out.hasRemaining() ? " " + out.remaining()
                        + " bytes still to send to rank " + (rank + 1) % size : "") + ")");
            }
            selector.select(left);
            boolean moved = false;
            if (out.hasRemaining() && writeKey.isWritable()) {
                moved |= next.write(out) > 0;
                if (!out.hasRemaining()) {
                    writeKey.interestOps(0);
                }
            }
            if (in.hasRemaining() && readKey.isReadable()) {
                int read = prev.read(in);
                if (read < 0) {
                    throw new EOFException("rank " + Math.floorMod(rank - 1, size) + " closed its connection to rank "
                            + rank + " in the middle of a sync (" + in.remaining() + " bytes still due)");
                }
                moved |= read > 0;
                if (!in.hasRemaining()) {
                    readKey.interestOps(0);
                }
            }
            selector.selectedKeys().clear();
            if (moved) {
                lastProgress = System.currentTimeMillis();
            }
        }
        writeKey.interestOps(0);
        readKey.interestOps(0);
    }

    @Override
    public void close() {
        closeQuietly(next);
        closeQuietly(prev);
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing after a failure: the first error is the one reported
            }
        }
    }
}
