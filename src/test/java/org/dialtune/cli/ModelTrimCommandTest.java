package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.format.FormatterConfig;
import org.dialtune.format.InstructionLibrary;
import org.dialtune.format.InstructionPolicy;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.format.SourceBudget;
import org.dialtune.format.TaskExamples;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TokenBatch;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.generate.Generated;
import org.dialtune.model.generate.Generator;
import org.dialtune.model.score.OptionScorer;
import org.dialtune.model.score.OptionScores;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.task.Task;
import org.dialtune.task.TaskFileParser;
import org.dialtune.task.TaskRegistry;
import org.dialtune.testing.KeptVocabularyLm;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dialtune model trim} on a tiny BART (byte-level BPE) and the tiny T5s (Unigram; tied and untied
 * head) with the demo's data excerpts: on the covered data the trimmed tokenizer gives the original's ids
 * renumbered, and the trimmed model computes the original's logits at the kept ids, so its greedy and
 * beam outputs (decoded text included) and option log-likelihoods equal those of the original restricted
 * to the kept vocabulary ({@link KeptVocabularyLm}).
 */
class ModelTrimCommandTest {
    private static final Path DATA = Path.of("eval/demo/data").toAbsolutePath();
    private static final String TASKS = "banking77-intent,dialogsum-summarization";

    @TempDir
    Path dir;

