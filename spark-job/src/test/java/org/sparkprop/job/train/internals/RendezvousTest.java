package org.sparkprop.job.train.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final ExecutorService POOL = Executors.newCachedThreadPool();
    private static final long TOKEN = 77L;

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @Test
    void everyRankGetsEveryRanksMessageByRankWhateverOrderTheyArriveIn() throws Exception {
        try (Rendezvous rendezvous = new Rendezvous("127.0.0.1", "127.0.0.1", 3, TOKEN, 20_000)) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", rendezvous.port());
            try (Socket stray = new Socket("127.0.0.1", rendezvous.port())) { // another token: not counted
                DataOutputStream out = new DataOutputStream(stray.getOutputStream());
                out.writeLong(TOKEN + 1);
                out.writeInt(0);
                out.writeInt(1);
                out.write('x');
                out.flush();
                List<Future<String[]>> results = new ArrayList<>();
                for (int rank : new int[] {2, 0, 1}) {
                    results.add(POOL.submit(() -> Rendezvous.exchange(at, TOKEN, rank, "rank-" + rank, 20_000)));
                    Thread.sleep(50);
                }
                for (Future<String[]> f : results) {
                    assertArrayEquals(new String[] {"rank-0", "rank-1", "rank-2"}, f.get(30, TimeUnit.SECONDS));
                }
            }
        }
    }

    @Test
    void aMissingRankEndsTheWaitAtTheDeadlineSayingSo() throws Exception {
        try (Rendezvous rendezvous = new Rendezvous("127.0.0.1", "127.0.0.1", 2, TOKEN, 300)) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", rendezvous.port());
            Exception e = assertThrows(Exception.class, () -> Rendezvous.exchange(at, TOKEN, 0, "alone", 1_000));
            // the driver's side gives up first (300 ms) and closes the connection; else the task's own deadline
            Thread.sleep(100);
            assertEquals("1 of 2 tasks reached the rendezvous", rendezvous.failure().getMessage());
            assertEquals(SocketTimeoutException.class, rendezvous.failure().getClass());
            assertEquals(true, e instanceof java.io.IOException, e.toString());
        }
    }
}
