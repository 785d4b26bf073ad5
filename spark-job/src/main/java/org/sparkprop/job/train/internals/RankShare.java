package org.sparkprop.job.train.internals;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Internal: one rank's share of a barrier stage: for each round, the mini-batches it trains (held by the driver and
 * sent with the stage) or the batch files it loads itself. A rank may have no batch in a round (the epoch's last,
 * short round). Plain class: Spark's Kryo cannot set a record's final fields.
 */
final class RankShare implements Serializable {
    private static final long serialVersionUID = 1L;

    private List<List<DataSet>> batches;
    private List<List<String>> files;

    private RankShare() {
    }

    static RankShare ofBatches(List<List<DataSet>> batches) {
        RankShare share = new RankShare();
        share.batches = batches;
        return share;
    }

    static RankShare ofFiles(List<List<String>> files) {
        RankShare share = new RankShare();
        share.files = files;
        return share;
    }

    int rounds() {
        return batches != null ? batches.size() : files.size();
    }

    boolean holdsBatches() {
        return batches != null;
    }

    List<DataSet> batches(int round) {
        return batches.get(round);
    }

    List<String> files(int round) {
        return files.get(round);
    }

    /**
     * Splits the rounds starting at {@code items}' first element among {@code ranks} ranks as DL4J's averaging
     * master splits one round (Spark's {@code parallelize} of the round's items into min(ranks, items) slices):
     * rank r of round k gets items [k·R + r·n/m, k·R + (r+1)·n/m), with R = ranks x perRank, n the round's items.
     *
     * @return per rank, per round, its items
     */
    static <T> List<List<List<T>>> split(List<T> items, int ranks, int perRank, int rounds) {
        List<List<List<T>>> out = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            out.add(new ArrayList<>());
        }
        int perRound = ranks * perRank;
        for (int k = 0; k < rounds; k++) {
            List<T> round = items.subList(k * perRound, Math.min(items.size(), (k + 1) * perRound));
            int n = round.size();
            int slices = Math.min(ranks, n);
            for (int r = 0; r < ranks; r++) {
                out.get(r).add(r < slices
                        ? new ArrayList<>(round.subList((int) ((long) r * n / slices), (int) ((long) (r + 1) * n
                        / slices)))
                        : new ArrayList<>());
            }
        }
        return out;
    }
}
