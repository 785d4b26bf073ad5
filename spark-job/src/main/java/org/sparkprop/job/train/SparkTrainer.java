package org.sparkprop.job.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.job.train.internals.TrainingMasters;
import org.sparkprop.job.train.internals.RoundEngine;

/**
 * Data-parallel training on Spark: each round, every worker trains its replica on {@code averagingFrequency}
 * mini-batches; with parameter averaging the driver then averages parameters (and optimizer state) and starts the
 * next round from the average (a Spark job per round); with the allreduce trainer the replicas average among
 * themselves inside one barrier stage and hand the average to the driver every few seconds; with gradient sharing the
 * workers exchange encoded updates as they go. The rest of
 * the project sees only this class, {@link TrainerSettings} and the listener types: DL4J's Spark classes stay in
 * {@code internals}.
 * <p>
 * Training can start inside an epoch ({@link EpochProgress}, from a checkpoint): each epoch's batch order depends
 * only on seed and epoch, so the batches already trained are skipped and the run continues as if never stopped.
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final TrainerSettings settings;
    private RoundEngine lastRounds;

    public SparkTrainer(JavaSparkContext sc, TrainerSettings settings) {
        this.sc = sc;
        this.settings = settings;
    }

    /**
     * Trains a fresh network of configuration {@code conf} for {@code epochs} epochs and returns it.
     *
     * @throws TrainingDivergedException as soon as a round's loss is NaN or infinite
     */
    public MultiLayerNetwork fit(MultiLayerConfiguration conf, EpochBatches data, int epochs, EpochListener listener) {
        MultiLayerNetwork network = new MultiLayerNetwork(conf.clone());
        network.init();
        return (MultiLayerNetwork) fit(network, new TrainingSource.InMemory(data), epochs, EpochProgress.startOf(1),
                TrainingListener.of(listener));
    }

    /** As {@link #fit(MultiLayerConfiguration, EpochBatches, int, EpochListener)}, for a graph (e.g. a ResNet). */
    public ComputationGraph fit(ComputationGraphConfiguration conf, EpochBatches data, int epochs,
                                EpochListener listener) {
        ComputationGraph graph = new ComputationGraph(conf.clone());
        graph.init();
        return (ComputationGraph) fit(graph, new TrainingSource.InMemory(data), epochs, EpochProgress.startOf(1),
                TrainingListener.of(listener));
    }

    /**
     * Trains {@code network} (a {@link MultiLayerNetwork} or {@link ComputationGraph}, initialized; trained in place)
     * from {@code start} through epoch {@code epochs}, or until the listener stops it.
     *
     * @throws TrainingDivergedException within one round of the loss or a parameter becoming NaN or infinite
     */
    public NeuralNetwork fit(NeuralNetwork network, TrainingSource source, int epochs, EpochProgress start,
                             TrainingListener listener) {
        IntFunction<EpochPlan> plan = source instanceof TrainingSource.InMemory m ? inMemory(m.batches())
                : fromFiles(((TrainingSource.BatchFiles) source).files());
        return fit(RoundEngine.of(sc, network, settings), plan, epochs, start, listener);
    }

    /**
     * JVM system properties DL4J reads on the driver and on every executor for these trainer settings (the stats
     * clock, Aeron's timeouts for gradient sharing); the job passes them to the executors.
     */
    public static Map<String, String> jvmProperties(boolean collectStats, TrainerSettings.Method method) {
        return TrainingMasters.jvmProperties(collectStats, method instanceof TrainerSettings.SharedGradients);
    }

    /**
     * Times the allreduce trainer's sync by itself: one barrier stage of {@code ranks} tasks joins the ring as
     * training does, then sums float vectors of each length {@code repeats} times (what {@code bench-allreduce}
     * prints). The first timing, of length 0, is rank 0's one join of the ring (the driver's rendezvous, the connections).
     */
    public static List<SyncTiming> timeSyncs(JavaSparkContext sc, int ranks, long[] lengths, int repeats) {
        return org.sparkprop.job.train.internals.AllreduceProbe.run(sc, ranks, lengths, repeats, 120_000);
    }

    /**
     * DL4J's timeline of the last fit's Spark statistics as a standalone HTML page, or null when
     * {@link TrainerSettings#collectStats()} is off.
     */
    public String statsHtml() throws IOException {
        SparkTrainingStats stats = lastRounds == null ? null : lastRounds.stats();
        if (stats == null) {
            return null;
        }
        ByteArrayOutputStream html = new ByteArrayOutputStream();
        try {
            StatsUtils.exportStatsAsHTML(stats, html);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot render DL4J's training statistics: " + e, e);
        }
        return html.toString(StandardCharsets.UTF_8);
    }

    /**
     * The events of DL4J's statistics for the fit under way or last done, the workers' included (empty when
     * {@link TrainerSettings#collectStats()} is off): what {@code bench-rounds} breaks a round into.
     */
    public List<StatEvent> statEvents() {
        List<StatEvent> events = new ArrayList<>();
        for (SparkTrainingStats stats = lastRounds == null ? null : lastRounds.stats(); stats != null;
             stats = stats.getNestedTrainingStats()) {
            for (String key : stats.getKeySet()) {
                List<org.deeplearning4j.spark.stats.EventStats> values = stats.getValue(key);
                for (org.deeplearning4j.spark.stats.EventStats e : values == null ? List.<org.deeplearning4j.spark
                        .stats.EventStats>of() : values) {
                    events.add(new StatEvent(key, e.getJvmID() + "/" + e.getThreadID(), e.getStartTime(),
                            e.getDurationMs()));
                }
            }
        }
        return events;
    }

    /**
     * With {@code spark.trainer = allreduce}, every barrier stage of the fit under way or last done and where its time
     * went (empty for DL4J's training masters): what {@code bench-rounds} breaks the allreduce trainer's rounds into.
     */
    public List<StageTime> stageTimes() {
        return lastRounds == null ? List.of() : lastRounds.stageTimes();
    }

    /**
     * One epoch's work: how many batches, how many examples in a range of them, and how to train the rounds from a
     * batch on.
     */
    private interface EpochPlan {
        int batches();

        long examples(int from, int to);

        RoundEngine.Stretch train(RoundEngine rounds, int from, int epochIndex);
    }

    private static IntFunction<EpochPlan> inMemory(EpochBatches data) {
        return epoch -> {
            List<DataSet> batches = data.forEpoch(epoch);
            return new EpochPlan() {
                public int batches() {
                    return batches.size();
                }

                public long examples(int from, int to) {
                    long n = 0;
                    for (DataSet batch : batches.subList(from, to)) {
                        n += batch.numExamples();
                    }
                    return n;
                }

                public RoundEngine.Stretch train(RoundEngine rounds, int from, int epochIndex) {
                    return rounds.train(batches.subList(from, batches.size()), epochIndex);
                }
            };
        };
    }

    private static IntFunction<EpochPlan> fromFiles(EpochBatchFiles data) {
        return epoch -> {
            EpochBatchFiles.Epoch files = data.forEpoch(epoch);
            return new EpochPlan() {
                public int batches() {
                    return files.files().size();
                }

                public long examples(int from, int to) {
                    return files.examples().subList(from, to).stream().mapToLong(Integer::longValue).sum();
                }

                public RoundEngine.Stretch train(RoundEngine rounds, int from, int epochIndex) {
                    return rounds.trainFiles(files.files().subList(from, files.files().size()), files.loader(),
                            epochIndex);
                }
            };
        };
    }

    private NeuralNetwork fit(RoundEngine rounds, IntFunction<EpochPlan> data, int epochs, EpochProgress start,
                              TrainingListener listener) {
        lastRounds = rounds;
        EpochProgress resumeAt = start;
        for (int epoch = start.epoch(); epoch <= epochs; epoch++) {
            EpochPlan plan = data.apply(epoch);
            EpochProgress at = epoch == resumeAt.epoch() ? resumeAt : EpochProgress.startOf(epoch);
            if (at.batchesDone() > plan.batches()) {
                throw new IllegalArgumentException("cannot resume at batch " + at.batchesDone() + " of epoch " + epoch
                        + ", which has " + plan.batches());
            }
            double lossSum = at.lossSum();
            int roundCount = at.rounds();
            long examples = at.examples();
            double seconds = at.seconds();
            for (int from = at.batchesDone(); from < plan.batches(); ) {
                long t0 = System.nanoTime();
                RoundEngine.Stretch stretch = plan.train(rounds, from, epoch - 1);
                seconds += (System.nanoTime() - t0) / 1e9;
                int to = from + stretch.batches();
                double loss = Double.NaN;
                for (double roundLoss : stretch.losses()) {
                    loss = roundLoss;
                    roundCount++;
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, roundCount, rounds.iteration(), loss);
                    }
                    lossSum += loss;
                }
                if (!rounds.parametersFinite()) {
                    throw new TrainingDivergedException(epoch, roundCount, rounds.iteration(), loss);
                }
                examples += plan.examples(from, to);
                listener.onRound(new EpochProgress(epoch, to, plan.batches(), roundCount, lossSum, examples, seconds,
                        rounds.iteration()), rounds.network());
                from = to;
            }
            EpochStats stats = new EpochStats(epoch, lossSum / Math.max(1, roundCount), examples, seconds, roundCount);
            if (!listener.onEpochEnd(stats, rounds.network())) {
                break;
            }
        }
        return rounds.network();
    }
}
