package org.dialtune.eval;

import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.JsonFields;

/**
 * The train and test task lists of a zero-shot split file ({@code eval/splits/*.json}:
 * {@code {"name", "description", "train": [...], "test": [...]}}).
 */
public record ZeroShotSplitFile(String name, List<String> train, List<String> test) {
    public static ZeroShotSplitFile load(Path file) {
        JsonFields f = JsonFields.ofFile(file);
        ZeroShotSplitFile s = new ZeroShotSplitFile(f.string("name"), f.strings("train"), f.strings("test"));
        f.string("description", "");
        f.finish();
        return s;
    }

    public List<String> part(String part) {
        return part.equals("test") ? test : train;
    }
}