    private CliRunner.Result trim(Path model, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("model", "trim", "--model", model.toString(), "--data", DATA.toString(),
                "--tasks-dir", Path.of("tasks").toAbsolutePath().toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void bartTrimmedModelReproducesTheOriginalOnCoveredData() throws IOException {
        Path orig = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("orig"));
        Path out = dir.resolve("trimmed");
        CliRunner.Result r = trim(orig, out, "--tasks", TASKS);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("banking77-intent: 96 examples (train 72, test 24), 5 instruction wordings + none"), r.out());
        assertTrue(r.out().contains("every covered text encodes to the same tokens"), r.out());
        int[] newToOld = newToOld(out);
        JsonObject config = Json.parseFile(out.resolve("config.json")).getAsJsonObject();
        assertEquals(newToOld.length, config.get("vocab_size").getAsInt());
        assertTrue(newToOld.length < 10_000, "kept " + newToOld.length + " of 50,265");
        // BART's specials keep ids 0..3; <mask> (50264) becomes the last id
        assertArrayEquals(new int[] {0, 1, 2, 3}, java.util.Arrays.copyOf(newToOld, 4));
        assertEquals(50264, newToOld[newToOld.length - 1]);
        // the 256 byte symbols stay, so uncovered text still encodes (to other, shorter pieces)
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(out)) {
            long[] ids = tok.encode(List.of("Ω ☃ 𝄞 zqxj"), 100).ids().get(0);
            assertFalse(java.util.Arrays.stream(ids).anyMatch(i -> i == tok.specialTokens().unk()));
            assertEquals("Ω ☃ 𝄞 zqxj", tok.decode(ids));
        }
        JsonObject gen = Json.parseFile(out.resolve("generation_config.json")).getAsJsonObject();
        assertEquals(2, gen.get("forced_eos_token_id").getAsInt());
        assertSameOnCoveredData(orig, out, newToOld);
    }

    @Test
    void t5TrimmedModelsReproduceTheOriginalOnCoveredData() throws IOException, URISyntaxException {
        for (String name : List.of("t5-v1_1", "t5-v1_0")) { // untied head; tied table with scaled states
            Path orig = Path.of(ModelTrimCommandTest.class.getResource("/org/dialtune/model/t5/" + name).toURI());
            Path out = dir.resolve(name);
            CliRunner.Result r = trim(orig, out, "--tasks", TASKS);
            assertEquals(0, r.exitCode(), r.err());
            int[] newToOld = newToOld(out);
            JsonObject tok = Json.parseFile(out.resolve("tokenizer.json")).getAsJsonObject();
            int pieces = tok.getAsJsonObject("model").getAsJsonArray("vocab").size();
            assertTrue(pieces < 250, name + ": kept " + pieces + " of 250 pieces");
            // pad, </s>, <unk> keep 0..2; the four sentinels (added tokens 250..253) come last
            assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(newToOld, 3));
            assertArrayEquals(new int[] {250, 251, 252, 253},
                    java.util.Arrays.copyOfRange(newToOld, newToOld.length - 4, newToOld.length));
            assertEquals(pieces + 4, newToOld.length);
            assertSameOnCoveredData(orig, out, newToOld);
        }
    }

    @Test
    void tasksFileSelectsTheSameTasks() throws IOException {
        Path orig = SharedData.tinyModelWithTokenizer("models/tiny-bart", dir.resolve("orig"));
        Path list = dir.resolve("tasks.txt");
        Files.writeString(list, "# the demo's tasks\nbanking77-intent\nclinc150-intent  # 150 intents\n");
        assertEquals(0, trim(orig, dir.resolve("a"), "--tasks", "banking77-intent,clinc150-intent").exitCode());
        CliRunner.Result r = trim(orig, dir.resolve("b"), "--tasks-file", list.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(newToOld(dir.resolve("a")), newToOld(dir.resolve("b")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/tokenizer.json")), Files.readAllBytes(dir.resolve("b/tokenizer.json")));
    }

    @Test
    void badInputsGetOneLineErrorsAndWriteNothing() throws IOException {
        Path orig = SharedData.tinyModelWithTokenizer("models/tiny-bart", dir.resolve("orig"));
        Path out = dir.resolve("out");
        CliRunner.Result unknown = trim(orig, out, "--tasks", "banking77-intent,no-such-task");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("dialtune: error: unknown task \"no-such-task\" (known: "), unknown.err());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());

        Path bare = dir.resolve("bare");
        Files.createDirectories(bare);
        Files.copy(orig.resolve("config.json"), bare.resolve("config.json"));
        Files.copy(orig.resolve("model.safetensors"), bare.resolve("model.safetensors"));
        CliRunner.Result noTok = trim(bare, out, "--tasks", "banking77-intent");
        assertEquals(2, noTok.exitCode());
        assertEquals("dialtune: error: " + bare + ": no tokenizer.json (trimming rewrites the model's own tokenizer: copy the"
                + " tokenizer.json of the model's checkpoint there)", noTok.err().strip());

        Path missing = dir.resolve("no-such-model");
        CliRunner.Result noModel = trim(missing, out, "--tasks", "banking77-intent");
        assertEquals(2, noModel.exitCode());
        assertEquals("dialtune: error: --model " + missing + ": not a checkpoint directory (config.json,"
                + " model.safetensors, tokenizer.json)", noModel.err().strip());

        CliRunner.Result same = trim(orig, orig, "--tasks", "banking77-intent");
        assertEquals(2, same.exitCode());
        assertTrue(same.err().contains("is the model being trimmed"), same.err());
        assertFalse(Files.exists(out));
    }

    private static int[] newToOld(Path trimmed) {
        JsonObject t = Json.parseFile(trimmed.resolve("trim.json")).getAsJsonObject();
        return Json.COMPACT.fromJson(t.get("new_to_old"), int[].class);
    }

    /**
     * Covered texts (test sources with sampled wordings, train sources fitted to 64 tokens, targets,
     * options) encode to the original's ids renumbered; the trimmed model's logits are the original's at
     * the kept ids; greedy and beam outputs and option scores equal the original's restricted to them.
     */
    private static void assertSameOnCoveredData(Path orig, Path trimmed, int[] newToOld) {
        Injector injector = Guice.createInjector(DialtuneModules.all());
        TaskRegistry tasks = TaskRegistry.load(List.of(Path.of("tasks")), injector.getInstance(TaskFileParser.class)).requireValid();
        InstructionLibrary ins = InstructionLibrary.load(List.of(Path.of("instructions")),
                tasks.tasks().stream().map(Task::name).toList()).requireValid();
        TaskExamples examples = new TaskExamples(tasks, ins, DATA, injector.getInstance(FormatterConfig.class));
        try (Seq2SeqTokenizer before = Seq2SeqTokenizer.load(orig); Seq2SeqTokenizer after = Seq2SeqTokenizer.load(trimmed);
             Seq2SeqLm original = Checkpoint.load(orig); Seq2SeqLm small = Checkpoint.load(trimmed);
             NDManager m = NDManager.newBaseManager()) {
            List<Seq2SeqExample> test = new ArrayList<>(examples.examples("banking77-intent", "test", InstructionPolicy.sampled(7)));
            test.addAll(examples.examples("dialogsum-summarization", "test", InstructionPolicy.off()).subList(0, 4));
            List<String> texts = new ArrayList<>();
            for (Seq2SeqExample e : test) {
                texts.add(e.source());
                texts.add(e.target());
                texts.addAll(e.options());
            }
            examples.examples("dialogsum-summarization", "train", InstructionPolicy.sampled(3), new SourceBudget(before, 64))
                    .examples().forEach(e -> texts.add(e.source()));
            for (String text : texts) {
                long[] a = before.encode(List.of(text), Integer.MAX_VALUE).ids().get(0);
                long[] b = after.encode(List.of(text), Integer.MAX_VALUE).ids().get(0);
                assertArrayEquals(a, toOld(b, newToOld), text);
                assertEquals(before.decode(a), after.decode(b), text);
            }
            List<long[]> srcA = before.encode(test.stream().map(Seq2SeqExample::source).toList(), 128).ids();
            List<long[]> srcB = after.encode(test.stream().map(Seq2SeqExample::source).toList(), 128).ids();

            // logits: the original's columns at the kept ids
            List<long[]> tgtA = before.encode(test.stream().map(Seq2SeqExample::target).toList(), 32).ids();
            List<long[]> tgtB = after.encode(test.stream().map(Seq2SeqExample::target).toList(), 32).ids();
            float[] la = logits(original, m, srcA.subList(0, 4), tgtA.subList(0, 4));
            float[] lb = logits(small, m, srcB.subList(0, 4), tgtB.subList(0, 4));
            int va = original.config().vocabSize();
            int vb = small.config().vocabSize();
            assertEquals(la.length / va, lb.length / vb);
            double worst = 0;
            for (int row = 0; row < la.length / va; row++) {
                for (int i = 0; i < vb; i++) worst = Math.max(worst, Math.abs(la[row * va + newToOld[i]] - lb[row * vb + i]));
            }
            assertTrue(worst < 1e-4, "logits differ by " + worst);

            Seq2SeqLm restricted = new KeptVocabularyLm(original, newToOld);
            for (int beams : new int[] {1, 3}) {
                List<Generated> ga = new Generator(restricted, settings(orig, original, beams), 4).generate(m, srcA);
                List<Generated> gb = new Generator(small, settings(trimmed, small, beams), 4).generate(m, srcB);
                for (int i = 0; i < ga.size(); i++) {
                    assertArrayEquals(ga.get(i).tokens(), toOld(gb.get(i).tokens(), newToOld), "beams " + beams + ", source " + i);
                    assertEquals(before.decode(ga.get(i).tokens()), after.decode(gb.get(i).tokens()));
                    if (beams > 1) assertEquals(ga.get(i).score(), gb.get(i).score(), 1e-4);
                }
            }
            List<List<long[]>> optA = new ArrayList<>();
            List<List<long[]>> optB = new ArrayList<>();
            List<long[]> rankedA = new ArrayList<>();
            List<long[]> rankedB = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                if (test.get(i).options().isEmpty()) continue;
                optA.add(before.encode(test.get(i).options(), 32).ids());
                optB.add(after.encode(test.get(i).options(), 32).ids());
                rankedA.add(srcA.get(i));
                rankedB.add(srcB.get(i));
            }
            assertFalse(optA.isEmpty());
            List<OptionScores> sa = new OptionScorer(restricted, 8).score(m, rankedA, optA, n -> {});
            List<OptionScores> sb = new OptionScorer(small, 8).score(m, rankedB, optB, n -> {});
            for (int i = 0; i < sa.size(); i++) {
                for (int k = 0; k < sa.get(i).total().length; k++) {
                    assertEquals(sa.get(i).total()[k], sb.get(i).total()[k], 1e-4, "source " + i + " option " + k);
                }
                assertEquals(sa.get(i).best(), sb.get(i).best());
            }
        }
    }

    private static GenerationConfig settings(Path dir, Seq2SeqLm model, int beams) {
        GenerationConfig g = GenerationConfig.forModel(model.config(), dir);
        return new GenerationConfig(12, 0, beams, 1.0, g.earlyStopping(), 0, g.forcedBosTokenId(), g.forcedEosTokenId(),
                g.decoderStartTokenId(), g.eosTokenId(), g.padTokenId(), "test");
    }

    private static float[] logits(Seq2SeqLm model, NDManager parent, List<long[]> src, List<long[]> tgt) {
        try (NDManager m = parent.newSubManager()) {
            TokenBatch s = TokenBatch.pad(src, model.config().padTokenId());
            TokenBatch t = TokenBatch.pad(tgt, model.config().padTokenId());
            NDArray out = model.forward(s.ids(m), s.mask(m), t.ids(m), false);
            return out.toFloatArray();
        }
    }

    private static long[] toOld(long[] ids, int[] newToOld) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = newToOld[(int) ids[i]];
        return out;
    }
}
