package org.sparkprop.job.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.job.config.TrainConfig;
import org.sparkprop.job.data.DataShape;
import org.sparkprop.job.data.DataSource;
import org.sparkprop.job.data.TrainingData;
import org.sparkprop.job.run.RunPlan;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.EpochStats;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.StageTime;
import org.sparkprop.job.train.StatEvent;
import org.sparkprop.job.train.TrainerSettings;
import org.sparkprop.job.train.TrainingListener;

/**
 * One parameter-averaging round taken apart (issue 14): the config's model trains {@code warmup + rounds} rounds
 * with DL4J's Spark statistics on, and the rounds after the warm-up are split into what the driver does (split the
 * round's batches, create the broadcast, update its parameters), the Spark job that trains (and, within it, what the
 * workers do: get the broadcast, create the replica, fit their mini-batches), and the rest of the job (scheduling,
 * task launch, result serialization and the tree aggregation). Means per round, from the events DL4J times and the
 * round's wall time as the trainer measures it.
 */
public final class RoundAnatomyBenchmark {
    private static final String SPLIT = "ParameterAveragingMasterSplitTimesMs";
    private static final String BROADCAST = "ParameterAveragingMasterBroadcastCreateTimesMs";
    private static final String JOB = "ParameterAveragingMasterAggregateTimesMs";
    private static final String UPDATE = "ParameterAveragingMasterProcessParamsUpdaterTimesMs";
    private static final String GET_BROADCAST = "ParameterAveragingWorkerBroadcastGetValueTimeMs";
    private static final String INIT = "ParameterAveragingWorkerInitTimeMs";
    private static final String FIT = "ParameterAveragingWorkerFitTimesMs";

    private final PrintStream out;

    public RoundAnatomyBenchmark(PrintStream out) {
        this.out = out;
    }

    /** One line of the table: what, where, mean milliseconds per round. */
    public record Part(String what, String where, double ms) {
    }

    public List<Part> run(JavaSparkContext sc, TrainConfig config, int warmup, int rounds) throws IOException {
        TrainingData data = DataSource.of(config).load(new DatasetFetcher(), out, sc.hadoopConfiguration());
        data.prepare(sc, out, null);
        NeuralNetwork network = RunPlan.of(config, DataShape.of(data)).newNetwork();
        int workers = config.trainer().workers() > 0 ? config.trainer().workers() : sc.defaultParallelism();
        TrainerSettings base = config.trainer().settings(workers);
        boolean allreduce = base.method() instanceof TrainerSettings.Allreduce;
        TrainerSettings settings = new TrainerSettings(base.workers(), base.batchSizePerWorker(),
                base.averagingFrequency(), base.prefetchBatches(), base.saveUpdater(), base.seed(), base.method(),
                !allreduce); // the allreduce trainer times its own stages; DL4J's statistics are its masters'
        SparkTrainer trainer = new SparkTrainer(sc, settings);
        List<Double> walls = new ArrayList<>();
        long[] measuredFrom = {Long.MAX_VALUE};
        double[] before = {0};
        trainer.fit(network, data.trainingSource(), 1, EpochProgress.startOf(1), new TrainingListener() {
            @Override
            public void onRound(EpochProgress progress, NeuralNetwork net) {
                if (progress.rounds() == warmup) {
                    measuredFrom[0] = System.currentTimeMillis();
                } else if (progress.rounds() > warmup && walls.size() < rounds) {
                    walls.add(1000 * (progress.seconds() - before[0]));
                }
                before[0] = progress.seconds();
            }

            @Override
            public boolean onEpochEnd(EpochStats stats, NeuralNetwork net) {
                return true;
            }
        });
        if (allreduce) {
            List<Part> parts = stageParts(trainer.stageTimes());
            print(sc.master(), workers, settings, network, trainer.stageTimes().stream().skip(1)
                    .mapToInt(StageTime::rounds).sum(), parts);
            return parts;
        }
        if (walls.isEmpty()) {
            throw new IllegalArgumentException("no round after the " + warmup + " warm-up rounds: give the data more"
                    + " batches (data.train-limit) or fewer warm-up rounds");
        }
        List<StatEvent> events = new ArrayList<>();
        Set<StatEvent> seen = new HashSet<>();
        for (StatEvent e : trainer.statEvents()) {
            if (e.startMs() >= measuredFrom[0] && seen.add(e)) {
                events.add(e);
            }
        }
        List<Part> parts = parts(events, walls, workers);
        print(sc.master(), workers, settings, network, walls.size(), parts);
        return parts;
    }

