package org.dialtune.model.trim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;

/**
 * Cuts a checkpoint's vocabulary down to the tokens some texts use (plus the special tokens and what
 * the tokenizer needs to encode those texts the same way, {@link TokenizerTrim}) and writes a
 * consistent checkpoint: tokenizer.json with dense new ids; the token rows of every tensor with a
 * vocabulary dimension (embeddings, LM head, BART's {@code final_logits_bias}: whatever the family's
 * layout sizes by {@code vocab_size}); config.json and generation_config.json with {@code vocab_size}
 * and the special ids renumbered; and {@value #PROVENANCE}, whose {@code new_to_old} maps each new id to
 * the original's. Before anything is written, every covered text is encoded again with the trimmed
 * tokenizer (the real library) and must give the original's ids, renumbered; the checkpoint appears in
 * one move, or not at all.
 */
public final class VocabularyTrimmer {
    public static final String PROVENANCE = "trim.json";
    /** Texts encoded per call of the native tokenizer. */
    private static final int CHUNK = 1024;
    /** Id-valued lists of generation settings that may simply lose ids that no longer exist. */
    private static final List<String> ID_LISTS = List.of("suppress_tokens", "begin_suppress_tokens");
    /** Generation settings holding ids in structures not renumbered here. */
    private static final List<String> REFUSED = List.of("bad_words_ids", "forced_decoder_ids", "sequence_bias");

    /** What was kept and written. */
    public record Result(int originalVocab, int vocab, int usedTokens, int texts, long tokens, int mergesBefore,
                         int mergesAfter, long parametersBefore, long parametersAfter) {}

    private VocabularyTrimmer() {}

