package org.sparkprop.model.zoo;

import static org.sparkprop.model.zoo.Layers.conv;
import static org.sparkprop.model.zoo.Layers.dense;
import static org.sparkprop.model.zoo.Layers.dropout;
import static org.sparkprop.model.zoo.Layers.flatten;
import static org.sparkprop.model.zoo.Layers.maxPool;
import static org.sparkprop.model.zoo.Layers.softmaxOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;

/** The plain (non-residual) ImageNet networks: ReLU, He initialization, dropout 0.5 in the dense layers. */
final class ImageNetCnns {
    private ImageNetCnns() {
    }

    /**
     * AlexNet (Krizhevsky et al. 2012) as one tower, without local response normalization (later work found it
     * adds nothing): 62,378,344 parameters at 227x227x3 with 1000 classes.
     */
    static CatalogEntry alexNet() {
        return new CatalogEntry("alexnet", "5 conv (96 11x11/4, 256 5x5, 384, 384, 256 3x3) with 3 max-pools,"
                + " dense 4096, 4096, output; ~62.4M params at 227x227x3, 1000 classes", Set.of(),
                o -> new ModelSpec("alexnet", List.of(
                        conv(96, 11, 4, "valid"), maxPool(3, 2, "valid"),
                        conv(256, 5, 1, "same"), maxPool(3, 2, "valid"),
                        conv(384, 3, 1, "same"), conv(384, 3, 1, "same"), conv(256, 3, 1, "same"),
                        maxPool(3, 2, "valid"),
                        flatten(), dense(4096), dropout(0.5), dense(4096), dropout(0.5), softmaxOutput()),
                        WeightInitSpec.HE));
    }

    /** VGG-16 (configuration D of Simonyan and Zisserman): 138,357,544 parameters at 224x224x3, 1000 classes. */
    static CatalogEntry vgg16() {
        return new CatalogEntry("vgg16", "13 conv 3x3 (64x2, 128x2, 256x3, 512x3, 512x3) with 5 max-pools, dense"
                + " 4096, 4096, output; 138.4M params at 224x224x3, 1000 classes", Set.of(), o -> {
            List<LayerSpec> layers = new ArrayList<>();
            int[][] blocks = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
            for (int[] block : blocks) {
                for (int i = 0; i < block[1]; i++) {
                    layers.add(conv(block[0], 3, 1, "same"));
                }
                layers.add(maxPool(2));
            }
            layers.addAll(List.of(flatten(), dense(4096), dropout(0.5), dense(4096), dropout(0.5), softmaxOutput()));
            return new ModelSpec("vgg16", layers, WeightInitSpec.HE);
        });
    }
}
