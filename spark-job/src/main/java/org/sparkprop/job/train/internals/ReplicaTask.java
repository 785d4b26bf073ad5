package org.sparkprop.job.train.internals;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.data.loader.RemoteFileSourceFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * Internal: the function each task of a barrier stage runs. Rank r publishes a listening port (the driver's
 * {@link Rendezvous}, the stage's one driver round trip), joins the ring ({@link RingAllreduce}), builds its replica from the broadcast
 * {@link ReplicaStart}, then per round: trains its mini-batches, and sums parameters, optimizer state and a control
 * vector (its weight, its loss, rank 0's time-is-up flag) with the other ranks; every rank divides by the number of
 * ranks that trained, which is DL4J's average. A rank without data in a round contributes zeros and weight 0.
 * <p>
 * All ranks take the same decisions from the same summed values: the loss not finite or the parameters not finite
 * (stop after this round), rank 0's flag (stop: the driver looks at the network and starts the next stage). Rank 0
 * returns the averaged network; the others return nothing.
 */
final class ReplicaTask extends AbstractFunction1<scala.collection.Iterator<Integer>,
        scala.collection.Iterator<StageOutcome>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ReplicaStart> start;
    private final List<Broadcast<RankShare>> shares;
    private final Broadcast<SerializableHadoopConfig> hadoopConf;
    private final DataSetLoader loader;
    private final int averagingFrequency;
    private final int prefetch;
    private final boolean saveUpdater;
    private final long token;
    private final String rendezvousHost;
    private final int rendezvousPort;
    private final long timeoutMs;
    private final long stageNanos;
    private final FaultPlan fault;

    /**
     * Test hook: fail rank {@code rank} at the start of round {@code round} of the stage attempt {@code attempt}
     * ({@link #EVERY_ATTEMPT}: of every attempt).
     */
    record FaultPlan(int rank, int round, int attempt, int currentAttempt) implements Serializable {
        static final int EVERY_ATTEMPT = -2;
        static final FaultPlan NONE = new FaultPlan(-1, -1, -1, 0);

        boolean hits(int r, int k) {
            return r == rank && k == round && (attempt == currentAttempt || attempt == EVERY_ATTEMPT);
        }

        /** This plan, for the stage's attempt {@code current}. */
        FaultPlan inAttempt(int current) {
            return new FaultPlan(rank, round, attempt, current);
        }
    }

    ReplicaTask(Broadcast<ReplicaStart> start, List<Broadcast<RankShare>> shares,
                Broadcast<SerializableHadoopConfig> hadoopConf, DataSetLoader loader,
                int averagingFrequency, int prefetch, boolean saveUpdater, long token, String rendezvousHost,
                int rendezvousPort, long timeoutMs, long stageNanos, FaultPlan fault) {
        this.start = start;
        this.shares = List.copyOf(shares);
        this.hadoopConf = hadoopConf;
        this.loader = loader;
        this.averagingFrequency = averagingFrequency;
        this.prefetch = prefetch;
        this.saveUpdater = saveUpdater;
        this.token = token;
        this.rendezvousHost = rendezvousHost;
        this.rendezvousPort = rendezvousPort;
        this.timeoutMs = timeoutMs;
        this.stageNanos = stageNanos;
        this.fault = fault;
    }

    @Override
    public scala.collection.Iterator<StageOutcome> apply(scala.collection.Iterator<Integer> ranks) {
        long t0 = System.nanoTime();
        BarrierTaskContext context = BarrierTaskContext.get();
        int rank = context.partitionId();
        String placement = GpuPlacement.bind(context); // before this thread allocates any array
        RankShare share = shares.get(rank).value();
        long shared = System.nanoTime();
        StageOutcome outcome;
        RingAllreduce.Joined joined;
        try {
            joined = RingAllreduce.join(context, new InetSocketAddress(rendezvousHost, rendezvousPort), token,
                    placement, timeoutMs);
        } catch (IOException e) {
            throw new UncheckedIOException("allreduce rank " + rank + " cannot join the ring: " + e.getMessage(), e);
        }
        try (RingAllreduce ring = joined.ring()) {
            long joinedAt = System.nanoTime();
            outcome = train(ring, share, t0, joined.notes());
            outcome.shareNanos = shared - t0;
            outcome.joinNanos = joinedAt - shared;
        } catch (IOException e) {
            throw new UncheckedIOException("allreduce rank " + rank + ": " + e.getMessage(), e);
        }
        List<StageOutcome> out = rank == 0 ? List.of(outcome) : List.of();
        return JavaConverters.asScalaIteratorConverter(out.iterator()).asScala();
    }

    /** The rounds of this stage on this rank; {@code placements}: every rank's host and GPU, by rank. */
    private StageOutcome train(RingAllreduce ring, RankShare share, long t0, String[] placements) throws IOException {
        ReplicaStart from = start.value();
        Replica replica = new Replica(from.replica());
        FrozenParameters frozen = new FrozenParameters(replica.network);
        INDArray initialState = !saveUpdater && replica.updaterState() != null ? replica.updaterState().dup() : null;
        StageOutcome outcome = new StageOutcome();
        List<Double> losses = new ArrayList<>();
        INDArray control = Nd4j.zeros(DataType.DOUBLE, 3);
        long began = System.nanoTime();
        outcome.setupNanos = began - t0;
        try (BatchStream stream = new BatchStream(share, loader, hadoopConf == null ? null
                : new RemoteFileSourceFactory(hadoopConf), prefetch)) {
            for (int round = 0; round < share.rounds(); round++) {
                if (fault.hits(ring.rank(), round)) {
                    throw new IllegalStateException("injected failure of rank " + ring.rank() + " in round " + round);
                }
                replica.setIteration(from.iteration() + round * averagingFrequency);
                int trained = 0;
                for (int b = 0; b < stream.batchesIn(round); b++) {
                    long w = System.nanoTime();
                    DataSet batch = stream.next();
                    long f = System.nanoTime();
                    replica.fit(batch);
                    outcome.dataNanos += f - w;
                    outcome.fitNanos += System.nanoTime() - f;
                    trained++;
                }
                long s = System.nanoTime();
                double score = trained > 0 ? replica.score() : 0;
                INDArray params = replica.params();
                INDArray state = saveUpdater ? replica.updaterState() : null;
                if (trained == 0) {
                    params.assign(0);
                    if (state != null) {
                        state.assign(0);
                    }
                }
                ring.sumInPlace(params);
                if (state != null) {
                    ring.sumInPlace(state);
                }
                boolean timeUp = ring.rank() == 0 && System.nanoTime() - began >= stageNanos;
                control.putScalar(0, trained > 0 ? 1 : 0);
                control.putScalar(1, trained > 0 ? score : 0);
                control.putScalar(2, timeUp ? 1 : 0);
                ring.sumInPlace(control);
                double weight = control.getDouble(0);
                params.divi(weight);
                if (state != null) {
                    state.divi(weight);
                } else if (initialState != null) {
                    replica.updaterState().assign(initialState); // DL4J's workers start each round with a new one
                }
                frozen.restore();
                outcome.syncNanos += System.nanoTime() - s;
                outcome.syncs++;
                double loss = control.getDouble(1) / weight;
                losses.add(loss);
                if (!Double.isFinite(loss) || !Double.isFinite(params.sumNumber().doubleValue())
                        || control.getDouble(2) > 0) {
                    break;
                }
            }
        }
        replica.setIteration(from.iteration() + losses.size() * averagingFrequency);
        if (ring.rank() == 0) {
            outcome.placements = placements;
            outcome.params = replica.params();
            outcome.updaterState = saveUpdater ? replica.updaterState() : null;
            outcome.losses = losses.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return outcome;
    }

    /** A layer stack or a graph, behind the calls the round loop needs. */
    private static final class Replica {
        final NeuralNetwork network;
        private final MultiLayerNetwork mln;
        private final ComputationGraph graph;

        Replica(NeuralNetwork network) {
            this.network = network;
            this.mln = network instanceof MultiLayerNetwork m ? m : null;
            this.graph = network instanceof ComputationGraph g ? g : null;
        }

        void setIteration(int iteration) {
            if (mln != null) {
                mln.getLayerWiseConfigurations().setIterationCount(iteration);
            } else {
                graph.getConfiguration().setIterationCount(iteration);
            }
        }

        void fit(DataSet batch) {
            if (mln != null) {
                mln.fit(batch);
            } else {
                graph.fit(batch);
            }
        }

        double score() {
            return mln != null ? mln.score() : graph.score();
        }

        INDArray params() {
            return network.params();
        }

        INDArray updaterState() {
            if (mln != null) {
                return mln.getUpdater() == null ? null : mln.getUpdater().getStateViewArray();
            }
            return graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
        }
    }

    /**
     * The rank's mini-batches in order across the stage's rounds: held ones as they are, files loaded a few ahead on
     * a background thread ({@code prefetch}; 0 loads each when it is needed).
     */
    private static final class BatchStream implements AutoCloseable {
        private final RankShare share;
        private final DataSetLoader loader;
        private final RemoteFileSourceFactory sources;
        private final java.util.concurrent.ExecutorService pool;
        private final java.util.ArrayDeque<java.util.concurrent.Future<DataSet>> ahead = new java.util.ArrayDeque<>();
        private final Iterator<Object> items;

        BatchStream(RankShare share, DataSetLoader loader, RemoteFileSourceFactory sources, int prefetch) {
            this.share = share;
            this.loader = loader;
            this.sources = sources;
            List<Object> all = new ArrayList<>();
            for (int k = 0; k < share.rounds(); k++) {
                all.addAll(share.holdsBatches() ? share.batches(k) : share.files(k));
            }
            this.items = all.iterator();
            this.pool = !share.holdsBatches() && prefetch > 0 ? java.util.concurrent.Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "sparkprop-allreduce-prefetch");
                        t.setDaemon(true);
                        return t;
                    }) : null;
            for (int i = 0; pool != null && i < prefetch; i++) {
                submitNext();
            }
        }

        int batchesIn(int round) {
            return share.holdsBatches() ? share.batches(round).size() : share.files(round).size();
        }

        private void submitNext() {
            if (items.hasNext()) {
                String path = (String) items.next();
                ahead.add(pool.submit(() -> load(path)));
            }
        }

        private DataSet load(String path) throws IOException {
            return loader.load(sources.getSource(path));
        }

        DataSet next() throws IOException {
            if (share.holdsBatches()) {
                return (DataSet) items.next();
            }
            if (pool == null) {
                return load((String) items.next());
            }
            submitNext();
            try {
                return ahead.poll().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while loading a batch file", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException("cannot load a batch file: " + cause, cause);
            }
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
