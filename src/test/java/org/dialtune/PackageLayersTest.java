package org.dialtune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stages of the data flow are layers (task → format → model → train | eval → pipeline → cli): a
 * package may use only the packages below it. Training and evaluation are siblings (neither knows the
 * other); the pipeline that chains them (run files, experiment grids) sits above both, the CLI above
 * everything. A new use of a higher package, or a new top-level package not placed here, fails this test.
 */
class PackageLayersTest {
    /** For each top-level package under org.dialtune, the packages its main code may use (besides itself). */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "common", Set.of(),
            "data", Set.of("common"),
            "task", Set.of("common"),
            "format", Set.of("common", "task"),
            "model", Set.of("common", "task", "format"),
            "train", Set.of("common", "task", "format", "model"),
            "eval", Set.of("common", "task", "format", "model"),
            "pipeline", Set.of("common", "task", "format", "model", "train", "eval"),
            "cli", Set.of("common", "data", "task", "format", "model", "train", "eval", "pipeline"));

    private static final Path MAIN = Path.of("src/main/java/org/dialtune");
    /** An import or a fully-qualified use of a dialtune package, outside comments. */
    private static final Pattern USE = Pattern.compile("\\borg\\.dialtune\\.([a-z0-9]+)\\b");
    /** A use of a subpackage of {@code model}. */
    private static final Pattern FAMILY_USE = Pattern.compile("\\borg\\.dialtune\\.model\\.([a-z0-9]+)\\b");

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> top = Files.list(MAIN)) {
            top.filter(Files::isDirectory).forEach(p -> packages.add(p.getFileName().toString()));
        }
        for (String pkg : packages) {
            Set<String> allowed = MAY_USE.get(pkg);
            if (allowed == null) {
                violations.add("package org.dialtune." + pkg + " has no place in PackageLayersTest.MAY_USE");
                continue;
            }
            try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) continue;
                        Matcher m = USE.matcher(line);
                        while (m.find()) {
                            String used = m.group(1);
                            if (!used.equals(pkg) && !allowed.contains(used)) {
                                violations.add(MAIN.relativize(f) + ":" + (i + 1) + " (" + pkg + ") uses " + used);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * A model family (a subpackage of {@code model} with a {@code ModelFamily}) is reached only through
     * the registry: nothing else in the main code names its package, so adding a family stays "new files
     * plus one registration line in ModelFamilies".
     */
    @Test
    void onlyTheRegistryUsesAModelFamilysPackage() throws IOException {
        Path model = MAIN.resolve("model");
        Set<String> families = new TreeSet<>();
        try (Stream<Path> sub = Files.list(model)) {
            for (Path p : sub.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(p)) {
                    boolean family = files.filter(f -> f.toString().endsWith(".java"))
                            .anyMatch(f -> read(f).contains("implements ModelFamily"));
                    if (family) families.add(p.getFileName().toString());
                }
            }
        }
        assertTrue(families.contains("bart"), "the family scan finds BART");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.equals(model.resolve("ModelFamilies.java"))) continue;
                String own = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) continue;
                    Matcher m = FAMILY_USE.matcher(line);
                    while (m.find()) {
                        String used = m.group(1);
                        if (families.contains(used) && !own.equals("model." + used)) {
                            violations.add(MAIN.relativize(f) + ":" + (i + 1) + " uses model." + used
                                    + " (go through ModelFamilies)");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
        assertTrue(FAMILY_USE.matcher("import org.dialtune.model.bart.BartModel;").find());
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theCheckSeesAViolation() {
        // the pattern must catch both an import and a qualified name; guards against a scan that finds nothing
        assertTrue(USE.matcher("import org.dialtune.eval.TaskEvaluator;").find());
        Matcher m = USE.matcher("var e = new org.dialtune.pipeline.RunSpec(null, null);");
        assertTrue(m.find());
        assertEquals("pipeline", m.group(1));
        assertTrue(Files.isDirectory(MAIN.resolve("train")), "run from the repository root");
    }
}
