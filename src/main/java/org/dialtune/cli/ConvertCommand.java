package org.dialtune.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.UserError;
import org.dialtune.task.SplitCounts;
import org.dialtune.common.DialtuneHome;
import org.dialtune.format.FitCounts;
import org.dialtune.format.FormatterConfig;
import org.dialtune.format.SourceBudget;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.format.InstructionPolicy;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.format.TaskConverter;
import org.dialtune.task.SplitReader;
import org.dialtune.task.Task;
import org.dialtune.task.TaskData;
import org.dialtune.task.TaskFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dialtune convert}: tasks → seq2seq JSONL ({@code task, split, id, instruction_id, source, target, options}). */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Convert tasks to seq2seq examples (JSON Lines).")
public final class ConvertCommand implements Runnable {
    /** Keeps {@code "instruction_id": null} in the output so every line has the same fields. */
    private static final Gson LINES = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    enum OnOff { on, off }

    @Option(names = "--tasks", required = true, paramLabel = "A,B|all", description = "Task names, comma-separated, or all.")
    String tasks;

    @Option(names = "--split", required = true, paramLabel = "S", description = "Split to convert (e.g. train, test).")
    String split;

    @Option(names = "--instructions", defaultValue = "on", paramLabel = "on|off",
            description = "Prefix an instruction wording, sampled per example with --seed (default: ${DEFAULT-VALUE}).")
    OnOff instructions;

