package org.sparkprop.job.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkprop.job.eval.EvaluationResult;

class PromotionGateTest {
    /** A result with {@code right} of 4 predictions correct, and the given loss. */
    private static EvaluationResult result(int right, double loss) {
        Evaluation evaluation = new Evaluation(List.of("a", "b"), 1);
        for (int i = 0; i < 4; i++) {
            boolean correct = i < right;
            evaluation.eval(Nd4j.create(new float[][] {{1, 0}}), Nd4j.create(new float[][] {correct ? new float[] {0.9f,
                    0.1f} : new float[] {0.1f, 0.9f}}));
        }
        return new EvaluationResult(evaluation, loss, List.of("a", "b"));
    }

    @Test
    void aTieIsPromotedAndAWorseModelIsNot() {
        PromotionGate gate = new PromotionGate("accuracy", 0.0);

        assertTrue(gate.decide(result(3, 0.5), result(3, 0.4)).promote());
        PromotionGate.Decision worse = gate.decide(result(2, 0.5), result(3, 0.4));
        assertFalse(worse.promote());
        assertEquals("not promoted: accuracy 0.500000 against the served model's 0.750000 (improvement -0.250000,"
                + " promote.min-delta 0.0)", worse.reason());
    }

    @Test
    void minDeltaAsksForARealImprovementOrToleratesADrop() {
        assertFalse(new PromotionGate("accuracy", 0.3).decide(result(4, 0.1), result(3, 0.1)).promote());
        assertTrue(new PromotionGate("accuracy", 0.25).decide(result(4, 0.1), result(3, 0.1)).promote());
        assertTrue(new PromotionGate("accuracy", -0.25).decide(result(2, 0.1), result(3, 0.1)).promote());
    }

    @Test
    void forLossLowerIsTheImprovement() {
        PromotionGate gate = new PromotionGate("loss", 0.05);

        assertEquals(0.1, gate.improvement(result(3, 0.3), result(3, 0.4)), 1e-12);
        assertTrue(gate.decide(result(3, 0.3), result(3, 0.4)).promote());
        assertFalse(gate.decide(result(3, 0.38), result(3, 0.4)).promote());
    }

    private static Map<String, Long> counts(Object... nameCount) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < nameCount.length; i += 2) {
            out.put((String) nameCount[i], ((Number) nameCount[i + 1]).longValue());
        }
        return out;
    }

    @Test
    void aVanishedClassStopsTheRunNamingIt() {
        DataShiftException e = assertThrows(DataShiftException.class, () -> ClassBalance.check(
                counts("cat", 100, "dog", 100, "fox", 50), counts("cat", 110, "dog", 105), 0.5, false));

        assertEquals("Data check failed before training: class fox vanished since the last run (last run's"
                + " classes: cat, dog, fox; this run's: cat, dog). This is usually a broken upstream export; fix the"
                + " data, or pass --allow-class-change if the class set really changed.", e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void aClassWhoseShareMovedTooFarStopsTheRunAndGrowthInProportionDoesNot() {
        assertEquals(List.of(), ClassBalance.check(counts("cat", 100, "dog", 100), counts("cat", 110, "dog", 111),
                0.5, false));

        DataShiftException e = assertThrows(DataShiftException.class, () -> ClassBalance.check(
                counts("cat", 100, "dog", 100), counts("cat", 100, "dog", 20), 0.5, false));
        assertEquals("Data check failed before training: the share of 2 classes moved by more than"
                + " data.max-class-shift = 0.5 since the last run: cat 50.0% -> 83.3% of the images (100 -> 100,"
                + " shift 0.67); dog 50.0% -> 16.7% of the images (100 -> 20, shift 0.67). This is usually a broken"
                + " upstream export; fix the data, or raise data.max-class-shift for this run if the change is"
                + " real.", e.getMessage());
    }

    @Test
    void aNewClassSetPassesWithAllowClassChangeAndTheFirstRunHasNothingToCompare() {
        assertEquals(List.of("data check: class emu appeared since the last run (--allow-class-change)"),
                ClassBalance.check(counts("cat", 100, "dog", 100), counts("cat", 100, "dog", 100, "emu", 10), 0.5,
                        true));
        assertEquals(List.of(), ClassBalance.check(null, counts("cat", 1), 0.5, false));
    }
}
