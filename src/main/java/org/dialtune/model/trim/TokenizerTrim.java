package org.dialtune.model.trim;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * A Hugging Face {@code tokenizer.json} cut down to some of its tokens, so that it encodes the texts it
 * was cut for to the same tokens as before, under new, dense ids (old ids in order, renumbered from 0).
 *
 * <p>What must be kept besides the tokens those texts use, per model type:
 * <ul>
 *   <li><b>BPE</b> (BART's byte-level BPE): the merges that produce each used token and every token
 *       they pass through. BPE applies, at each step, the best-ranked merge among those present; a used
 *       token never had a merge cross its edges, so the merges applied inside it are those of encoding
 *       the token alone. Keeping those, in their old order, leaves every step's best merge the same, so
 *       covered words encode as before (any other old merge of kept tokens may stay: one that was never
 *       the best before is not the best now); the rest go. With a byte-level
 *       pre-tokenizer the 256 byte symbols stay too, so any text still encodes (to more, shorter tokens
 *       where the cut merges are missing).</li>
 *   <li><b>Unigram</b> (T5's): the used pieces with their scores, {@code <unk>}, and the lowest-scored
 *       piece, because the library scores an unknown character at that minimum minus 10. The Viterbi
 *       search over a subset that still contains the best segmentation finds it again.</li>
 * </ul>
 * Every added (special) token is kept. The caller verifies the result by encoding the covered texts
 * with the real library ({@link VocabularyTrimmer}).
 */
public final class TokenizerTrim {
    private final Path file;
    private final JsonObject root;
    private final JsonObject model;
    private final String type;
    /** Token string of each id of the model's vocabulary (null where an id has none). */
    private final String[] tokens;
    private final int size;

    private TokenizerTrim(Path file, JsonObject root) {
        this.file = file;
        this.root = root;
        JsonElement m = root.get("model");
        if (m == null || !m.isJsonObject() || !m.getAsJsonObject().has("type")) {
            throw new UserError(file + ": field \"model.type\" missing (expected a Hugging Face tokenizer.json)");
        }
        this.model = m.getAsJsonObject();
        this.type = model.get("type").getAsString();
        int max = -1;
        Map<Integer, String> byId = new HashMap<>();
        JsonElement vocab = model.get("vocab");
        if (type.equals("BPE") && vocab != null && vocab.isJsonObject()) {
            String prefix = stringOr(model, "continuing_subword_prefix", "");
            String suffix = stringOr(model, "end_of_word_suffix", "");
            if (!prefix.isEmpty() || !suffix.isEmpty()) {
                throw new UserError(file + ": field \"model.continuing_subword_prefix\"/\"end_of_word_suffix\": BPE with word"
                        + " prefixes or suffixes cannot be trimmed (only plain and byte-level BPE, as BART's)");
            }
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) byId.put(e.getValue().getAsInt(), e.getKey());
        } else if (type.equals("Unigram") && vocab != null && vocab.isJsonArray()) {
            JsonArray list = vocab.getAsJsonArray();
            for (int i = 0; i < list.size(); i++) byId.put(i, list.get(i).getAsJsonArray().get(0).getAsString());
        } else {
            throw new UserError(file + ": field \"model.type\" is \"" + type + "\": only BPE (BART) and Unigram (T5)"
                    + " tokenizers can be trimmed");
        }
        for (JsonObject t : addedTokens()) {
            byId.putIfAbsent(t.get("id").getAsInt(), t.get("content").getAsString());
        }
        for (int id : byId.keySet()) max = Math.max(max, id);
        this.size = max + 1;
        this.tokens = new String[size];
        byId.forEach((id, t) -> tokens[id] = t);
    }

    public static TokenizerTrim read(Path file) {
        JsonElement e = Json.parseFile(file);
        if (!e.isJsonObject()) throw new UserError(file + ": expected a Hugging Face tokenizer.json object");
        return new TokenizerTrim(file, e.getAsJsonObject());
    }

    /** The original tokenizer.json (not to be changed). */
    JsonObject json() {
        return root;
    }

    /** The model type, {@code BPE} or {@code Unigram}. */
    public String type() {
        return type;
    }

    /** Ids the original can produce (largest + 1). */
    public int size() {
        return size;
    }

    public String token(int id) {
        return id >= 0 && id < size ? tokens[id] : null;
    }

    /** Ids of the added (special) tokens. */
    public Set<Integer> addedIds() {
        Set<Integer> ids = new TreeSet<>();
        for (JsonObject t : addedTokens()) ids.add(t.get("id").getAsInt());
        return ids;
    }

    /**
     * Every id the trimmed tokenizer must keep so that texts encoded to {@code used} encode the same:
     * {@code used}, the added tokens, {@code also} (e.g. the config's special ids), and what the model
     * type needs (see the class comment), sorted.
     */
    public TreeSet<Integer> keep(Collection<Integer> used, Collection<Integer> also) {
        TreeSet<Integer> keep = new TreeSet<>(used);
        keep.addAll(also);
        keep.addAll(addedIds());
        if (type.equals("BPE")) {
            Map<String, Integer> ids = bpeIds();
            Set<Integer> added = addedIds();
            BpeMerges bpe = new BpeMerges(merges());
            for (int id : used) {
                if (added.contains(id)) continue;
                for (String t : bpe.passedThrough(tokens[id])) {
                    Integer passed = ids.get(t);
                    if (passed == null) {
                        throw new UserError(file + ": field \"model.merges\": encoding \"" + tokens[id] + "\" passes through \""
                                + t + "\", which is not in \"model.vocab\" (a broken tokenizer.json)");
                    }
                    keep.add(passed);
                }
            }
            if (byteLevel(root.get("pre_tokenizer"))) {
                for (String b : ByteLevelAlphabet.symbols()) {
                    Integer id = ids.get(b);
                    if (id != null) keep.add(id);
                }
            }
        } else {
            keep.add(model.get("unk_id").getAsInt());
            keep.add(lowestScored());
        }
        for (int id : keep) {
            if (id < 0 || id >= size || tokens[id] == null) {
                throw new UserError(file + ": id " + id + " is not a token of this tokenizer (the model's config names"
                        + " special ids the tokenizer does not have: use the checkpoint's own tokenizer.json)");
            }
        }
        return keep;
    }

    /**
     * The tokenizer with only the tokens {@code newToOld} lists (old ids, ascending), renumbered so that
     * {@code newToOld[i]} becomes id {@code i}; ids in the added tokens and the post-processor follow.
     */
    public JsonObject trimmed(int[] newToOld) {
        int[] oldToNew = new int[size];
        java.util.Arrays.fill(oldToNew, -1);
        for (int i = 0; i < newToOld.length; i++) {
            if (i > 0 && newToOld[i] <= newToOld[i - 1]) throw new IllegalArgumentException("old ids must ascend");
            oldToNew[newToOld[i]] = i;
        }
        JsonObject out = root.deepCopy();
        JsonObject m = out.getAsJsonObject("model");
        if (type.equals("BPE")) {
            JsonObject vocab = new JsonObject();
            Set<String> kept = new java.util.HashSet<>();
            for (int i = 0; i < newToOld.length; i++) {
                if (!model.getAsJsonObject("vocab").has(tokens[newToOld[i]])) continue; // an added token only
                vocab.addProperty(tokens[newToOld[i]], i);
                kept.add(tokens[newToOld[i]]);
            }
            m.add("vocab", vocab);
            JsonArray merges = new JsonArray();
            JsonArray old = model.getAsJsonArray("merges");
            // Every merge whose parts and result are kept, in the old order: the merges the covered text
            // needs are among them, and a subset of the old merges never applies one the old list did not
            // apply first (see the class comment); the others keep uncovered text closer to its old tokens.
            List<String[]> pairs = merges();
            for (int r = 0; r < pairs.size(); r++) {
                String[] p = pairs.get(r);
                if (kept.contains(p[0]) && kept.contains(p[1]) && kept.contains(p[0] + p[1])) merges.add(old.get(r));
            }
            m.add("merges", merges);
        } else {
            JsonArray list = model.getAsJsonArray("vocab");
            JsonArray vocab = new JsonArray();
            for (int old : newToOld) if (old < list.size()) vocab.add(list.get(old));
            m.add("vocab", vocab);
            m.addProperty("unk_id", oldToNew[model.get("unk_id").getAsInt()]);
        }
        JsonElement added = out.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement t : added.getAsJsonArray()) {
                JsonObject o = t.getAsJsonObject();
                o.addProperty("id", oldToNew[o.get("id").getAsInt()]);
            }
        }
        remapPostProcessor(out.get("post_processor"), oldToNew);
        JsonElement padding = out.get("padding");
        if (padding != null && padding.isJsonObject() && padding.getAsJsonObject().has("pad_id")) {
            padding.getAsJsonObject().addProperty("pad_id", oldToNew[padding.getAsJsonObject().get("pad_id").getAsInt()]);
        }
        return out;
    }

    private void remapPostProcessor(JsonElement pp, int[] oldToNew) {
        if (pp == null || !pp.isJsonObject()) return;
        JsonObject o = pp.getAsJsonObject();
        for (String key : List.of("sep", "cls")) { // RobertaProcessing, BertProcessing: [token, id]
            JsonElement v = o.get(key);
            if (v != null && v.isJsonArray() && v.getAsJsonArray().size() == 2) {
                v.getAsJsonArray().set(1, new JsonPrimitive(oldToNew[v.getAsJsonArray().get(1).getAsInt()]));
            }
        }
        JsonElement specials = o.get("special_tokens"); // TemplateProcessing: {name: {id, ids: [...], tokens}}
        if (specials != null && specials.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : specials.getAsJsonObject().entrySet()) {
                JsonArray ids = e.getValue().getAsJsonObject().getAsJsonArray("ids");
                for (int i = 0; i < ids.size(); i++) ids.set(i, new JsonPrimitive(oldToNew[ids.get(i).getAsInt()]));
            }
        }
        JsonElement inner = o.get("processors"); // Sequence
        if (inner != null && inner.isJsonArray()) for (JsonElement p : inner.getAsJsonArray()) remapPostProcessor(p, oldToNew);
    }

    private List<JsonObject> addedTokens() {
        List<JsonObject> out = new ArrayList<>();
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement t : added.getAsJsonArray()) {
                if (!t.isJsonObject() || !t.getAsJsonObject().has("id") || !t.getAsJsonObject().has("content")) {
                    throw new UserError(file + ": field \"added_tokens\": every entry needs \"content\" and \"id\", got " + t);
                }
                out.add(t.getAsJsonObject());
            }
        }
        return out;
    }

    private Map<String, Integer> bpeIds() {
        Map<String, Integer> ids = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : model.getAsJsonObject("vocab").entrySet()) ids.put(e.getKey(), e.getValue().getAsInt());
        return ids;
    }

    private List<String[]> merges;

    /** The merges in rank order, as pairs; tokenizers writes them as {@code "a b"} strings or {@code ["a", "b"]}. */
    private List<String[]> merges() {
        if (merges != null) return merges;
        JsonElement m = model.get("merges");
        List<String[]> out = new ArrayList<>();
        if (m != null && m.isJsonArray()) {
            for (JsonElement e : m.getAsJsonArray()) {
                if (e.isJsonArray()) {
                    out.add(new String[] {e.getAsJsonArray().get(0).getAsString(), e.getAsJsonArray().get(1).getAsString()});
                } else {
                    String s = e.getAsString();
                    int space = s.indexOf(' ', 1);
                    if (space < 0) throw new UserError(file + ": field \"model.merges\": \"" + s + "\" is not a pair \"a b\"");
                    out.add(new String[] {s.substring(0, space), s.substring(space + 1)});
                }
            }
        }
        merges = out;
        return out;
    }

    private int lowestScored() {
        JsonArray list = model.getAsJsonArray("vocab");
        int best = 0;
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).getAsJsonArray().get(1).getAsDouble() < list.get(best).getAsJsonArray().get(1).getAsDouble()) best = i;
        }
        return best;
    }

    private static boolean byteLevel(JsonElement pre) {
        if (pre == null || !pre.isJsonObject()) return false;
        JsonObject o = pre.getAsJsonObject();
        if (o.has("type") && o.get("type").getAsString().equals("ByteLevel")) return true;
        JsonElement inner = o.get("pretokenizers");
        if (inner != null && inner.isJsonArray()) for (JsonElement p : inner.getAsJsonArray()) if (byteLevel(p)) return true;
        return false;
    }

    private static String stringOr(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }
}
