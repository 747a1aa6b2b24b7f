package org.dialtune.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune tokenize}: the token ids dialtune feeds the model for each text, so they can be
 * compared with another tokenizer's (transformers' BartTokenizerFast in the interop suite).
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Writes the token ids (special tokens such as <s> and </s> included) that generate, rank and train give the model "
                + "for each text.",
                "Input lines: {\"id\", \"text\"}. Output lines: {\"id\", \"ids\"}; texts longer than --max-length "
                + "lose tokens from the end of the text (the closing </s> is kept), and how many were cut is printed."})
public final class TokenizeCommand implements Runnable {
    @Option(names = "--tokenizer", required = true, paramLabel = "DIR|FILE",
            description = "A tokenizer.json, or a directory (e.g. a checkpoint) holding one.")
    Path tokenizer;

    @Option(names = "--input", required = true, paramLabel = "IN.jsonl", description = "Texts to tokenize.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "OUT.jsonl", description = "Where to write the ids.")
    Path out;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Longest output in tokens, special tokens included (default: no limit).")
    Integer maxLength;

    @Option(names = "--prefix-cut",
            description = "Encode long texts only about as far as they are kept, as training batches are "
                    + "(same ids; needs --max-length).")
    boolean prefixCut;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (maxLength != null && maxLength < 1) throw new UserError("--max-length must be at least 1, got " + maxLength);
        if (prefixCut && maxLength == null) throw new UserError("--prefix-cut needs --max-length");
        PrintWriter err = spec.commandLine().getErr();
        List<JsonlInput.Line> lines = JsonlInput.read(input);
        List<String> texts = new ArrayList<>(lines.size());
        for (JsonlInput.Line l : lines) {
            l.id();
            texts.add(l.string("text"));
        }
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizer)) {
            int limit = maxLength == null ? Integer.MAX_VALUE : maxLength;
            Seq2SeqTokenizer.Encoded enc = prefixCut ? tok.encodeKept(texts, limit) : tok.encode(texts, limit);
            AtomicFiles.writeText(out, w -> {
                for (int i = 0; i < lines.size(); i++) {
                    JsonObject o = new JsonObject();
                    o.add("id", lines.get(i).id());
                    JsonArray ids = new JsonArray();
                    for (long t : enc.ids().get(i)) ids.add(t);
                    o.add("ids", ids);
                    w.write(Json.COMPACT.toJson(o));
                    w.write('\n');
                }
            });
            ModelRunOptions.reportTruncation(err, "tokenize", "texts", enc, "--max-length");
            err.println("tokenize: wrote " + lines.size() + " token id lists to " + out);
        }
    }
}
