package org.sparkprop.job.promote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkprop.job.config.PromoteSection;

/**
 * The data check a promoting run makes before Spark starts: this run's class set and per-class counts against the
 * last trained run's (from history.jsonl). A class that vanished or appeared, or one whose share of the images moved
 * by more than {@code data.max-class-shift} (relative to its old share), stops the run: after a broken upstream
 * export that is the cheap place to notice.
 */
public final class ClassBalance {
    private ClassBalance() {
    }

    /** Classes and counts as a history line records them: {@code {"cat": 120, "dog": 98}}, in label order. */
    public static Map<String, Long> of(List<String> classes, long[] counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            out.put(classes.get(i), counts[i]);
        }
        return out;
    }

    /** The class counts of the newest history line of a trained run, or null when there is none. */
    public static Map<String, Long> lastRun(List<JsonNode> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            JsonNode counts = history.get(i).path("data").path("class_counts");
            if (counts.isObject()) {
                Map<String, Long> out = new LinkedHashMap<>();
                counts.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
                return out;
            }
        }
        return null;
    }

    /**
     * @param allowClassChange accept a different class set (shares of the classes in both are still checked)
     * @return what the check found worth a line on the console, or an empty list
     * @throws DataShiftException naming the classes and what to change
     */
    public static List<String> check(Map<String, Long> last, Map<String, Long> now, double maxShift,
                                     boolean allowClassChange) {
        List<String> notes = new ArrayList<>();
        if (last == null) {
            return notes;
        }
        List<String> vanished = new ArrayList<>();
        List<String> appeared = new ArrayList<>();
        last.forEach((name, count) -> {
            if (count > 0 && now.getOrDefault(name, 0L) == 0) {
                vanished.add(name);
            }
        });
        now.forEach((name, count) -> {
            if (count > 0 && last.getOrDefault(name, 0L) == 0) {
                appeared.add(name);
            }
        });
        if (!vanished.isEmpty() || !appeared.isEmpty()) {
            String what = (vanished.isEmpty() ? "" : "class" + (vanished.size() > 1 ? "es " : " ")
                    + String.join(", ", vanished) + " vanished") + (vanished.isEmpty() || appeared.isEmpty() ? ""
                    : " and ") + (appeared.isEmpty() ? "" : "class" + (appeared.size() > 1 ? "es " : " ")
                    + String.join(", ", appeared) + " appeared");
            if (!allowClassChange) {
                throw new DataShiftException("Data check failed before training: " + what + " since the last run"
                        + " (last run's classes: " + String.join(", ", last.keySet()) + "; this run's: "
                        + String.join(", ", now.keySet()) + "). This is usually a broken upstream export; fix the"
                        + " data, or pass --allow-class-change if the class set really changed.");
            }
            notes.add("data check: " + what + " since the last run (--allow-class-change)");
        }
        double lastTotal = last.values().stream().mapToLong(Long::longValue).sum();
        double nowTotal = now.values().stream().mapToLong(Long::longValue).sum();
        List<String> shifted = new ArrayList<>();
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long before = last.getOrDefault(e.getKey(), 0L);
            if (before == 0 || e.getValue() == 0 || lastTotal == 0 || nowTotal == 0) {
                continue;
            }
            double oldShare = before / lastTotal;
            double newShare = e.getValue() / nowTotal;
            double shift = Math.abs(newShare - oldShare) / oldShare;
            if (shift > maxShift) {
                shifted.add(String.format(Locale.ROOT, "%s %.1f%% -> %.1f%% of the images (%,d -> %,d, shift %.2f)",
                        e.getKey(), 100 * oldShare, 100 * newShare, before, e.getValue(), shift));
            }
        }
        if (!shifted.isEmpty()) {
            throw new DataShiftException("Data check failed before training: the share of " + shifted.size()
                    + " class" + (shifted.size() > 1 ? "es" : "") + " moved by more than "
                    + PromoteSection.MAX_CLASS_SHIFT + " = " + maxShift + " since the last run: "
                    + String.join("; ", shifted) + ". This is usually a broken upstream export; fix the data, or"
                    + " raise " + PromoteSection.MAX_CLASS_SHIFT + " for this run if the change is real.");
        }
        return notes;
    }
}
