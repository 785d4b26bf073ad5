package org.sparkprop.job.train.internals;

import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Internal: binds a barrier task's thread to the GPU Spark assigned the task ({@code spark.task.resource.gpu.amount}),
 * so that two tasks on one multi-GPU host do not both train on device 0, ND4J's default. Spark's address is what the
 * discovery script printed (a physical index, e.g. {@code nvidia-smi}'s); where the container restricts the visible
 * devices ({@code CUDA_VISIBLE_DEVICES}, as YARN and Kubernetes do), ND4J numbers the visible ones from 0, so the
 * address is looked up in that list. On the CPU backend there is nothing to bind.
 */
final class GpuPlacement {
    private GpuPlacement() {
    }

    /** Spark's GPU address for this task, or null when it was assigned none. */
    static String assignedAddress(TaskContext context) {
        Map<String, ResourceInformation> resources = context.resourcesJMap();
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
    }

    /**
     * The ND4J device index of Spark's GPU {@code address}, given {@code visible} (CUDA_VISIBLE_DEVICES, or null) and
     * the {@code devices} ND4J sees.
     *
     * @throws IllegalStateException naming the address, the visible list and the count when no device matches
     */
    static int deviceIndex(String address, String visible, int devices) {
        int index;
        if (visible != null && !visible.isBlank()) {
            index = List.of(visible.trim().split("\\s*,\\s*")).indexOf(address.trim());
        } else {
            try {
                index = Integer.parseInt(address.trim());
            } catch (NumberFormatException e) {
                index = -1;
            }
        }
        if (index < 0 || index >= devices) {
            throw new IllegalStateException("Spark assigned this task GPU " + address + ", but ND4J sees " + devices
                    + " device(s)" + (visible != null ? " (CUDA_VISIBLE_DEVICES=" + visible + ")" : "")
                    + " and none is that GPU. The discovery script (spark.gpu.discovery-script) must print the"
                    + " addresses the executor's process sees.");
        }
        return index;
    }

    /**
     * Binds the calling thread to this task's GPU when the backend has GPUs; returns what was done, for the stage's
     * report: the address and device, or why nothing was bound.
     */
    static String bind(TaskContext context) {
        String address = assignedAddress(context);
        if (address == null) {
            return "no GPU assigned";
        }
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (backend.startsWith("Cpu")) {
            return "GPU " + address + " assigned, CPU backend: nothing bound";
        }
        int device = deviceIndex(address, System.getenv("CUDA_VISIBLE_DEVICES"),
                Nd4j.getAffinityManager().getNumberOfDevices());
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        return "GPU " + address + " (device " + device + ")";
    }
}
