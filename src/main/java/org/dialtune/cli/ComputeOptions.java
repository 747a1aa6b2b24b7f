package org.dialtune.cli;

import ai.djl.Device;
import org.dialtune.model.Precision;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --precision}, for the commands that train and evaluate. */
final class ComputeOptions {
    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu", description = "Where to run (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", paramLabel = "fp32|fp16", defaultValue = "fp32",
            description = "Matrix products in float32, or float16 with float32 weights and loss scaling (mixed precision, "
                    + "for GPUs; slow on CPU). Default: ${DEFAULT-VALUE}.")
    String precision;

    Device device() {
        return Devices.parse(device);
    }

    Precision precision() {
        return Precision.parse(precision, "--precision");
    }
}