    @Option(names = "--instruction-id", paramLabel = "ID",
            description = "Use this wording for every example instead of sampling (each task must have it).")
    String instructionId;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for the instruction choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--context-budget", paramLabel = "N",
            description = "Context budget; older turns beyond it are dropped (default: "
                    + FormatterConfig.DEFAULT_CONTEXT_CHARS + " chars).")
    Integer budget;

    @Option(names = "--grounding-budget", paramLabel = "N",
            description = "Budget of each knowledge/persona/document text; its end beyond it is cut (default: "
                    + FormatterConfig.DEFAULT_GROUNDING_CHARS + " chars).")
    Integer groundingBudget;

    @Option(names = "--budget-unit", defaultValue = "chars", paramLabel = "chars|words",
            description = "Unit of --context-budget and --grounding-budget (default: ${DEFAULT-VALUE}).")
    FormatterConfig.BudgetUnit unit;

    @Option(names = "--max-source-tokens", paramLabel = "N",
            description = "Fit every source into N tokens of --tokenizer (special tokens included): the oldest turns are"
                    + " dropped first, then long knowledge/persona/document texts shortened; the instruction, question,"
                    + " options and last turn are kept. What was taken out is reported per task.")
    Integer maxSourceTokens;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "Tokenizer (a tokenizer.json or its directory) that counts --max-source-tokens"
                    + " (default: BART's, bundled in eval/demo/bart-tokenizer).")
    Path tokenizer;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "Output file (written atomically).")
    Path out;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final TaskFileParser parser;
    private final FormatterConfig defaults;

    @Inject
    ConvertCommand(TaskFileParser parser, FormatterConfig defaults) {
        this.parser = parser;
        this.defaults = defaults;
    }

    @Override
    public void run() {
        if (budget != null && budget < 1) throw new UserError("--context-budget: must be at least 1, got " + budget);
        if (groundingBudget != null && groundingBudget < 1) {
            throw new UserError("--grounding-budget: must be at least 1, got " + groundingBudget);
        }
        if (unit == FormatterConfig.BudgetUnit.WORDS && (budget == null || groundingBudget == null)) {
            throw new UserError("--budget-unit words: give --context-budget and --grounding-budget in words too");
        }
        if (maxSourceTokens != null && maxSourceTokens < 3) {
            throw new UserError("--max-source-tokens: must be at least 3 (two special tokens and some text), got " + maxSourceTokens);
        }
        if (tokenizer != null && maxSourceTokens == null) {
            throw new UserError("--tokenizer: only counts --max-source-tokens; give --max-source-tokens N too");
        }
        FormatterConfig config = new FormatterConfig(unit, budget != null ? budget : defaults.contextBudget(),
                groundingBudget != null ? groundingBudget : defaults.groundingBudget());
        TaskSourceOptions.Catalog c = sources.load(parser).requireValid();
        boolean all = tasks.strip().equals("all");
        List<Task> selected = c.tasks().select(tasks);
        if (instructionId != null && instructions == OnOff.off) {
            throw new UserError("--instruction-id: cannot be combined with --instructions off");
        }
        InstructionPolicy policy = instructions == OnOff.off ? InstructionPolicy.off()
                : instructionId != null ? InstructionPolicy.fixed(instructionId) : InstructionPolicy.sampled(seed);
        try (Seq2SeqTokenizer counter = maxSourceTokens == null ? null
                : Seq2SeqTokenizer.load(tokenizer != null ? tokenizer : DialtuneHome.evalDir().resolve("demo/bart-tokenizer"))) {
            SourceBudget sourceBudget = counter == null ? SourceBudget.unlimited() : new SourceBudget(counter, maxSourceTokens);
            convert(c, all, selected, new TaskConverter(config, policy, sourceBudget));
        }
    }

    private void convert(TaskSourceOptions.Catalog c, boolean all, List<Task> selected, TaskConverter converter) {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        List<Task> todo = new ArrayList<>();
        for (Task t : selected) {
            if (t.splits().containsKey(split)) {
                todo.add(t);
            } else if (all) {
                o.println(t.name() + ": no split \"" + split + "\", not converted");
            } else {
                throw new UserError(t.file() + ": task \"" + t.name() + "\" has no split \"" + split
                        + "\" (splits: " + String.join(", ", t.splits().keySet()) + ")");
            }
        }
        if (todo.isEmpty()) throw new UserError("--split: none of the selected tasks has a split \"" + split + "\"");
        if (instructionId != null) {
            for (Task t : todo) c.instructions().forTask(t.name()).get(instructionId); // fail before reading data
        }
        if (java.nio.file.Files.isRegularFile(out)) OutputGuard.requireDistinct(out, inputs(c, todo));
        long[] n = {0};
        FitCounts[] fitted = {FitCounts.none(converter.fitter().budget().maxTokens())};
        // One task in memory at a time; the file appears only when every task has been converted.
        AtomicFiles.writeText(out, w -> {
            for (Task t : todo) {
                TaskData d = TaskData.load(t, c.dataDir(), List.of(split));
                TaskConverter.Totals totals = converter.each(d, split, c.instructions().forTask(t.name()), -1, x -> {
                    try {
                        w.write(LINES.toJson(toJson(x)));
                        w.write('\n');
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                    n[0]++;
                });
                SplitCounts counts = d.splits().get(split).counts();
                boolean fitting = converter.fitter().budget().limited();
                o.println(t.name() + ": " + TasksValidateCommand.describe(split, counts, totals.truncated())
                        + (fitting ? "; " + totals.fit().describe() : ""));
                fitted[0] = fitted[0].plus(totals.fit());
                if (counts.skipped() > 0) {
                    e.println("warning: " + t.name() + ": " + counts.skipped() + " rows could not be converted "
                            + "(run 'dialtune tasks validate' for details); first: " + counts.firstProblems().get(0));
                }
            }
        });
        o.println("wrote " + n[0] + " examples from " + todo.size() + " tasks to " + out);
        if (converter.fitter().budget().limited()) o.println("all tasks: " + fitted[0].describe());
    }

    /** What converting reads: each task's file, its instruction file and the split's data files. */
    private List<OutputGuard.Input> inputs(TaskSourceOptions.Catalog c, List<Task> todo) {
        List<OutputGuard.Input> in = new ArrayList<>();
        for (Task t : todo) {
            in.add(new OutputGuard.Input("the task file " + t.file(), t.file()));
            if (c.instructions().forTask(t.name()) != null) {
                in.add(new OutputGuard.Input("the instruction file " + c.instructions().forTask(t.name()).file(),
                        c.instructions().forTask(t.name()).file()));
            }
            for (Path f : SplitReader.files(t, split, c.dataDir())) {
                in.add(new OutputGuard.Input("the data file " + f + " of task " + t.name(), f));
            }
        }
        return in;
    }

    static JsonObject toJson(Seq2SeqExample x) {
        JsonObject j = new JsonObject();
        j.addProperty("task", x.task());
        j.addProperty("split", x.split());
        j.addProperty("id", x.id());
        if (x.instructionId() == null) j.add("instruction_id", JsonNull.INSTANCE);
        else j.addProperty("instruction_id", x.instructionId());
        j.addProperty("source", x.source());
        j.addProperty("target", x.target());
        JsonArray opts = new JsonArray();
        x.options().forEach(opts::add);
        j.add("options", opts);
        return j;
    }
}
