package org.sparkprop.model.zoo;

import java.util.List;

/** Every catalogue entry, in the order {@code summary --help} lists them. */
public final class Zoo {
    private Zoo() {
    }

    public static List<CatalogEntry> entries() {
        return List.of(
                Mlp.entry("mlp", "flatten, dense ReLU per width of option hidden (default [128]), optional dropout and"
                        + " batch norm, softmax output", List.of(128), 0, false),
                Mlp.entry("seed-mlp", "784-32-10 MLP (25,450 params on 28x28x1)", List.of(32), 0, false),
                Mlp.entry("dropout-mlp", "784-1024-1024-10 MLP with dropout 0.5 after each hidden layer",
                        List.of(1024, 1024), 0.5, false),
                Mlp.entry("bn-mlp", "784-1024-1024-10 MLP with batch norm before each ReLU", List.of(1024, 1024), 0,
                        true),
                SmallCnns.seedCnn(),
                SmallCnns.leNet(),
                SmallCnns.leNetBn(),
                ImageNetCnns.alexNet(),
                ImageNetCnns.vgg16(),
                ResNets.resnet18(),
                ResNets.resnet50());
    }
}
