package org.sparkprop.job.train.internals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkprop.job.train.StageTime;
import org.sparkprop.job.train.TrainerSettings;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Internal: parameter averaging in Spark barrier stages ({@code spark.trainer = allreduce}). One stage trains many
 * rounds: its tasks keep their replica and their batches from round to round, and average among themselves
 * ({@link ReplicaTask}, {@link RingAllreduce}); no Spark job, broadcast or driver aggregation per round. After
 * {@code stageSeconds} (and at the epoch's end) the stage ends after the round under way, rank 0 hands the
 * averaged network to the driver, and the driver starts the next stage from it; between two stages the driver holds
 * the network, for progress lines, checkpoints and divergence checks.
 * <p>
 * Rounds are split among ranks exactly as {@link TrainingRounds} splits them among DL4J's workers (see
 * {@link RankShare#split}), and the replicas' counters advance as DL4J's do for a layer stack, so both trainers
 * compute the same parameters up to float rounding (for a graph DL4J's workers lose the counters; these keep them). A failed stage (a task's error, a lost executor: Spark aborts a failed barrier
 * stage) is run again from the network the driver holds, up to {@code retries} times.
 */
public final class BarrierRounds implements RoundEngine {
    private static final Logger LOG = LoggerFactory.getLogger(BarrierRounds.class);
    /** Held batches one stage ships to one rank at most. */
    static final long HELD_BYTES_PER_RANK = 64L << 20;
    private static final int FIRST_HELD_ROUNDS = 16;

    private final JavaSparkContext sc;
    private final TrainerSettings settings;
    private final TrainerSettings.Allreduce method;
    private final NeuralNetwork network;
    private final FrozenParameters frozen;
    private final SecureRandom random = new SecureRandom();
    private Broadcast<SerializableHadoopConfig> hadoopConf;
    private ReplicaTask.FaultPlan fault = ReplicaTask.FaultPlan.NONE;
    private final List<StageTime> stageTimes = new ArrayList<>();
    private int attemptsFailed;
    private int heldCap = Integer.MAX_VALUE;
    private boolean placementsReported;

    BarrierRounds(JavaSparkContext sc, NeuralNetwork network, TrainerSettings settings,
                  TrainerSettings.Allreduce method) {
        if (!(network instanceof MultiLayerNetwork) && !(network instanceof ComputationGraph)) {
            throw new IllegalArgumentException("cannot train a " + network.getClass().getName());
        }
        if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new IllegalStateException("spark.trainer = allreduce trains in a Spark barrier stage, which Spark"
                    + " refuses under dynamic allocation (spark.dynamicAllocation.enabled = true). Submit with --conf"
                    + " spark.dynamicAllocation.enabled=false and a fixed executor count, or set spark.trainer ="
                    + " averaging.");
        }
        this.sc = sc;
        this.network = network;
        this.settings = settings;
        this.method = method;
        this.frozen = new FrozenParameters(network);
    }

    /** Test hook: rank {@code rank} fails at the start of round {@code round} of the stage's attempt 0. */
    void failOnce(int rank, int round) {
        fault = new ReplicaTask.FaultPlan(rank, round, 0, 0);
    }

    /** Test hook: rank {@code rank} fails at the start of round {@code round} of every attempt. */
    void failAlways(int rank, int round) {
        fault = new ReplicaTask.FaultPlan(rank, round, ReplicaTask.FaultPlan.EVERY_ATTEMPT, 0);
    }

    /** Test hook: a stage carries at most {@code rounds} rounds of held batches (more stages per epoch). */
    void holdAtMost(int rounds) {
        heldCap = rounds;
    }

    /** Stage attempts that failed and were run again, so far. */
    int attemptsFailed() {
        return attemptsFailed;
    }

    @Override
    public List<StageTime> stageTimes() {
        return List.copyOf(stageTimes);
    }

    /**
     * Held batches travel with the stage (one broadcast per rank), so a stage carries what it should train in
     * {@code spark.allreduce.stage-seconds} (at the last stage's pace of training and syncing, with a quarter more;
     * {@link #FIRST_HELD_ROUNDS} for the first stage), and never more than {@link #HELD_BYTES_PER_RANK} per rank.
     */
    @Override
    public Stretch train(List<DataSet> batches, int epochIndex) {
        int rounds = rounds(batches.size());
        long batchBytes = Math.max(1, 4 * (batches.get(0).getFeatures().length() + batches.get(0).getLabels()
                .length()));
        long byBytes = Math.max(1, HELD_BYTES_PER_RANK / (batchBytes * settings.averagingFrequency()));
        long byTime = FIRST_HELD_ROUNDS;
        if (!stageTimes.isEmpty()) {
            StageTime last = stageTimes.get(stageTimes.size() - 1);
            double perRound = (last.fitSeconds() + last.dataSeconds() + last.syncSeconds()) / last.rounds();
            byTime = (long) Math.ceil(method.stageSeconds() * 1.25 / Math.max(1e-6, perRound));
        }
        int shipped = (int) Math.max(1, Math.min(Math.min(rounds, Math.min(byBytes, byTime)), heldCap));
        return stage(batches, shipped, epochIndex, RankShare::ofBatches, null);
    }

    @Override
    public Stretch trainFiles(List<String> files, DataSetLoader loader, int epochIndex) {
        if (hadoopConf == null) {
            hadoopConf = sc.broadcast(new SerializableHadoopConfig(sc.hadoopConfiguration()));
        }
        return stage(files, rounds(files.size()), epochIndex, RankShare::ofFiles, loader);
    }

    /** Once per run, when any replica was given a GPU: which rank trains on which host and GPU. */
    private void reportPlacements(String[] placements) {
        if (placementsReported || placements == null || java.util.Arrays.stream(placements)
                .allMatch(p -> p.endsWith("no GPU assigned"))) {
            return;
        }
        placementsReported = true;
        StringBuilder line = new StringBuilder("allreduce replicas:");
        for (int r = 0; r < placements.length; r++) {
            line.append(r == 0 ? " " : "; ").append("rank ").append(r).append(" on ").append(placements[r]);
        }
        LOG.info(line.toString());
    }

    private int rounds(int items) {
        return (items + settings.batchesPerRound() - 1) / settings.batchesPerRound();
    }

    private <T> Stretch stage(List<T> items, int rounds, int epochIndex, Function<List<List<T>>, RankShare> share,
                              DataSetLoader loader) {
        int ranks = settings.workers();
        List<List<List<T>>> split = RankShare.split(items, ranks, settings.averagingFrequency(), rounds);
        List<RankShare> shares = new ArrayList<>(ranks);
        for (List<List<T>> rankItems : split) {
            shares.add(share.apply(rankItems));
        }
        SparkException failure = null;
        for (int attempt = 0; attempt <= method.retries(); attempt++) {
            long t0 = System.nanoTime();
            try {
                StageOutcome outcome = runStage(shares, epochIndex, loader, attempt);
                apply(outcome, epochIndex);
                reportPlacements(outcome.placements);
                int done = outcome.losses.length;
                int batches = Math.min(items.size(), done * settings.batchesPerRound());
                stageTimes.add(new StageTime(done, (System.nanoTime() - t0) / 1e9, outcome.setupNanos / 1e9,
                        outcome.shareNanos / 1e9, outcome.joinNanos / 1e9, outcome.fitNanos / 1e9, outcome.dataNanos / 1e9, outcome.syncNanos / 1e9, outcome.syncs));
                return new Stretch(batches, outcome.losses);
            } catch (SparkException e) {
                failure = e;
                attemptsFailed++;
                LOG.warn("allreduce stage attempt {} of {} failed; running it again from the last averaged network: {}",
                        attempt + 1, method.retries() + 1, e.getMessage());
            }
        }
        throw new IllegalStateException("The allreduce training stage failed " + (method.retries() + 1) + " times in a"
                + " row (spark.allreduce.retries = " + method.retries() + "); the network is the last averaged one."
                + " Last error: " + failure.getMessage(), failure);
    }

    private StageOutcome runStage(List<RankShare> shares, int epochIndex, DataSetLoader loader, int attempt)
            throws SparkException {
        Broadcast<ReplicaStart> start = sc.broadcast(ReplicaStart.of(network, settings.saveUpdater(), epochIndex));
        // one broadcast per rank: an executor fetches only its own share (held batches can be tens of MB, too big
        // to travel inside a task)
        List<Broadcast<RankShare>> perRank = new ArrayList<>(shares.size());
        Rendezvous rendezvous = null;
        try {
            for (RankShare share : shares) {
                perRank.add(sc.broadcast(share));
            }
            long token = random.nextLong();
            long timeoutMs = method.timeoutSeconds() * 1000L;
            rendezvous = Rendezvous.onDriver(sc.getConf(), shares.size(), token, timeoutMs);
            ReplicaTask task = new ReplicaTask(start, perRank, loader == null ? null : hadoopConf, loader,
                    settings.averagingFrequency(), settings.prefetchBatches(), settings.saveUpdater(), token,
                    rendezvous.host(), rendezvous.port(), timeoutMs, (long) (method.stageSeconds() * 1e9),
                    fault.inAttempt(attempt));
            ClassTag<StageOutcome> tag = ClassTag$.MODULE$.apply(StageOutcome.class);
            List<Integer> ranks = new ArrayList<>();
            for (int r = 0; r < shares.size(); r++) {
                ranks.add(r);
            }
            RDD<Integer> rdd = sc.parallelize(ranks, ranks.size()).rdd();
            List<StageOutcome> out;
            try {
                out = JavaRDD.fromRDD(rdd.barrier().mapPartitions(task, false, tag), tag).collect();
            } catch (Exception e) { // Spark's job failures: SparkExceptions, thrown through Scala undeclared
                if (e instanceof SparkException s) {
                    throw s;
                }
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            if (out.size() != 1) {
                throw new IllegalStateException("rank 0 of the allreduce stage returned " + out.size() + " results");
            }
            return out.get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open the allreduce stage's rendezvous on the driver: "
                    + e.getMessage(), e);
        } finally {
            if (rendezvous != null) {
                rendezvous.close();
            }
            start.destroy();
            perRank.forEach(Broadcast::destroy);
        }
    }


    private void apply(StageOutcome outcome, int epochIndex) {
        if (network instanceof MultiLayerNetwork mln) {
            mln.getLayerWiseConfigurations().setEpochCount(epochIndex);
            mln.setParameters(outcome.params);
            if (outcome.updaterState != null) {
                mln.getUpdater().setStateViewArray(mln, outcome.updaterState, false);
            }
            mln.getLayerWiseConfigurations().setIterationCount(mln.getLayerWiseConfigurations().getIterationCount()
                    + outcome.losses.length * settings.averagingFrequency());
        } else {
            ComputationGraph g = (ComputationGraph) network;
            g.getConfiguration().setEpochCount(epochIndex);
            g.setParams(outcome.params);
            if (outcome.updaterState != null) {
                g.getUpdater().setStateViewArray(outcome.updaterState);
            }
            g.getConfiguration().setIterationCount(g.getConfiguration().getIterationCount()
                    + outcome.losses.length * settings.averagingFrequency());
        }
        frozen.restore();
    }

    @Override
    public NeuralNetwork network() {
        return network;
    }

    @Override
    public long iteration() {
        return network instanceof MultiLayerNetwork mln ? mln.getLayerWiseConfigurations().getIterationCount()
                : ((ComputationGraph) network).getConfiguration().getIterationCount();
    }

    /** None: DL4J's statistics come from its training masters. */
    @Override
    public SparkTrainingStats stats() {
        return null;
    }
}
