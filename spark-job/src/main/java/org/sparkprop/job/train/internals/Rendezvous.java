package org.sparkprop.job.train.internals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: where the tasks of one barrier stage attempt meet, on the driver: each task connects, sends the stage's
 * token, its rank and a message (its ring address), and once every rank has arrived each gets every rank's message,
 * by rank. It replaces Spark's own {@code BarrierTaskContext.allGather} for this, which costs at least a second per
 * call (Spark 3.5's {@code runBarrier} checks its RPC's future in a {@code Thread.sleep(1000)} loop); measured here
 * with {@code bench-allreduce}: 1,011 ms to join through allGather.
 * <p>
 * One rendezvous serves one stage attempt (a retry opens a new one, with a new token) and closes once it has
 * answered, or at its deadline. A connection with another token, a rank out of range or a rank already seen is
 * closed and not counted.
 */
final class Rendezvous implements AutoCloseable {
    private static final int MAX_MESSAGE = 4096;

    private final ServerSocket server;
    private final String host;
    private final Thread thread;
    private volatile IOException failure;

    /**
     * A rendezvous on this driver, where Spark's executors reach it: listening on {@code spark.driver.bindAddress}
     * (else {@code spark.driver.host}), announced to the tasks as {@code spark.driver.host}.
     */
    static Rendezvous onDriver(org.apache.spark.SparkConf conf, int ranks, long token, long timeoutMs)
            throws IOException {
        String host = conf.get("spark.driver.host", "127.0.0.1");
        return new Rendezvous(conf.get("spark.driver.bindAddress", host), host, ranks, token, timeoutMs);
    }

    /**
     * Listens on {@code bindHost} (an ephemeral port) for {@code ranks} tasks presenting {@code token}, for at most
     * {@code timeoutMs}; the tasks reach it at {@code host}.
     */
    Rendezvous(String bindHost, String host, int ranks, long token, long timeoutMs) throws IOException {
        this.host = host;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(bindHost, 0), Math.max(50, ranks));
        thread = new Thread(() -> serve(ranks, token, timeoutMs), "sparkprop-allreduce-rendezvous");
        thread.setDaemon(true);
        thread.start();
    }

    /** The host the tasks reach this rendezvous at. */
    String host() {
        return host;
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(int ranks, long token, long timeoutMs) {
        Socket[] sockets = new Socket[ranks];
        String[] messages = new String[ranks];
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (server) {
            for (int arrived = 0; arrived < ranks; ) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new SocketTimeoutException(arrived + " of " + ranks + " tasks reached the rendezvous");
                }
                server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                Socket socket;
                try {
                    socket = server.accept();
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException(arrived + " of " + ranks + " tasks reached the rendezvous");
                }
                try {
                    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, left)));
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    long presented = in.readLong();
                    int rank = in.readInt();
                    int length = in.readInt();
                    if (presented != token || rank < 0 || rank >= ranks || sockets[rank] != null || length < 0
                            || length > MAX_MESSAGE) {
                        socket.close();
                        continue;
                    }
                    byte[] message = in.readNBytes(length);
                    if (message.length != length) {
                        socket.close();
                        continue;
                    }
                    messages[rank] = new String(message, java.nio.charset.StandardCharsets.UTF_8);
                    sockets[rank] = socket;
                    arrived++;
                } catch (IOException e) {
                    socket.close(); // a stray or broken connection: not one of the stage's tasks
                }
            }
            for (Socket socket : sockets) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(ranks);
                for (String m : messages) {
                    out.writeUTF(m);
                }
                out.flush();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            for (Socket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // answered or failed: nothing more to say to it
                    }
                }
            }
        }
    }

    /**
     * A task's side: sends {@code message} as rank {@code rank} to the rendezvous at {@code driver} and returns every
     * rank's message, by rank, once all have arrived.
     */
    static String[] exchange(InetSocketAddress driver, long token, int rank, String message, long timeoutMs)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(driver, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeLong(token);
            out.writeInt(rank);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int ranks;
            try {
                ranks = in.readInt();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("rank " + rank + ": the other tasks did not reach the rendezvous at "
                        + driver + " within " + timeoutMs + " ms");
            }
            List<String> all = new ArrayList<>(ranks);
            for (int r = 0; r < ranks; r++) {
                all.add(in.readUTF());
            }
            return all.toArray(new String[0]);
        }
    }

    /** Why the rendezvous failed, or null. */
    IOException failure() {
        return failure;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the serving thread ends with it
        }
        thread.interrupt();
    }
}
