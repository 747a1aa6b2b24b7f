package org.dialtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.lora.Lora;
import org.dialtune.model.lora.LoraSettings;
import org.dialtune.model.lora.PeftAdapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune model merge}: a base checkpoint with a LoRA adapter folded into its weights, as PEFT's merge_and_unload. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Write a plain checkpoint: the --model base with the --adapter merged in (W + B·A·alpha/r).")
public final class ModelMergeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The base checkpoint directory.")
    Path model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR",
            description = "The LoRA adapter (adapter_config.json, adapter_model.safetensors), PEFT's format.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint directory to write.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Seq2SeqLm m = Checkpoint.load(model)) {
            LoraSettings s = PeftAdapter.load(m, adapter);
            int modules = m.projections().adapterTensors().size() / 2;
            Lora.merge(m);
            Path tokenizer = model.resolve(Checkpoint.TOKENIZER);
            Checkpoint.save(m, out, Files.isRegularFile(tokenizer) ? tokenizer : null);
            spec.commandLine().getOut().println("wrote " + out + ": " + modules + " projections merged (r " + s.r()
                    + ", alpha " + s.alpha() + ", targets " + String.join(", ", s.targets()) + ")");
        }
        return 0;
    }
}
