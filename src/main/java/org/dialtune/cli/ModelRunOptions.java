package org.dialtune.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.lora.PeftAdapter;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import picocli.CommandLine.Option;

/** What every command that runs a checkpoint on inputs needs: the model, its tokenizer, device, batching. */
final class ModelRunOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Checkpoint directory in Hugging Face layout (config.json, model.safetensors).")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A LoRA adapter for the --model base, in PEFT's format (adapter_config.json,"
                    + " adapter_model.safetensors), as PEFT or a dialtune LoRA stage writes it.")
    Path adapter;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json to use (default: the one in the --model directory).")
    Path tokenizer;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}); a GPU needs a CUDA libtorch, see README.")
    String device;

    /** Set by each command's own {@code --batch-size}: what a batch holds differs between generate and rank. */
    int batchSize = 8;

    @Option(names = "--max-source-length", paramLabel = "N",
            description = "Longest source in tokens, special tokens included (default: the model's "
                    + "position limit, if it has one); longer sources are cut at the end and counted on stderr.")
    Integer maxSourceLength;

    void validate() {
        if (batchSize < 1) throw new UserError("--batch-size must be at least 1, got " + batchSize);
    }

    Seq2SeqTokenizer loadTokenizer() {
        Path file = tokenizer != null ? tokenizer : model.resolve("tokenizer.json");
        if (tokenizer == null && Files.isDirectory(model) && !Files.exists(file)) {
            throw new UserError(model + ": no tokenizer.json in the model directory: copy the checkpoint's"
                    + " tokenizer.json there or pass --tokenizer FILE");
        }
        return Seq2SeqTokenizer.load(file);
    }

    /**
     * Loads the checkpoint on the chosen device, with the --adapter on it if given, and checks that the
     * tokenizer fits its vocabulary.
     */
    Seq2SeqLm loadModel(Seq2SeqTokenizer tok) {
        tok.checkFits(ModelFamilies.readConfig(model)); // before the weights are read
        Seq2SeqLm m = Checkpoint.load(model, device()).model();
        if (adapter == null) return m;
        try {
            PeftAdapter.load(m, adapter);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** --max-source-length, bounded by what the encoder's position table can take. */
    int sourceLimit(Seq2SeqLm m) {
        int positions = m.config().maxPositions();
        if (maxSourceLength == null) return positions;
        if (maxSourceLength > positions) {
            throw new UserError("--max-source-length " + maxSourceLength + " is more than the model's "
                    + m.config().maxPositionsField() + " (" + positions + ")");
        }
        return maxSourceLength;
    }

    /** Tells how many texts were cut to fit; silent truncation is a classic source of wrong results. */
    static void reportTruncation(PrintWriter err, String command, String what, Seq2SeqTokenizer.Encoded enc,
                                 String option) {
        if (enc.truncated() == 0) return;
        err.println(command + ": " + enc.truncated() + " of " + enc.ids().size() + " " + what + " were longer than "
                + enc.maxLength() + " tokens and were cut at the end (longest: " + enc.longestBeforeTruncation()
                + " tokens)" + (option == null ? "" : "; see " + option));
    }

    Device device() {
        return Devices.parse(device);
    }

    /** Progress lines ("generate: 16/32 (50%) ETA 0:05 sources") on the command's stderr, every few seconds and at the end. */
    static java.util.function.IntConsumer progress(PrintWriter err, String command, int total, String unit,
                                                   int batchSize) {
        if (total <= batchSize) return n -> {};
        org.dialtune.common.Progress p = org.dialtune.common.Progress.lines(command, total, err::println,
                java.time.Duration.ofSeconds(5));
        return n -> p.stepTo(n, unit);
    }
}
