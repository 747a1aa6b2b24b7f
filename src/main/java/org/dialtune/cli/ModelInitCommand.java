package org.dialtune.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.checkpoint.TokenizerVocab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune model init}: a randomly initialised checkpoint of any registered family in Hugging Face layout. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a randomly initialised model (HF _init_weights of its config's model_type: bart, t5)"
                + " with a tokenizer, in HF layout.")
public final class ModelInitCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "CONFIG",
            description = "A config.json (model_type bart or t5), or a directory holding one.")
    Path config;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "Directory (or file) with the tokenizer.json to copy next to the weights. Without it the"
                    + " checkpoint has none: add the tokenizer.json of the model's own checkpoint before using it.")
    Path tokenizer;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (same seed, same files). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint directory to write.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long params = writeRandom(config, tokenizer, seed, out);
        ModelConfig cfg = ModelFamilies.readConfig(config);
        spec.commandLine().getOut().println("wrote " + out + ": " + params + " parameters, vocab " + cfg.vocabSize()
                + ", seed " + seed + (tokenizer == null ? " (no tokenizer.json: add the model's own)" : ""));
        return 0;
    }

    /** Writes a random checkpoint (config, weights, the tokenizer if given) and returns its parameter count. */
    static long writeRandom(Path config, Path tokenizer, long seed, Path out) {
        ModelConfig cfg = ModelFamilies.readConfig(config);
        Path tokFile = tokenizer == null ? null
                : tokenizer.toFile().isDirectory() ? tokenizer.resolve(Checkpoint.TOKENIZER) : tokenizer;
        int tokens = tokFile == null ? 0 : TokenizerVocab.size(tokFile);
        if (cfg.vocabSize() < tokens) {
            Path configFile = config.toFile().isDirectory() ? config.resolve("config.json") : config;
            throw new UserError(configFile + ": field \"vocab_size\" is " + cfg.vocabSize() + " but " + tokFile
                    + " has " + tokens + " tokens (set vocab_size to at least " + tokens + ")");
        }
        try (Seq2SeqLm model = ModelFamilies.of(cfg).random(cfg, Device.cpu(), seed)) {
            Checkpoint.save(model, out, tokFile);
            return model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
        }
    }
}
