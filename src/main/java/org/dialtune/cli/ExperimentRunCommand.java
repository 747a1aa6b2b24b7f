package org.dialtune.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.GitInfo;
import org.dialtune.common.RunDirLock;
import org.dialtune.common.UserError;
import org.dialtune.pipeline.ExperimentRunner;
import org.dialtune.pipeline.ExperimentSpec;
import org.dialtune.pipeline.RunPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dialtune experiment run FILE --out DIR}: runs (or resumes) a grid into DIR/results.csv. */
@Command(name = "run", description = "Run an experiment grid; rerunning resumes it, skipping finished cells.")
public final class ExperimentRunCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "FILE.json", description = "Experiment file (eval/experiments/*.json).")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (results.csv, models, logs).")
    Path out;

    @Mixin
    ComputeOptions compute;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final RunPipelineFactory pipelines;

    @Inject
    ExperimentRunCommand(RunPipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void run() {
        ExperimentSpec x = ExperimentSpec.load(file, Path.of("").toAbsolutePath());
        for (String id : x.models().keySet()) {
            if (!x.models().get(id).resolve("config.json").toFile().isFile()) {
                throw new UserError(file + ": field \"models." + id + "\": " + x.models().get(id)
                        + " is not a checkpoint directory (no config.json)");
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        try (RunDirLock lock = RunDirLock.acquire(out, spec.commandLine().getErr()::println)) {
            o.println("experiment " + x.name() + ": " + ExperimentRunner.cells(x) + " cells → " + out);
            RunPipeline pipeline = pipelines.create(sources, compute.device(), compute.precision(), 10, 1, o::println);
            new ExperimentRunner(pipeline, GitInfo.commit(DialtuneHome.home()), o::println).run(x, out);
        }
    }
}
