package org.dialtune.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
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
        if (d.isGpu() && d.getDeviceId() >= Engine.getInstance().getGpuCount()) {
            throw new UserError("--device " + text + ": no such GPU (this libtorch sees "
                    + Engine.getInstance().getGpuCount() + "; GPU use needs a CUDA libtorch, see README \"GPU\")");
        }
        return d;
    }
}
