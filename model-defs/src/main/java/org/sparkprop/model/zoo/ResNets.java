package org.sparkprop.model.zoo;

import static org.sparkprop.model.zoo.Layers.batchNorm;
import static org.sparkprop.model.zoo.Layers.convForBn;
import static org.sparkprop.model.zoo.Layers.maxPool;
import static org.sparkprop.model.zoo.Layers.relu;
import static org.sparkprop.model.zoo.Layers.softmaxOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;

/**
 * Residual networks (He et al. 2016) in the torchvision layout (stride in the 3x3 convolution, projection shortcuts
 * only where the shape changes, convolutions without bias before batch norm): at 224x224x3 with 1000 classes,
 * resnet18 has 11,689,512 trainable parameters and resnet50 25,557,032, as torchvision; batch norm's running
 * statistics add 9,600 and 53,120 non-trainable ones.
 */
final class ResNets {
    private ResNets() {
    }

    static CatalogEntry resnet18() {
        return new CatalogEntry("resnet18", "conv 7x7/2, maxpool, 4 stages of 2 basic blocks (64, 128, 256, 512),"
                + " global average pool, output; 11.7M params at 224x224x3, 1000 classes", Set.of(),
                o -> spec("resnet18", new int[] {2, 2, 2, 2}, false));
    }

    static CatalogEntry resnet50() {
        return new CatalogEntry("resnet50", "conv 7x7/2, maxpool, 4 stages of 3/4/6/3 bottleneck blocks (64, 128,"
                + " 256, 512 x4), global average pool, output; 25.6M params at 224x224x3, 1000 classes", Set.of(),
                o -> spec("resnet50", new int[] {3, 4, 6, 3}, true));
    }

    static ModelSpec spec(String name, int[] blocksPerStage, boolean bottleneck) {
        List<LayerSpec> layers = new ArrayList<>(List.of(convForBn(64, 7, 2, "same"), batchNorm(), relu(),
                maxPool(3, 2, "same")));
        int filters = 64;
        for (int stage = 0; stage < blocksPerStage.length; stage++) {
            for (int b = 0; b < blocksPerStage[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                layers.add(new LayerSpec.Residual(filters, stride, bottleneck));
            }
            filters *= 2;
        }
        layers.add(new LayerSpec.GlobalAvgPool());
        layers.add(softmaxOutput());
        return new ModelSpec(name, layers, WeightInitSpec.HE);
    }
}
