package org.dialtune.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import org.dialtune.common.UserError;

/** Parses a {@code --device} value and checks the engine can use it. */
final class Devices {
    private Devices() {}

    static Device parse(String text) {
        Device d;
        try {
            d = Device.fromName(text.equals("cuda") ? "gpu" : text.replace("cuda", "gpu"));
        } catch (IllegalArgumentException e) {
            throw new UserError("--device: unknown device \"" + text + "\" (use cpu, gpu or gpu:N)");
        }
        // the GPU count comes from the CUDA driver, so a machine with a GPU but a CPU-only libtorch passes it
        if (d.isGpu() && !Engine.getInstance().hasCapability(StandardCapabilities.CUDA)) {
            throw new UserError("--device " + text + ": this dialtune runs a CPU-only libtorch; for a GPU, build with"
                    + " 'mvn -P gpu package' and run with DIALTUNE_ONLINE=1 so DJL downloads a CUDA libtorch, or set"
                    + " PYTORCH_LIBRARY_PATH to a CUDA torch (README, \"GPU\")");
        }
        if (d.isGpu() && d.getDeviceId() >= Engine.getInstance().getGpuCount()) {
            throw new UserError("--device " + text + ": no such GPU (this libtorch sees "
                    + Engine.getInstance().getGpuCount() + "; GPU use needs a CUDA libtorch, see README \"GPU\")");
        }
        return d;
    }
}