    /**
     * Trims the checkpoint in {@code modelDir} to the tokens of {@code covered} and writes it to {@code out};
     * {@code provenance} (tasks, options) goes into {@value #PROVENANCE} with the id map.
     */
    public static Result trim(Path modelDir, CoveredTexts covered, JsonObject provenance, Path out) {
        Path tokFile = tokenizerOf(modelDir);
        ModelConfig config = ModelFamilies.readConfig(modelDir);
        List<String> texts = covered.texts();
        Set<Integer> used = new HashSet<>();
        long tokens = 0;
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokFile)) {
            tok.checkFits(config);
            for (int i = 0; i < texts.size(); i += CHUNK) {
                for (long[] ids : tok.encode(chunk(texts, i), Integer.MAX_VALUE).ids()) {
                    tokens += ids.length;
                    for (long id : ids) used.add((int) id);
                }
            }
        }
        TokenizerTrim trim = TokenizerTrim.read(tokFile);
        JsonObject generation = GenerationConfig.toSave(config);
        Path generationFile = modelDir.resolve(GenerationConfig.FILE);
        Set<Integer> configIds = new TreeSet<>();
        tokenIds(config.toJson(), configIds);
        if (generation != null) tokenIds(generation, configIds);
        TreeSet<Integer> keep = trim.keep(used, configIds);
        int[] newToOld = keep.stream().mapToInt(Integer::intValue).toArray();
        int[] oldToNew = new int[Math.max(trim.size(), config.vocabSize())];
        Arrays.fill(oldToNew, -1);
        for (int i = 0; i < newToOld.length; i++) oldToNew[newToOld[i]] = i;

        JsonObject tokJson = trim.trimmed(newToOld);
        byte[] tokBytes = (Json.COMPACT.toJson(tokJson) + "\n").getBytes(StandardCharsets.UTF_8);
        verify(tokFile, tokBytes, texts, oldToNew);

        JsonObject configJson = config.toJson();
        configJson.addProperty("vocab_size", newToOld.length);
        renumber(configJson, oldToNew, modelDir.resolve(Checkpoint.CONFIG));
        ModelConfig trimmedConfig = ModelFamilies.config(configJson, out.resolve(Checkpoint.CONFIG));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(Checkpoint.TOKENIZER, tokBytes);
        if (generation != null) {
            renumber(generation, oldToNew, Files.isRegularFile(generationFile) ? generationFile : modelDir.resolve(Checkpoint.CONFIG));
            files.put(GenerationConfig.FILE, (Json.PRETTY.toJson(generation) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        JsonObject record = provenance.deepCopy();
        record.addProperty("original_model", modelDir.toAbsolutePath().normalize().toString());
        record.addProperty("original_vocab_size", config.vocabSize());
        record.addProperty("vocab_size", newToOld.length);
        JsonObject cov = new JsonObject();
        cov.addProperty("examples", covered.tasks().stream().mapToLong(CoveredTexts.TaskCoverage::records).sum());
        cov.addProperty("texts", texts.size());
        cov.addProperty("tokens", tokens);
        cov.addProperty("distinct_tokens", used.size());
        record.add("covered", cov);
        JsonArray map = new JsonArray();
        for (int old : newToOld) map.add(old);
        record.add("new_to_old", map);
        files.put(PROVENANCE, (Json.PRETTY.toJson(record) + "\n").getBytes(StandardCharsets.UTF_8));

        long[] params = new long[2];
        ModelFamily family = ModelFamilies.of(config);
        try (Seq2SeqLm model = Checkpoint.load(modelDir, Device.cpu()).model()) {
            Map<String, Shape> before = family.layout(config);
            Map<String, Shape> after = family.layout(trimmedConfig);
            Map<String, NDArray> tensors = model.tensors();
            for (Shape s : before.values()) params[0] += s.size();
            for (Shape s : after.values()) params[1] += s.size();
            try (Seq2SeqLm trimmed = family.create(trimmedConfig, Device.cpu(),
                    (name, shape) -> rows(name, tensors.get(name), before.get(name), shape, newToOld))) {
                Checkpoint.saveWith(trimmed, out, files);
            }
        }
        return new Result(config.vocabSize(), newToOld.length, used.size(), texts.size(), tokens,
                merges(trim.json()), merges(tokJson), params[0], params[1]);
    }

    private static Path tokenizerOf(Path modelDir) {
        if (!Files.isDirectory(modelDir)) throw new UserError(modelDir + ": not a checkpoint directory");
        Path tok = modelDir.resolve(Checkpoint.TOKENIZER);
        if (!Files.isRegularFile(tok)) {
            throw new UserError(modelDir + ": no " + Checkpoint.TOKENIZER + " (trimming rewrites the model's own tokenizer:"
                    + " copy the tokenizer.json of the model's checkpoint there)");
        }
        return tok;
    }

    private static List<String> chunk(List<String> texts, int from) {
        return texts.subList(from, Math.min(texts.size(), from + CHUNK));
    }

    /**
     * The trimmed tokenizer, loaded by the tokenizers library, must encode every covered text to the
     * original's ids renumbered, and decode them to the same text; otherwise nothing is written.
     */
    static void verify(Path tokFile, byte[] trimmed, List<String> texts, int[] oldToNew) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("dialtune-trim-", ".json");
            Files.write(tmp, trimmed);
            try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tmp);
                 Seq2SeqTokenizer before = Seq2SeqTokenizer.load(tokFile)) {
                for (int from = 0; from < texts.size(); from += CHUNK) {
                    List<String> part = chunk(texts, from);
                    List<long[]> original = before.encode(part, Integer.MAX_VALUE).ids();
                    List<long[]> again = tok.encode(part, Integer.MAX_VALUE).ids();
                    for (int i = 0; i < part.size(); i++) {
                        long[] want = original.get(i).clone();
                        for (int k = 0; k < want.length; k++) want[k] = oldToNew[(int) want[k]];
                        long[] got = again.get(i);
                        boolean sameText = tok.decode(got).equals(before.decode(original.get(i)));
                        if (!Arrays.equals(want, got) || !sameText) {
                            int at = Math.max(0, Arrays.mismatch(want, got));
                            throw new UserError(tokFile + ": the trimmed tokenizer encodes a covered text differently, so"
                                    + " nothing was written: " + Json.COMPACT.toJson(abbreviate(part.get(i)))
                                    + (sameText ? " from token " + at + " on gave " + window(got, at) + " instead of "
                                    + window(want, at) : " decodes to another text")
                                    + " (new ids; please report this with the tokenizer)");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot write a temporary file to check the trimmed tokenizer: " + e.getMessage(), e);
        } finally {
            if (tmp != null) tmp.toFile().delete();
        }
    }

    private static String window(long[] ids, int from) {
        long[] w = Arrays.copyOfRange(ids, Math.min(from, ids.length), Math.min(ids.length, from + 8));
        return Arrays.toString(w) + (from + 8 < ids.length ? "…" : "");
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    /** The rows of the kept ids along the one dimension the layout sizes by {@code vocab_size} (all of a tensor without one). */
    private static ByteBuffer rows(String name, NDArray array, Shape before, Shape after, int[] newToOld) {
        if (array == null) throw new IllegalStateException("no tensor " + name + " in the loaded model");
        ByteBuffer src = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int dim = -1;
        for (int d = 0; d < before.dimension(); d++) {
            if (before.get(d) != after.get(d)) {
                if (dim >= 0) throw new IllegalStateException(name + ": more than one dimension follows vocab_size");
                dim = d;
            }
        }
        if (dim < 0) return src;
        long outer = 1;
        for (int d = 0; d < dim; d++) outer *= before.get(d);
        long inner = 1;
        for (int d = dim + 1; d < before.dimension(); d++) inner *= before.get(d);
        long vocab = before.get(dim);
        int rowBytes = Math.toIntExact(inner * Float.BYTES);
        ByteBuffer dst = ByteBuffer.allocateDirect(Math.toIntExact(after.size() * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        for (long o = 0; o < outer; o++) {
            for (int old : newToOld) {
                int from = Math.toIntExact((o * vocab + old) * rowBytes);
                dst.put(src.slice(from, rowBytes));
            }
        }
        return dst.flip();
    }

    /** Ids in config keys named {@code *_token_id} / {@code *_token_ids} (ints or lists of ints). */
    private static void tokenIds(JsonObject json, Set<Integer> ids) {
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (!isIdKey(e.getKey())) continue;
            for (JsonElement v : e.getValue().isJsonArray() ? e.getValue().getAsJsonArray() : List.of(e.getValue())) {
                if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsInt() >= 0) ids.add(v.getAsInt());
            }
        }
    }

    private static boolean isIdKey(String key) {
        return key.endsWith("_token_id") || key.endsWith("_token_ids");
    }

    /** Renumbers the special ids of a config or generation config ({@code file} names it in errors). */
    private static void renumber(JsonObject json, int[] oldToNew, Path file) {
        for (String key : REFUSED) {
            JsonElement v = json.get(key);
            if (v != null && !v.isJsonNull()) {
                throw new UserError(file + ": field \"" + key + "\": trimming does not renumber the token ids in it;"
                        + " remove it (or set it to null) before trimming and add it back with the new ids from " + PROVENANCE);
            }
        }
        for (String key : new ArrayList<>(json.keySet())) {
            JsonElement v = json.get(key);
            if (isIdKey(key)) {
                if (v.isJsonArray()) {
                    JsonArray a = new JsonArray();
                    for (JsonElement x : v.getAsJsonArray()) a.add(new JsonPrimitive(oldToNew[x.getAsInt()]));
                    json.add(key, a);
                } else if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsInt() >= 0) {
                    json.addProperty(key, oldToNew[v.getAsInt()]);
                }
            } else if (ID_LISTS.contains(key) && v.isJsonArray()) {
                JsonArray a = new JsonArray();
                for (JsonElement x : v.getAsJsonArray()) {
                    int old = x.getAsInt();
                    if (old >= 0 && old < oldToNew.length && oldToNew[old] >= 0) a.add(oldToNew[old]);
                }
                json.add(key, a);
            }
        }
    }

    private static int merges(JsonObject tokenizer) {
        JsonElement m = tokenizer.getAsJsonObject("model").get("merges");
        return m == null || !m.isJsonArray() ? 0 : m.getAsJsonArray().size();
    }
}
