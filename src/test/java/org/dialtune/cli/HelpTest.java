package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** Every command of the tree answers --help and -h with its own usage (exit 0), and so does {@code help CMD}. */
class HelpTest {
    /** Command paths below the root, e.g. [tasks, catalog]; the {@code help} commands themselves excluded. */
    private static List<List<String>> commandPaths() {
        List<List<String>> out = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), out);
        return out;
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        for (Map.Entry<String, CommandLine> e : cli.getSubcommands().entrySet()) {
            if (e.getValue().getCommand() instanceof CommandLine.HelpCommand) continue;
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }

    private static String[] args(List<String> path, String... more) {
        return Stream.concat(path.stream(), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void theTreeHasTheCommandsTheIssueNamed() {
        List<String> names = commandPaths().stream().map(p -> String.join(" ", p)).toList();
        for (String c : List.of("train", "demo", "experiment", "experiment run", "model", "model init", "instructions",
                "tasks catalog", "tasks splits", "generate", "rank", "metric rouge-l", "data fetch")) {
            assertTrue(names.contains(c), c + " in " + names);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCommandAnswersHelpWithItsOwnUsage() {
        CliRunner.Result root = CliRunner.run("--help");
        assertEquals(0, root.exitCode(), root.err());
        assertTrue(root.out().startsWith("Usage: dialtune "), root.out());
        return commandPaths().stream().map(path -> DynamicTest.dynamicTest(String.join(" ", path), () -> {
            String usage = "Usage: dialtune " + String.join(" ", path) + " ";
            for (String flag : List.of("--help", "-h")) {
                CliRunner.Result r = CliRunner.run(args(path, flag));
                assertEquals(0, r.exitCode(), flag + ": " + r.err());
                assertEquals("", r.err());
                assertTrue(r.out().startsWith(usage), r.out());
                assertTrue(r.out().contains("-h, --help"), r.out());
            }
            // `dialtune help train`, `dialtune tasks help catalog`: the same text as --help
            List<String> viaHelp = new ArrayList<>(path.subList(0, path.size() - 1));
            viaHelp.add("help");
            viaHelp.add(path.get(path.size() - 1));
            CliRunner.Result h = CliRunner.run(viaHelp.toArray(String[]::new));
            assertEquals(0, h.exitCode(), h.err());
            assertEquals(CliRunner.run(args(path, "--help")).out(), h.out());
        }));
    }

    @Test
    void tasksDirIsTheOnlyWayToNameTaskDirectories() {
        CliRunner.Result r = CliRunner.run("tasks", "validate", "--tasks", "tasks");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("Unknown options: '--tasks', 'tasks'"), r.err());
        assertTrue(r.err().contains("Possible solutions: --tasks-dir"), r.err());
    }

    @Test
    void batchSizeHelpSaysWhatABatchIsForEachCommand() {
        String generate = CliRunner.run("generate", "--help").out();
        String rank = CliRunner.run("rank", "--help").out();
        String g = generate.substring(generate.indexOf("--batch-size"));
        String k = rank.substring(rank.indexOf("--batch-size"));
        g = g.substring(0, g.indexOf("\n  -", 1));
        k = k.substring(0, k.indexOf("\n  -", 1));
        assertTrue(g.contains("beams") && !g.contains("rank") && !g.contains("option"), g);
        assertTrue(k.contains("option") && !k.contains("beam"), k);
    }
}
