package org.sparkprop.job.train;

/**
 * One timed event of DL4J's Spark training statistics ({@link TrainerSettings#collectStats()}): a part of a round on
 * the driver (splitting the data, creating the broadcast, the Spark job, updating the parameters) or on a worker
 * (getting the broadcast, creating the replica, fitting a mini-batch).
 *
 * @param key        DL4J's name of what was timed, e.g. {@code ParameterAveragingWorkerFitTimesMs}
 * @param worker     the JVM and thread it ran on (one worker's events share it)
 * @param startMs    wall-clock start, milliseconds since the epoch
 * @param durationMs how long it took
 */
public record StatEvent(String key, String worker, long startMs, long durationMs) {
}
