package org.dialtune.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dialtune.common.UserError;

/** Parses a {@code --device} value and checks the engine can use it. */
final class Devices {
    private Devices() {}

    static Device parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("cuda", "gpu");
        if (!t.matches("cpu|gpu(:\\d+)?")) {
            throw new UserError("--device: unknown device \"" + text + "\" (use cpu, gpu or gpu:N)");
        }
        Device d = Device.fromName(t);
        if (!d.isGpu()) return d;
        // the GPU count comes from the CUDA driver, so a machine with a GPU but a CPU-only libtorch passes it
        if (!Engine.getInstance().hasCapability(StandardCapabilities.CUDA)) {
            throw new UserError("--device " + text + ": this dialtune runs a CPU-only libtorch; for a GPU, build with"
                    + " 'mvn -P gpu package' and run with DIALTUNE_ONLINE=1 so DJL downloads a CUDA libtorch, or set"
                    + " PYTORCH_LIBRARY_PATH to a CUDA torch (README, \"GPU\")");
        }
        // and a CUDA libtorch may still not reach this device: try it for real
        try (NDManager m = NDManager.newBaseManager(d)) {
            m.zeros(new Shape(1)).close();
        } catch (EngineException e) {
            String why = String.valueOf(e.getMessage()).split("[\\r\\n]")[0];
            if (why.length() > 120) why = why.substring(0, 120) + "...";
            throw new UserError("--device " + text + ": this libtorch cannot use it (" + why
                    + "); GPU use needs a CUDA libtorch, see README \"GPU\"");
        }
        return d;
    }
}