    private static List<Part> parts(List<StatEvent> events, List<Double> walls, int workers) {
        int n = walls.size();
        double wall = walls.stream().mapToDouble(Double::doubleValue).sum() / n;
        double split = total(events, SPLIT) / n;
        double broadcast = total(events, BROADCAST) / n;
        double job = total(events, JOB) / n;
        double update = total(events, UPDATE) / n;
        double rest = 0; // per round: the job's time beyond its slowest worker's own work
        for (StatEvent round : events) {
            if (!round.key().equals(JOB)) {
                continue;
            }
            Map<String, Double> perWorker = new HashMap<>();
            for (StatEvent e : events) {
                boolean worker = e.key().equals(GET_BROADCAST) || e.key().equals(INIT) || e.key().equals(FIT);
                if (worker && e.startMs() >= round.startMs() && e.startMs() <= round.startMs() + round.durationMs()) {
                    perWorker.merge(e.worker(), (double) e.durationMs(), Double::sum);
                }
            }
            rest += Math.max(0, round.durationMs() - perWorker.values().stream().mapToDouble(Double::doubleValue)
                    .max().orElse(0));
        }
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("the round, wall time", "driver", wall));
        parts.add(new Part("split the round's batches into one partition per worker", "driver", split));
        parts.add(new Part("serialize the parameters and updater state into a broadcast", "driver", broadcast));
        parts.add(new Part("the Spark job (treeAggregate) that trains", "cluster", job));
        parts.add(new Part("  get the broadcast (fetch, deserialize), per worker", "executors",
                total(events, GET_BROADCAST) / n / workers));
        parts.add(new Part("  create the replica and set its parameters, per worker", "executors",
                total(events, INIT) / n / workers));
        parts.add(new Part("  fit the worker's mini-batches, per worker", "executors", total(events, FIT) / n / workers));
        parts.add(new Part("  the rest of the job: scheduling, task launch, results serialized and tree-aggregated",
                "cluster", rest / n));
        parts.add(new Part("average into the driver's network (parameters, updater state)", "driver", update));
        parts.add(new Part("the rest of the round: the round's RDD, DL4J's and the trainer's bookkeeping", "driver",
                Math.max(0, wall - split - broadcast - job - update)));
        return parts;
    }

    /**
     * The allreduce trainer's rounds: the stages after the first (which warms the JIT up), per round, from the
     * stages' own timers (rank 0's parts inside the driver's wall time of each stage).
     */
    private static List<Part> stageParts(List<StageTime> stages) {
        List<StageTime> measured = stages.size() > 1 ? stages.subList(1, stages.size()) : stages;
        double rounds = measured.stream().mapToInt(StageTime::rounds).sum();
        if (rounds == 0) {
            throw new IllegalArgumentException("the allreduce trainer trained no stage: give the data more batches");
        }
        java.util.function.ToDoubleFunction<java.util.function.ToDoubleFunction<StageTime>> perRound =
                part -> 1000 * measured.stream().mapToDouble(part).sum() / rounds; // ms per round
        double wall = perRound.applyAsDouble(StageTime::wallSeconds);
        double setup = perRound.applyAsDouble(StageTime::setupSeconds);
        double fit = perRound.applyAsDouble(StageTime::fitSeconds);
        double data = perRound.applyAsDouble(StageTime::dataSeconds);
        double sync = perRound.applyAsDouble(StageTime::syncSeconds);
        double share = perRound.applyAsDouble(StageTime::shareSeconds);
        double join = perRound.applyAsDouble(StageTime::joinSeconds);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("the round, wall time (" + measured.size() + " stages of " + Math.round(rounds
                / measured.size()) + " rounds)", "driver", wall));
        parts.add(new Part("  fit rank 0's mini-batches", "executor", fit));
        parts.add(new Part("  wait for rank 0's next mini-batch", "executor", data));
        parts.add(new Part("  sync: parameters, optimizer state and control summed over the ring", "executors",
                sync));
        parts.add(new Part("  the stage's setup, per round: share, ring, network broadcast and replica", "executor",
                setup));
        parts.add(new Part("    of which: get rank 0's share of the batches (broadcast fetch, deserialization)",
                "executor", share));
        parts.add(new Part("    of which: join the ring (the driver's rendezvous: every task started)", "executor", join));
        parts.add(new Part("    of which: get the network's broadcast, build the replica", "executor",
                Math.max(0, setup - share - join)));
        parts.add(new Part("  the rest, per round: the stage's Spark job, broadcasts, result, driver update",
                "driver", Math.max(0, wall - fit - data - sync - setup)));
        return parts;
    }

    private static double total(List<StatEvent> events, String key) {
        return events.stream().filter(e -> e.key().equals(key)).mapToLong(StatEvent::durationMs).sum();
    }

    private void print(String master, int workers, TrainerSettings settings, NeuralNetwork network, int rounds,
                       List<Part> parts) {
        out.printf(Locale.ROOT, "%nround anatomy on %s: %d workers x batch %d, averaging every %d batches, %,d params,"
                        + " mean of %d rounds after the warm-up%n%n", master, workers, settings.batchSizePerWorker(),
                settings.averagingFrequency(), ((org.deeplearning4j.nn.api.Model) network).numParams(), rounds);
        out.println("| part of one round | where | ms per round | share of the round |");
        out.println("|---|---|---|---|");
        double wall = parts.get(0).ms();
        for (Part p : parts) {
            out.printf(Locale.ROOT, "| %s | %s | %.1f | %.0f%% |%n", p.what(), p.where(), p.ms(), 100 * p.ms() / wall);
        }
    }
}
