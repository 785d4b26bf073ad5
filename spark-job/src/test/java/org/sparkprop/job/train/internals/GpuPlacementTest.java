package org.sparkprop.job.train.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GpuPlacementTest {
    @Test
    void sparksAddressIsTheDeviceWhenTheProcessSeesEveryGpu() {
        assertEquals(1, GpuPlacement.deviceIndex("1", null, 4));
        assertEquals(3, GpuPlacement.deviceIndex(" 3 ", "", 4));
    }

    @Test
    void underCudaVisibleDevicesTheAddressIsLookedUpInTheVisibleList() {
        // YARN or Kubernetes gave the container physical GPUs 2 and 3; ND4J numbers them 0 and 1
        assertEquals(1, GpuPlacement.deviceIndex("3", "2,3", 2));
        assertEquals(0, GpuPlacement.deviceIndex("2", " 2 , 3 ", 2));
    }

    @Test
    void anAddressNoVisibleDeviceMatchesIsRefusedNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GpuPlacement.deviceIndex("5", "2,3", 2));
        assertEquals("Spark assigned this task GPU 5, but ND4J sees 2 device(s) (CUDA_VISIBLE_DEVICES=2,3) and none is"
                + " that GPU. The discovery script (spark.gpu.discovery-script) must print the addresses the"
                + " executor's process sees.", e.getMessage());
        assertThrows(IllegalStateException.class, () -> GpuPlacement.deviceIndex("1", null, 1));
        assertThrows(IllegalStateException.class, () -> GpuPlacement.deviceIndex("gpu-a", null, 4));
    }
}
