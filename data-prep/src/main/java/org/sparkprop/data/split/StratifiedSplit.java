package org.sparkprop.data.split;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Splits items into train / validation / test class by class, so each part has every class in the dataset's
 * proportions: per class, a seeded shuffle, then the first round(n x val) go to validation, the next round(n x test)
 * to test and the rest to training (at least one stays in training). Same items, ratios and seed: same split.
 */
public final class StratifiedSplit {
    private StratifiedSplit() {
    }

    public static <T> Map<Split, List<T>> split(List<T> items, ToIntFunction<T> label, SplitRatios ratios, long seed) {
        Map<Integer, List<T>> byClass = new TreeMap<>();
        for (T item : items) {
            byClass.computeIfAbsent(label.applyAsInt(item), c -> new ArrayList<>()).add(item);
        }
        Map<Split, List<T>> out = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            out.put(split, new ArrayList<>());
        }
        for (Map.Entry<Integer, List<T>> e : byClass.entrySet()) {
            List<T> members = e.getValue();
            shuffle(members, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e.getKey()));
            int n = members.size();
            int val = (int) Math.round(n * ratios.val());
            int test = (int) Math.round(n * ratios.test());
            while (val + test >= n && val + test > 0) { // keep one for training
                if (test >= val) {
                    test--;
                } else {
                    val--;
                }
            }
            out.get(Split.VAL).addAll(members.subList(0, val));
            out.get(Split.TEST).addAll(members.subList(val, val + test));
            out.get(Split.TRAIN).addAll(members.subList(val + test, n));
        }
        return out;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
